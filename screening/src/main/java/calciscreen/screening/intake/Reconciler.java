package calciscreen.screening.intake;

import calciscreen.screening.context.PatientReferences;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import java.util.concurrent.atomic.AtomicReference;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.IdType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Catches every change a notification did not bring (screening down, network error, server restart, delivery
 * retries exhausted): reads each watched type's {@code _history} since the durable high-water mark, minus an
 * overlap, and queues every patient touched, deletes included. Runs at start, on a period and on demand.
 */
public class Reconciler {

    private static final Logger log = LoggerFactory.getLogger(Reconciler.class);
    public static final List<String> WATCHED_TYPES =
            List.of("Patient", "Observation", "Condition", "Procedure", "MedicationRequest", "MedicationStatement");
    private static final int PAGE_SIZE = 500;

    private final IGenericClient client;
    private final PatientQueue queue;
    private final DeletedResourceResolver deletes;
    private final NotifiedChanges notified;
    private final Predicate<IBaseResource> watched;
    private final DurableInstant mark;
    private final Duration overlap;
    private final Duration settleTimeout;
    private final Clock clock;
    private final AtomicBoolean requested = new AtomicBoolean();
    private final AtomicReference<Instant> lastSuccess = new AtomicReference<>();
    private final AtomicReference<String> lastError = new AtomicReference<>();

    /**
     * @param watched whether the rules may read a version ({@link SubscriptionRegistrar#rulesMayRead}): a first version
     *                they never read changes no screening
     */
    public Reconciler(IGenericClient client, PatientQueue queue, DeletedResourceResolver deletes, NotifiedChanges notified,
                      Predicate<IBaseResource> watched, DurableInstant mark, Duration overlap, Duration settleTimeout,
                      Clock clock) {
        this.notified = notified;
        this.watched = watched;
        this.settleTimeout = settleTimeout;
        this.client = client;
        this.queue = queue;
        this.deletes = deletes;
        this.mark = mark;
        this.overlap = overlap;
        this.clock = clock;
    }

    /** Asks for a run as soon as possible (an empty notification, an operator). */
    public void requestRun() {
        requested.set(true);
    }

    public boolean takeRequest() {
        return requested.getAndSet(false);
    }

    public Optional<Instant> highWaterMark() {
        return mark.read();
    }

    public Optional<Instant> lastSuccess() {
        return Optional.ofNullable(lastSuccess.get());
    }

    public Optional<String> lastError() {
        return Optional.ofNullable(lastError.get());
    }

    /** One pass over every watched type; returns how many patients it queued. */
    public synchronized int run() {
        Instant startedAt = clock.instant();
        Optional<Instant> previous = mark.read();
        Instant since = previous.map(m -> m.minus(overlap)).orElse(Instant.EPOCH);
        Set<String> patients = new LinkedHashSet<>();
        Set<String> alreadyQueued = new LinkedHashSet<>();
        Instant newest = previous.orElse(Instant.EPOCH);
        try {
            for (String type : WATCHED_TYPES) {
                newest = max(newest, collect(type, since, patients, alreadyQueued));
            }
        } catch (RuntimeException e) {
            lastError.set(e.getMessage());
            log.warn("event=reconciliation_failed since={} reason=\"{}\"", since, e.getMessage());
            throw e;
        }
        alreadyQueued.removeAll(patients);
        for (String patient : patients) {
            queue.offerWaiting(patient);
        }
        // The mark moves only once these patients are screened, those whose changes were notified too: the queue
        // is in memory, and a mark written before the work is done would let a crash lose it.
        Set<String> toSettle = new LinkedHashSet<>(patients);
        toSettle.addAll(alreadyQueued);
        if (!awaitSettled(toSettle)) {
            log.info("event=reconciliation_unsettled patients={} notified={} high_water_mark_kept={}", patients.size(),
                    alreadyQueued.size(), previous.orElse(Instant.EPOCH));
            return patients.size();
        }
        mark.write(newest);
        lastSuccess.set(startedAt);
        lastError.set(null);
        log.info("event=reconciliation since={} patients={} notified={} high_water_mark={} took_ms={}", since,
                patients.size(), alreadyQueued.size(), newest, Duration.between(startedAt, clock.instant()).toMillis());
        return patients.size();
    }

    /**
     * Adds to {@code patients} the patient of every change of {@code type} since {@code since} that no notification
     * brought, to {@code alreadyQueued} those whose change did; answers the newest lastUpdated seen.
     */
    private Instant collect(String type, Instant since, Set<String> patients, Set<String> alreadyQueued) {
        Instant newest = Instant.EPOCH;
        Bundle page = client.history().onType(type).returnBundle(Bundle.class)
                .since(Date.from(since)).count(PAGE_SIZE).execute();
        // the server's time of the search: whatever was stamped before it and is not in the answer was not yet
        // committed, and the next pass looks again from the mark less the overlap
        if (page.getMeta().getLastUpdated() != null) {
            newest = max(newest, page.getMeta().getLastUpdated().toInstant());
        }
        while (true) {
            for (BundleEntryComponent entry : page.getEntry()) {
                if (entry.hasResource()) {
                    org.hl7.fhir.r4.model.Resource resource = entry.getResource();
                    Date updated = resource.getMeta().getLastUpdated();
                    if (updated != null) {
                        newest = max(newest, updated.toInstant());
                    }
                    if (!watched.test(resource) && "1".equals(NotifiedChanges.versionOf(resource))) {
                        continue; // a new result the rules do not read changes no screening (a changed one may
                                  // have been one they read: its patient is screened again)
                    }
                    PatientReferences.patientOf(resource)
                            .ifPresent((notified.wasQueued(resource) ? alreadyQueued : patients)::add);
                } else if (entry.hasRequest() && entry.getRequest().getMethod() == Bundle.HTTPVerb.DELETE) {
                    IdType deleted = new IdType(entry.getRequest().getUrl());
                    if ("Patient".equals(type)) {
                        patients.add(deleted.getIdPart());
                    } else {
                        deletes.patientOfDeleted(type, deleted.getIdPart()).ifPresent(patients::add);
                    }
                }
            }
            if (page.getLink(Bundle.LINK_NEXT) == null) {
                return newest;
            }
            page = client.loadPage().next(page).execute();
        }
    }


    private boolean awaitSettled(Set<String> patients) {
        long deadline = System.nanoTime() + settleTimeout.toNanos();
        while (!queue.settled(patients)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
