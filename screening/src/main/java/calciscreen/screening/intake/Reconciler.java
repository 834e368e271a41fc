package calciscreen.screening.intake;

import calciscreen.screening.context.PatientRecordLoader;
import calciscreen.screening.context.PatientReferences;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.concurrent.atomic.AtomicReference;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.IdType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Catches every change a notification did not bring (screening down, network error, server restart, delivery
 * retries exhausted) and queues every patient touched. Runs at start, on a period and on demand, from a durable
 * high-water mark less an overlap (commits in flight).
 *
 * <p>A pass reads Patients, Conditions and medications from their {@code _history}: every version, deletes
 * included, so that a Condition whose code is corrected away (which the Condition Subscription, naming the rules'
 * codes, cannot see) or a drug stopped comes with the next pass. Of Observations and Procedures the rules read a few
 * codes in the lookback window: a pass searches them as the Subscriptions watch them, by those codes and dated in the
 * window (and labs with no effective time, which the rules date by issued), with {@code _lastUpdated}
 * (design.md's reconciliation). Their {@code _history} is mostly vital signs, surveys, other procedures and results
 * of years before, and every version read costs the server CPU: read whole, a pass during a bulk load cost the
 * ingest more than the notifications did. What such a search cannot see (a deleted lab whose delete notification was
 * lost, a code or date corrected away) a deep pass brings: it also reads their {@code _history}, from a mark of its
 * own, at start and every {@code deepPeriod}.
 */
public class Reconciler {

    private static final Logger log = LoggerFactory.getLogger(Reconciler.class);
    /** Types each pass reads every version of back from {@code _history}. */
    static final List<String> HISTORY_TYPES = List.of("Patient", "Condition", "MedicationRequest", "MedicationStatement");
    /** The types {@link #searches} reads: a deep pass also reads their {@code _history}. */
    static final List<String> SEARCHED_TYPES = List.of("Observation", "Procedure");
    private static final int PAGE_SIZE = 500;

    private final IGenericClient client;
    private final PatientQueue queue;
    private final DeletedResourceResolver deletes;
    private final NotifiedChanges notified;
    private final Predicate<IBaseResource> watched;
    private final Supplier<LocalDate> window;
    private final DurableInstant mark;
    private final DurableInstant deepMark;
    private final Duration overlap;
    private final Duration settleTimeout;
    private final Clock clock;
    private final AtomicBoolean requested = new AtomicBoolean();
    private final AtomicReference<Instant> lastSuccess = new AtomicReference<>();
    private final AtomicReference<String> lastError = new AtomicReference<>();
    /** Entries the current pass has read (run() is synchronized: one pass at a time). */
    private int versionsRead;
    /** For the first patients the current pass queues, the first version that no notification brought. */
    private final Map<String, String> firstUnnotified = new java.util.LinkedHashMap<>();
    private static final int LOGGED_PATIENTS = 20;

    /**
     * @param watched  whether the rules may read a version ({@link SubscriptionRegistrar#rulesMayRead}): a first
     *                 version they never read changes no screening
     * @param window   the first day of the lookback window now ({@link SubscriptionRegistrar#windowStart()}): a lab or
     *                 dialysis session dated before it can never count
     * @param mark     where the last pass got to
     * @param deepMark where the last deep pass got to in the {@code _history} of the searched types
     */
    Reconciler(IGenericClient client, PatientQueue queue, DeletedResourceResolver deletes, NotifiedChanges notified,
               Predicate<IBaseResource> watched, Supplier<LocalDate> window, DurableInstant mark,
               DurableInstant deepMark, Duration overlap, Duration settleTimeout, Clock clock) {
        this.notified = notified;
        this.watched = watched;
        this.window = window;
        this.settleTimeout = settleTimeout;
        this.client = client;
        this.queue = queue;
        this.deletes = deletes;
        this.mark = mark;
        this.deepMark = deepMark;
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

    /**
     * One pass over every watched type (with {@code deep}, also the {@code _history} of the searched types); returns
     * how many patients it queued.
     */
    public synchronized int run(boolean deep) {
        Instant startedAt = clock.instant();
        Optional<Instant> previous = mark.read();
        Instant since = previous.map(m -> m.minus(overlap)).orElse(Instant.EPOCH);
        Optional<Instant> previousDeep = deep ? deepMark.read() : Optional.empty();
        Instant deepSince = previousDeep.map(m -> m.minus(overlap)).orElse(Instant.EPOCH);
        Set<String> patients = new LinkedHashSet<>();
        Set<String> alreadyQueued = new LinkedHashSet<>();
        Instant newest = previous.orElse(Instant.EPOCH);
        versionsRead = 0;
        firstUnnotified.clear();
        try {
            for (String type : HISTORY_TYPES) {
                newest = max(newest, collect(history(type, since), type, patients, alreadyQueued));
            }
            for (Search search : searches(window.get())) {
                newest = max(newest, collect(search(search, since), search.type(), patients, alreadyQueued));
            }
            if (deep) {
                for (String type : SEARCHED_TYPES) {
                    newest = max(newest, collect(history(type, deepSince), type, patients, alreadyQueued));
                }
            }
        } catch (RuntimeException e) {
            lastError.set(e.getMessage());
            log.warn("event=reconciliation_failed deep={} since={} reason=\"{}\"", deep, since, e.getMessage());
            throw e;
        }
        // what the server was asked for ends here; the rest of the pass waits for the screenings it queued
        long readMillis = Duration.between(startedAt, clock.instant()).toMillis();
        alreadyQueued.removeAll(patients);
        // why each patient is read again: a version whose notification did not come (yet), so that an operator can
        // tell a slow delivery from a change the criteria cannot see
        firstUnnotified.forEach((patient, version) ->
                log.info("event=reconciliation_queued patient={} unnotified={}", patient, version));
        for (String patient : patients) {
            queue.offerWaiting(patient);
        }
        // The mark moves only once these patients are screened, those whose changes were notified too: the queue
        // is in memory, and a mark written before the work is done would let a crash lose it.
        Set<String> toSettle = new LinkedHashSet<>(patients);
        toSettle.addAll(alreadyQueued);
        if (!awaitSettled(toSettle)) {
            log.info("event=reconciliation_unsettled deep={} patients={} notified={} high_water_mark_kept={}", deep,
                    patients.size(), alreadyQueued.size(), previous.orElse(Instant.EPOCH));
            return patients.size();
        }
        mark.write(newest);
        if (deep) {
            deepMark.write(newest);
        }
        lastSuccess.set(startedAt);
        lastError.set(null);
        log.info("event=reconciliation deep={} since={} patients={} notified={} versions={} high_water_mark={} "
                        + "read_ms={} took_ms={}", deep, deep ? min(since, deepSince) : since, patients.size(),
                alreadyQueued.size(), versionsRead, newest, readMillis,
                Duration.between(startedAt, clock.instant()).toMillis());
        return patients.size();
    }

    private Bundle history(String type, Instant since) {
        return client.history().onType(type).returnBundle(Bundle.class).since(Date.from(since)).count(PAGE_SIZE)
                .execute();
    }

    /** The current version of every resource the search matches (its codes, in its window) stored since then. */
    private Bundle search(Search search, Instant since) {
        // no-cache: HAPI would otherwise answer a search repeated within a minute (a pass whose mark did not move)
        // from its cached results, without what was stored since
        return client.search().byUrl(search.type() + "?" + search.query() + "&_lastUpdated=ge" + since + "&_count="
                        + PAGE_SIZE)
                .returnBundle(Bundle.class).withAdditionalHeader("Cache-Control", "no-cache").execute();
    }

    /**
     * Adds to {@code patients} the patient of every change in these pages (of {@code type}) that no notification
     * brought, to {@code alreadyQueued} those whose change did; answers the newest lastUpdated seen.
     */
    private Instant collect(Bundle page, String type, Set<String> patients, Set<String> alreadyQueued) {
        Instant newest = Instant.EPOCH;
        // the server's time of the search: whatever was stamped before it and is not in the answer was not yet
        // committed, and the next pass looks again from the mark less the overlap
        if (page.getMeta().getLastUpdated() != null) {
            newest = max(newest, page.getMeta().getLastUpdated().toInstant());
        }
        while (true) {
            versionsRead += page.getEntry().size();
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
                    boolean wasNotified = notified.wasQueued(resource);
                    PatientReferences.patientOf(resource).ifPresent(patient -> {
                        (wasNotified ? alreadyQueued : patients).add(patient);
                        if (!wasNotified && firstUnnotified.size() < LOGGED_PATIENTS) {
                            firstUnnotified.putIfAbsent(patient, resource.fhirType() + "/"
                                    + resource.getIdElement().getIdPart() + "/_history/"
                                    + NotifiedChanges.versionOf(resource));
                        }
                    });
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

    /**
     * What each pass searches instead of their {@code _history}, for a lookback window starting on
     * {@code windowStart}: the criteria of the Subscriptions watching those types, and the labs with no effective
     * time, which the rules date by their issued time and which HAPI cannot match in memory.
     */
    static List<Search> searches(LocalDate windowStart) {
        List<Search> searches = new ArrayList<>();
        for (SubscriptionRegistrar.Watch watch : SubscriptionRegistrar.watches(windowStart)) {
            if (SEARCHED_TYPES.contains(watch.type())) {
                searches.add(new Search(watch.type(), watch.query()));
            }
        }
        searches.add(new Search("Observation", "code=" + PatientRecordLoader.observationCodes() + "&date:missing=true"));
        return List.copyOf(searches);
    }

    /** A search of one type: {@code query} without {@code _lastUpdated}, which each pass adds. */
    record Search(String type, String query) {}

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
