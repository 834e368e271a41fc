package calciscreen.screening.flags;

import calciscreen.model.resources.FlagBuilder;
import calciscreen.model.resources.RiskAssessmentBuilder;
import calciscreen.model.resources.RiskTier;
import calciscreen.model.resources.ScreeningDevice;
import calciscreen.screening.context.PatientRecord;
import calciscreen.screening.rules.Assessment;
import calciscreen.screening.rules.DataNote;
import calciscreen.screening.rules.RuleResult;
import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.server.exceptions.PreconditionFailedException;
import ca.uhn.fhir.rest.server.exceptions.ResourceVersionConflictException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Flag;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.RiskAssessment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a patient's single Flag and RiskAssessment equal to the latest assessment. Writes only when the tier,
 * score, evidence or rule set changed; updates with {@code If-Match} on the version it read and creates with a
 * conditional create on the patient's identifier, so two writers racing never make two Flags: the loser gets
 * {@link WriteOutcome#CONFLICT} and starts over from a fresh read.
 */
public class FlagWriter {

    private static final Logger log = LoggerFactory.getLogger(FlagWriter.class);

    /** Told of every Flag and RiskAssessment written, as the server now holds them (id with the new version). */
    public interface Written {
        void wrote(String patientId, Optional<Flag> flag, Optional<RiskAssessment> riskAssessment);
    }

    private final IGenericClient client;
    private final String softwareVersion;
    private final Written written;
    private volatile String deviceReference;
    private final Object deviceLock = new Object();

    public FlagWriter(IGenericClient client, String softwareVersion, Written written) {
        this.client = client;
        this.softwareVersion = softwareVersion;
        this.written = written;
    }

    /**
     * Writes what the assessment calls for. With {@code mayDefer}, a change that leaves the tier, the Flag's
     * status and priority and the rule set as written (a new score or new evidence within the tier) is not written
     * but answered {@link WriteOutcome#DEFERRED}, so that the results of one panel, arriving one by one, make one new
     * version. A change of tier is always written at once.
     */
    public WriteOutcome write(PatientRecord record, Assessment assessment, boolean mayDefer) {
        FlagDecision decision = FlagDecision.decide(assessment, record.riskAssessment(), record.flag(), mayDefer);
        return switch (decision.kind()) {
            case NOT_FLAGGED -> WriteOutcome.NOT_FLAGGED;
            case UNCHANGED -> WriteOutcome.UNCHANGED;
            case DEFERRED -> WriteOutcome.DEFERRED;
            case WRITE -> write(record, assessment, decision.riskAssessment(), decision.flag());
        };
    }

    /** Writes the RiskAssessment and/or the Flag as decided. */
    private WriteOutcome write(PatientRecord record, Assessment assessment, boolean assessmentChanged,
                               boolean flagChanged) {
        String patientId = record.patientId();
        Optional<Flag> existingFlag = record.flag();
        RiskTier tier = assessment.tier();
        Set<String> evidence = assessment.evidenceResourceIds();
        String device = device(assessment.rulesCanonical());
        Optional<RiskAssessment> writtenAssessment = Optional.empty();
        Optional<Flag> writtenFlag = Optional.empty();
        try {
            String riskAssessmentRef = record.riskAssessment()
                    .map(ra -> "RiskAssessment/" + ra.getIdElement().getIdPart()).orElse(null);
            RiskAssessment ra = !assessmentChanged ? null : RiskAssessmentBuilder.forPatient(patientId)
                    .occurrence(assessment.evaluatedAt())
                    .ruleSet(assessment.rulesCanonical())
                    .tier(tier)
                    .score(assessment.score())
                    .basis(evidence)
                    .notes(noteLines(assessment))
                    .ruleResults(RuleResults.of(assessment))
                    .performer(device)
                    .build();
            if (assessmentChanged && flagChanged && record.riskAssessment().isPresent() && existingFlag.isPresent()) {
                // the usual change of an already flagged patient: both updated in one transaction (one request,
                // one commit, one audit record), each with If-Match on the version read
                Flag flag = flag(patientId, assessment, existingFlag, riskAssessmentRef, device);
                List<IdType> ids = updateTogether(List.of(ra, flag), List.of(record.riskAssessment().get(), existingFlag.get()));
                writtenAssessment = Optional.of(stored(ra, ids.get(0)));
                writtenFlag = Optional.of(stored(flag, ids.get(1)));
            } else {
                if (assessmentChanged) {
                    Optional<IdType> raId = upsert(ra, record.riskAssessment(), RiskAssessmentBuilder.matchUrl(patientId));
                    if (raId.isEmpty()) {
                        return WriteOutcome.CONFLICT;
                    }
                    riskAssessmentRef = "RiskAssessment/" + raId.get().getIdPart();
                    writtenAssessment = Optional.of(stored(ra, raId.get()));
                }
                if (flagChanged) {
                    Flag flag = flag(patientId, assessment, existingFlag, riskAssessmentRef, device);
                    Optional<IdType> flagId = upsert(flag, existingFlag, FlagBuilder.matchUrl(patientId));
                    if (flagId.isEmpty()) {
                        return WriteOutcome.CONFLICT;
                    }
                    writtenFlag = Optional.of(stored(flag, flagId.get()));
                }
            }
        } catch (PreconditionFailedException | ResourceVersionConflictException e) {
            log.info("event=write_conflict patient={} reason=\"{}\"", patientId, e.getMessage());
            return WriteOutcome.CONFLICT; // the caller reads the server again; nothing written is worth keeping
        }
        written.wrote(patientId, writtenFlag, writtenAssessment);
        log.info("event=flag_written patient={} tier={} score={} active={} evidence={}", patientId,
                assessment.tier(), assessment.score(), assessment.flagActive(), evidence.size());
        return WriteOutcome.WRITTEN;
    }

    /** The Flag the assessment calls for; its period continues the existing Flag's. */
    private static Flag flag(String patientId, Assessment assessment, Optional<Flag> existingFlag,
                             String riskAssessmentRef, String device) {
        boolean active = assessment.flagActive();
        Instant start = FlagDecision.periodStart(assessment, existingFlag);
        Optional<Instant> end = FlagDecision.periodEnd(assessment, existingFlag, start);
        return FlagBuilder.forPatient(patientId)
                .tier(active ? assessment.tier() : null)
                .periodStart(start)
                .periodEnd(end)
                .riskAssessment(riskAssessmentRef)
                .evidence(assessment.evidenceResourceIds())
                .author(device)
                .ruleSet(assessment.rulesCanonical())
                .build();
    }

    /**
     * Updates existing resources in one transaction, each with If-Match on the version read; a version that moved
     * fails the whole transaction (412/409, nothing written). Answers the new ids with their versions.
     */
    private List<IdType> updateTogether(List<? extends Resource> resources, List<? extends Resource> existing) {
        Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        for (int i = 0; i < resources.size(); i++) {
            Resource current = existing.get(i);
            IdType id = current.getIdElement();
            String version = id.hasVersionIdPart() ? id.getVersionIdPart() : current.getMeta().getVersionId();
            Resource resource = resources.get(i);
            resource.setId(id.toUnqualifiedVersionless());
            transaction.addEntry().setResource(resource).getRequest().setMethod(Bundle.HTTPVerb.PUT)
                    .setUrl(id.toUnqualifiedVersionless().getValue()).setIfMatch("W/\"" + version + "\"");
        }
        Bundle response = client.transaction().withBundle(transaction).execute();
        List<IdType> ids = new ArrayList<>();
        for (int i = 0; i < resources.size(); i++) {
            Bundle.BundleEntryComponent entry = i < response.getEntry().size() ? response.getEntry().get(i) : null;
            String location = entry == null ? null : entry.getResponse().getLocation();
            if (location == null) {
                throw new IllegalStateException("transaction answered no location for "
                        + resources.get(i).getIdElement().getValue());
            }
            ids.add(new IdType(location).toUnqualified());
        }
        return ids;
    }

    /** The resource as written: its server id and version (a version-less id leaves the version unknown). */
    private static <T extends Resource> T stored(T resource, IdType id) {
        resource.setId(id.toUnqualified());
        resource.getMeta().setVersionId(id.hasVersionIdPart() ? id.getVersionIdPart() : null);
        return resource;
    }

    /**
     * Updates {@code existing} (If-Match on the version read) or creates under the match URL.
     * Empty when someone else created one first: the caller must read again.
     */
    private Optional<IdType> upsert(Resource resource, Optional<? extends Resource> existing, String matchUrl) {
        if (existing.isPresent()) {
            Resource current = existing.get();
            IdType id = current.getIdElement();
            // a search result carries its version in meta.versionId, not always in the id
            String version = id.hasVersionIdPart() ? id.getVersionIdPart() : current.getMeta().getVersionId();
            resource.setId(id.toUnqualifiedVersionless());
            MethodOutcome outcome = client.update().resource(resource)
                    .withAdditionalHeader("If-Match", "W/\"" + version + "\"")
                    .execute();
            return Optional.of((IdType) outcome.getId());
        }
        MethodOutcome outcome = client.create().resource(resource).conditionalByUrl(matchUrl).execute();
        if (!Boolean.TRUE.equals(outcome.getCreated())) {
            return Optional.empty();
        }
        return Optional.of((IdType) outcome.getId());
    }

    /**
     * The Device that authors every Flag, created once (conditionally) and remembered. One worker asks the server
     * at a time: the server keeps one Device all the same (its conditional-create URL is unique), but the workers
     * that lose that race are refused with 409, and their patients' Flags wait for a retry after every start.
     */
    private String device(String rulesCanonical) {
        String reference = deviceReference;
        if (reference != null) {
            return reference;
        }
        synchronized (deviceLock) {
            if (deviceReference == null) {
                MethodOutcome outcome = client.create()
                        .resource(ScreeningDevice.build(softwareVersion, rulesCanonical))
                        .conditionalByUrl(ScreeningDevice.matchUrl())
                        .execute();
                deviceReference = "Device/" + outcome.getId().getIdPart();
            }
            return deviceReference;
        }
    }

    /** The RiskAssessment note: each rule that fired with its value, what could not be decided, the data notes. */
    static List<String> noteLines(Assessment assessment) {
        List<String> lines = new ArrayList<>();
        lines.add("Score " + assessment.score() + " (" + assessment.tier().name().toLowerCase() + "), rule set "
                + assessment.rulesCanonical() + (assessment.deceased() ? "; patient deceased: no active Flag" : ""));
        for (RuleResult result : assessment.results()) {
            if (result.fired() || result.indeterminate()) {
                lines.add(result.describe());
            }
        }
        for (DataNote note : assessment.notes()) {
            lines.add("Data: " + note);
        }
        return lines;
    }
}
