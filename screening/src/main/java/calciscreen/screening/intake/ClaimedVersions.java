package calciscreen.screening.intake;

import calciscreen.screening.context.PatientRecordCache;
import calciscreen.screening.context.PatientReferences;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.Bundle.BundleType;
import org.hl7.fhir.r4.model.Bundle.HTTPVerb;
import org.hl7.fhir.r4.model.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A notification's payload is a hint, never evidence: it only <em>claims</em> that a version ({@code Type/id}, its
 * {@code versionId}) of a patient's resource is stored. The rest-hook handler records the claim under the patient the
 * payload names and answers at once; when that patient's screening starts, every claim pending for it is checked in
 * <b>one</b> FHIR {@code batch} of reads ({@code GET Type/id/_history/versionId}, or {@code GET Type/id} for a payload
 * naming no version), and only what the server returns is used: a version the server has, of that type and id, and
 * whose own subject is that patient. Anything else (a version or resource the server does not have, a deleted one,
 * one of another patient) is dropped and counted, and the patient's cached record is dropped too, so the screening
 * reads the server in full. So a forged notification, even with a valid secret, can make the screening read the
 * server again, never make it compute from data the server does not store; and only a version read back (or held in
 * the cache as the server gave it) is told to reconciliation as on its way ({@link NotifiedChanges#queued}), under
 * the patient the server's copy names, so a claim never makes reconciliation skip a version it did not verify.
 *
 * <p>A claim whose exact version the patient's cached record already holds (the record was read after it was stored)
 * needs no read at all. The batch is standard FHIR, so this works against any R4 server.
 */
public class ClaimedVersions {

    private static final Logger log = LoggerFactory.getLogger(ClaimedVersions.class);
    /** Claims kept per patient until its screening; past this the patient is read in full instead. */
    static final int MAX_PENDING = 500;

    /** One claimed version: its type, id, versionId (or null) and lastUpdated (or null), and when it arrived. */
    record Claim(String type, String id, String version, Date lastUpdated, Instant arrivedAt) {
        static Claim of(Resource payload, Instant arrivedAt) {
            String version = NotifiedChanges.versionOf(payload);
            return new Claim(payload.fhirType(), payload.getIdElement().getIdPart(),
                    version == null || version.isBlank() ? null : version, payload.getMeta().getLastUpdated(),
                    arrivedAt);
        }

        String key() {
            return type + "/" + id + (version == null ? "" : "/_history/" + version);
        }
    }

    /** What the server's answer to one batch says of each claim. */
    record Checked(List<Verified> verified, List<Dropped> dropped) {}

    record Verified(Claim claim, Resource stored) {}

    record Dropped(Claim claim, String reason) {}

    /** The claims of one patient not yet checked; {@code overflowed}: some were not kept, read the patient in full. */
    private static final class Pending {
        final Map<String, Claim> claims = new LinkedHashMap<>();
        boolean overflowed;
    }

    private final IGenericClient client;
    private final PatientRecordCache records;
    private final NotifiedChanges notified;
    private final IntakeMetrics metrics;
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();

    ClaimedVersions(IGenericClient client, PatientRecordCache records, NotifiedChanges notified, IntakeMetrics metrics) {
        this.client = client;
        this.records = records;
        this.notified = notified;
        this.metrics = metrics;
    }

    /** Records the payload's claim for {@code patientId}; call before queueing the patient, so its run sees it. */
    public void claim(String patientId, Resource payload) {
        Claim claim = Claim.of(payload, Instant.now());
        pending.compute(patientId, (id, existing) -> {
            Pending claims = existing != null ? existing : new Pending();
            if (claims.claims.size() < MAX_PENDING) {
                claims.claims.putIfAbsent(claim.key(), claim);
            } else {
                claims.overflowed = true;
            }
            return claims;
        });
    }

    /** Takes back a claim whose patient could not be queued (the server delivers it again). */
    public void withdraw(String patientId, Resource payload) {
        String key = Claim.of(payload, Instant.now()).key();
        pending.computeIfPresent(patientId, (id, claims) -> {
            claims.claims.remove(key);
            return claims.claims.isEmpty() && !claims.overflowed ? null : claims;
        });
    }

    /** Patients with claims not yet checked (a gauge; a bound on what the handler keeps). */
    public int patientsPending() {
        return pending.size();
    }

    /**
     * Checks every claim pending for the patient, in one batch read, and applies what the server returned to the
     * patient's cached record (or drops the record); called by the patient's worker before it screens. A failed
     * read drops the record and the claims (the screening then reads the server, which covers them) and throws.
     */
    public void verify(String patientId) {
        Pending taken = pending.remove(patientId);
        if (taken == null) {
            return;
        }
        if (taken.overflowed) {
            log.warn("event=notification_claims_overflow patient={} kept={}", patientId, taken.claims.size());
            records.invalidate(patientId);
        }
        List<Claim> toRead = new ArrayList<>();
        for (Claim claim : taken.claims.values()) {
            Optional<Resource> held = records.held(patientId, claim.type(), claim.id(), claim.version());
            if (held.isPresent()) {
                notified.queued(held.get()); // the server's own copy of that very version, already in the record
            } else {
                toRead.add(claim);
            }
        }
        if (toRead.isEmpty()) {
            return;
        }
        Bundle response;
        try {
            response = client.transaction().withBundle(batchOf(toRead)).execute();
        } catch (RuntimeException e) {
            records.invalidate(patientId);
            throw e;
        }
        Checked checked = check(patientId, toRead, response);
        boolean readInFull = false;
        for (Verified verified : checked.verified()) {
            Resource stored = verified.stored();
            Optional.ofNullable(stored.getMeta().getLastUpdated()).ifPresent(at ->
                    metrics.lag(Duration.between(at.toInstant(), verified.claim().arrivedAt())));
            readInFull |= !records.apply(patientId, stored);
            notified.queued(stored); // reconciliation will find this version on its way already
        }
        for (Dropped dropped : checked.dropped()) {
            metrics.unverified();
            log.warn("event=notification_dropped reason={} patient={} type={} id={}", dropped.reason(), patientId,
                    dropped.claim().type(), dropped.claim().id());
            readInFull = true;
        }
        if (readInFull) {
            records.invalidate(patientId);
        }
        log.debug("event=notification_claims_checked patient={} read={} verified={} dropped={}", patientId,
                toRead.size(), checked.verified().size(), checked.dropped().size());
    }

    /** The batch of reads for these claims, in their order. */
    static Bundle batchOf(List<Claim> claims) {
        Bundle batch = new Bundle().setType(BundleType.BATCH);
        for (Claim claim : claims) {
            batch.addEntry().getRequest().setMethod(HTTPVerb.GET).setUrl(claim.key());
        }
        return batch;
    }

    /**
     * Matches the server's answer to a batch of {@link #batchOf} with its claims, entry by entry: a claim is verified
     * only by a {@code 200} entry holding the resource of its type and id, at its version (or, for a claim naming no
     * version, the current one with the claim's lastUpdated when it names one), whose own patient is
     * {@code patientId}. An answer of another length verifies nothing.
     */
    static Checked check(String patientId, List<Claim> claims, Bundle response) {
        List<Verified> verified = new ArrayList<>();
        List<Dropped> dropped = new ArrayList<>();
        boolean aligned = response != null && response.getEntry().size() == claims.size();
        for (int i = 0; i < claims.size(); i++) {
            Claim claim = claims.get(i);
            if (!aligned) {
                dropped.add(new Dropped(claim, "batch_answer_unaligned"));
                continue;
            }
            BundleEntryComponent entry = response.getEntry().get(i);
            String status = entry.hasResponse() ? entry.getResponse().getStatus() : "";
            if (status == null || !status.startsWith("200") || !entry.hasResource()) {
                dropped.add(new Dropped(claim, "not_as_stored"));
                continue;
            }
            Resource stored = entry.getResource();
            if (!claim.type().equals(stored.fhirType()) || !claim.id().equals(stored.getIdElement().getIdPart())
                    || !asClaimed(claim, stored)) {
                dropped.add(new Dropped(claim, "not_as_stored"));
            } else if (!PatientReferences.patientOf(stored).filter(patientId::equals).isPresent()) {
                dropped.add(new Dropped(claim, "other_patient"));
            } else {
                verified.add(new Verified(claim, stored));
            }
        }
        return new Checked(List.copyOf(verified), List.copyOf(dropped));
    }

    private static boolean asClaimed(Claim claim, Resource stored) {
        if (claim.version() != null) {
            return claim.version().equals(NotifiedChanges.versionOf(stored));
        }
        // a payload naming no version is checked against the current one: the payload is not the version the
        // server holds when their lastUpdated differ
        return claim.lastUpdated() == null || !stored.getMeta().hasLastUpdated()
                || claim.lastUpdated().equals(stored.getMeta().getLastUpdated());
    }
}
