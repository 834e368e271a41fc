package calciscreen.screening.intake;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Patients waiting to be screened, coalesced: a patient is waiting at most once, however many notifications
 * name it, and is evaluated by one worker at a time. A notification that arrives while the patient is being
 * evaluated marks it to be evaluated once more afterwards, so no change is missed.
 *
 * <p>A patient's first notification waits {@code debounce} before evaluation so that a transaction of many
 * resources for one patient yields one evaluation. A failed evaluation is retried with exponential backoff and
 * jitter; after {@link #PARK_AFTER} failures the patient is parked (retried every {@link #PARKED_RETRY}) so that it
 * never blocks the others. A failure that is the server's, not the patient's (it cannot be reached), never parks:
 * it is retried every few seconds until the server is back. A new notification (or reconciliation) for a patient
 * waiting on a backoff brings its retry forward. A screening that puts a write off answers when to come back: the
 * patient then waits for that run (sooner if news arrives) and counts as queued until it, so reconciliation does not
 * move its mark past the change. The queue is bounded: {@link #offer} answers false when full.
 *
 * <p>The queue keeps one {@code Entry} per patient and changes it in one place, {@code entries.compute}. A patient
 * runs again: after its debounce when news arrives ({@link #offer}; that brings forward the run of one in backoff or
 * due later); after
 * its screening when news arrived during it, when the screening failed (backoff) or when the screening asked to come
 * back (a write put off).
 */
public class PatientQueue implements AutoCloseable {

    /** Screens one patient. */
    @FunctionalInterface
    public interface Screening {
        /**
         * Screens the patient; answers when it must be screened again with no news (a write put off within the
         * tier), or empty when it is done.
         */
        Optional<Duration> screen(String patientId);
    }

    private static final Logger log = LoggerFactory.getLogger(PatientQueue.class);
    static final int PARK_AFTER = 6;
    static final Duration PARKED_RETRY = Duration.ofMinutes(5);
    static final Duration COVERED_FOR = Duration.ofMinutes(2);
    private static final Duration MAX_BACKOFF = Duration.ofMinutes(2);
    private static final Duration MAX_TRANSIENT_BACKOFF = Duration.ofSeconds(10);
    /** Above this many entries, coverage older than {@link #COVERED_FOR} is forgotten. */
    private static final int COVERAGE_KEPT = 10_000;

    private enum Phase {
        /** Neither waiting nor being screened: the entry only remembers what its last read covered. */
        IDLE,
        /** Waiting for its scheduled run (the one with {@link Entry#ticket}). */
        WAITING,
        RUNNING,
        /** Being screened, and news arrived meanwhile: screened once more afterwards. */
        RUNNING_AGAIN
    }

    /** Why a screening that ended is followed by another run of the same patient. */
    private enum Rerun {
        /** News arrived while it was screened, which its read may have missed: again after the debounce. */
        NEWS_DURING_SCREENING,
        /** It failed: again after a backoff (a few seconds while only the server cannot be reached). */
        FAILED,
        /** It put a write off within the tier: again when the write is due. */
        WRITE_PUT_OFF,
        /** Done until news arrives. */
        NONE
    }

    /**
     * Everything the queue knows of one patient. Changed only inside {@code entries.compute} for that patient (so
     * one change at a time); {@code phase} and {@code failures} are also read outside it.
     */
    private static final class Entry {
        volatile Phase phase = Phase.IDLE;
        /** The one scheduled run that may start while WAITING; stale timers find another ticket and stop. */
        long ticket;
        /** When the scheduled run is due (System.nanoTime). */
        long dueAt;
        /** When the oldest news not yet screened arrived (System.nanoTime), or null. */
        Long newsSince;
        /** Stamps of changes notified since the last read started: the next read will include them. */
        Set<Instant> arrivedBeforeRead = new HashSet<>();
        /** Stamps the latest read is known to include, and when it started. */
        Set<Instant> covered = Set.of();
        Instant coveredAt;
        /** Failed screenings in a row (server-unavailable ones not counted); see {@link #retrying}. */
        volatile int failures;
        /** The last screening failed: the patient waits on a backoff. */
        boolean retrying;

        boolean covers(Instant stamp) {
            return covered.contains(stamp);
        }

        boolean queued() {
            return phase != Phase.IDLE;
        }
    }

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    /** Entries WAITING (bounded by {@code capacity}) and entries not IDLE; changed only in {@link #moveTo}. */
    private final AtomicInteger waiting = new AtomicInteger();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicLong nextTicket = new AtomicLong();
    private final ScheduledExecutorService timer;
    private final ExecutorService workers;
    private final Screening screening;
    private final Duration debounce;
    private final int capacity;
    private final Predicate<RuntimeException> serverUnavailable;
    private final Consumer<String> fullReadRequested;
    private final Consumer<Duration> waited;

    /**
     * @param serverUnavailable tells a failure that is the server's (it cannot be reached) from the patient's
     * @param fullReadRequested called with the patient of every {@link #offer(String)}: a request to screen that
     *                          comes with no notified change (reconciliation, a delete, backfill) must make the
     *                          screening read the server, not a cached record
     * @param waited            told, as each screening starts, how long the patient's oldest news has waited for it
     *                          (debounce included)
     */
    public PatientQueue(Screening screening, int workerCount, Duration debounce, int capacity,
                        Predicate<RuntimeException> serverUnavailable, Consumer<String> fullReadRequested,
                        Consumer<Duration> waited) {
        this.screening = screening;
        this.debounce = debounce;
        this.capacity = capacity;
        this.serverUnavailable = serverUnavailable;
        this.fullReadRequested = fullReadRequested;
        this.waited = waited;
        this.timer = Executors.newSingleThreadScheduledExecutor(daemon("screening-timer"));
        this.workers = Executors.newFixedThreadPool(workerCount, daemon("screening-worker"));
    }

    /** Asks for the patient to be screened from a fresh read. False when the queue is full (nothing was taken). */
    public boolean offer(String patientId) {
        fullReadRequested.accept(patientId);
        return offer(patientId, Optional.empty());
    }

    /**
     * Asks for the patient to be screened because a resource stamped {@code lastUpdated} changed. A transaction
     * stamps all its resources alike, and its notifications arrive one by one after its commit: once a read has
     * started after one of them arrived, the others of that transaction are already in it and are dropped here.
     * (Two transactions for one patient stamped in the same millisecond could be mistaken for one; reconciliation
     * re-screens the patient within a period in that case.)
     */
    public boolean offer(String patientId, Optional<Instant> lastUpdated) {
        boolean[] accepted = {true};
        entries.compute(patientId, (id, existing) -> {
            Entry entry = existing != null ? existing : new Entry();
            if (lastUpdated.isPresent() && entry.phase != Phase.WAITING && entry.covers(lastUpdated.get())) {
                return existing; // already read, nothing to do
            }
            switch (entry.phase) {
                case IDLE -> {
                    if (waiting.get() >= capacity) {
                        accepted[0] = false;
                        return existing;
                    }
                    entry.newsSince = System.nanoTime();
                    moveTo(entry, Phase.WAITING);
                    schedule(id, entry, debounce);
                }
                case WAITING -> {
                    if (entry.retrying || entry.dueAt - System.nanoTime() > debounce.toNanos()) {
                        schedule(id, entry, debounce); // news for a patient in backoff or due later: screen it now
                    }
                }
                case RUNNING -> {
                    entry.newsSince = System.nanoTime(); // the running screening may have read before this news
                    moveTo(entry, Phase.RUNNING_AGAIN);
                }
                case RUNNING_AGAIN -> {
                    // screened once more after the running screening already
                }
            }
            lastUpdated.ifPresent(entry.arrivedBeforeRead::add);
            return entry;
        });
        return accepted[0];
    }

    /**
     * Whether a read of the patient that includes every change stamped {@code lastUpdated} is already waiting or has
     * already started: a notification of that stamp reached {@link #offer} before the patient's waiting or latest read
     * began. A transaction's later notifications then need nothing of their own; the read brings what they name.
     * A waiting patient keeps the stamp with its read, as {@link #offer} would.
     */
    public boolean alreadyReads(String patientId, Instant lastUpdated) {
        boolean[] reads = {false};
        entries.computeIfPresent(patientId, (id, entry) -> {
            reads[0] = entry.arrivedBeforeRead.contains(lastUpdated) || entry.covers(lastUpdated);
            if (reads[0] && entry.phase == Phase.WAITING) {
                entry.arrivedBeforeRead.add(lastUpdated);
            }
            return entry;
        });
        return reads[0];
    }

    /** Like {@link #offer}, but waits for room instead of refusing (reconciliation, backfill). */
    public void offerWaiting(String patientId) {
        offerWaiting(patientId, false);
    }

    /**
     * Like {@link #offerWaiting(String)}; with {@code readAhead}, the caller has just left a fresh read of the patient
     * in the record cache (backfill reads in chunks), which the screening may use instead of reading again.
     */
    public void offerWaiting(String patientId, boolean readAhead) {
        if (!readAhead) {
            fullReadRequested.accept(patientId);
        }
        while (!offer(patientId, Optional.empty())) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while queueing Patient/" + patientId, e);
            }
        }
    }

    /**
     * True when none of these patients is still waiting or being screened, except those parked after repeated
     * failures (they stay queued and retried, but must not hold reconciliation back forever).
     */
    public boolean settled(java.util.Collection<String> patientIds) {
        for (String id : patientIds) {
            Entry entry = entries.get(id);
            if (entry != null && entry.queued() && entry.failures < PARK_AFTER) {
                return false;
            }
        }
        return true;
    }

    /** Patients waiting or being screened. */
    public int depth() {
        return queued.get();
    }

    public int parked() {
        return (int) entries.values().stream().filter(e -> e.failures >= PARK_AFTER).count();
    }

    /** True when nobody is waiting or being screened (tests, backfill progress). */
    public boolean idle() {
        return queued.get() == 0;
    }

    /** The one place an entry changes phase, so that the counts stay true. Inside {@code entries.compute} only. */
    private void moveTo(Entry entry, Phase phase) {
        if (entry.phase == Phase.WAITING) {
            waiting.decrementAndGet();
        }
        if (phase == Phase.WAITING) {
            waiting.incrementAndGet();
        }
        queued.addAndGet((phase != Phase.IDLE ? 1 : 0) - (entry.queued() ? 1 : 0));
        entry.phase = phase;
    }

    /** (Re)schedules the waiting patient's run; an earlier schedule becomes stale. Inside {@code entries.compute}. */
    private void schedule(String patientId, Entry entry, Duration delay) {
        long ticket = nextTicket.incrementAndGet();
        entry.ticket = ticket;
        entry.dueAt = System.nanoTime() + delay.toNanos();
        timer.schedule(() -> workers.execute(() -> run(patientId, ticket)), delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void run(String patientId, long ticket) {
        Long[] newsSince = {null};
        boolean[] mine = {false};
        entries.computeIfPresent(patientId, (id, entry) -> {
            if (entry.phase == Phase.WAITING && entry.ticket == ticket) {
                mine[0] = true;
                moveTo(entry, Phase.RUNNING);
                newsSince[0] = entry.newsSince;
                entry.newsSince = null;
                entry.covered = entry.arrivedBeforeRead;
                entry.coveredAt = Instant.now();
                entry.arrivedBeforeRead = new HashSet<>();
            }
            return entry;
        });
        if (!mine[0]) {
            return; // superseded by a newer schedule of the same patient
        }
        if (newsSince[0] != null) {
            waited.accept(Duration.ofNanos(System.nanoTime() - newsSince[0]));
        }
        forgetOldCoverage();
        Optional<Duration> putOff = Optional.empty();
        RuntimeException failure = null;
        try {
            putOff = screening.screen(patientId);
        } catch (RuntimeException e) {
            failure = e;
        }
        RuntimeException failed = failure;
        Optional<Duration> comeBackIn = putOff;
        entries.compute(patientId, (id, entry) -> {
            if (failed == null) {
                recovered(id, entry);
            } else {
                failedAgain(id, entry, failed);
            }
            Rerun rerun = failed != null ? Rerun.FAILED
                    : entry.phase == Phase.RUNNING_AGAIN ? Rerun.NEWS_DURING_SCREENING
                    : comeBackIn.isPresent() ? Rerun.WRITE_PUT_OFF : Rerun.NONE;
            Duration delay = switch (rerun) {
                case NEWS_DURING_SCREENING -> debounce;
                case FAILED -> retryDelay(entry);
                case WRITE_PUT_OFF -> comeBackIn.get();
                case NONE -> null;
            };
            if (delay != null) {
                moveTo(entry, Phase.WAITING);
                schedule(id, entry, delay);
                return entry;
            }
            moveTo(entry, Phase.IDLE);
            return entry.covered.isEmpty() ? null : entry; // an empty coverage drops nothing: nothing to keep
        });
    }

    /** A screening without error ends a run of failures. */
    private static void recovered(String patientId, Entry entry) {
        if (entry.retrying) {
            log.info("event=patient_recovered patient={}", patientId);
            entry.retrying = false;
            entry.failures = 0;
        }
    }

    /**
     * Counts a failure of the patient's own; a server that cannot be reached puts the patient in backoff all the
     * same, but never counts towards parking it.
     */
    private void failedAgain(String patientId, Entry entry, RuntimeException e) {
        entry.retrying = true;
        if (serverUnavailable.test(e)) {
            log.warn("event=screening_deferred patient={} reason=server_unavailable detail=\"{}\"", patientId,
                    e.getMessage());
            return;
        }
        int count = ++entry.failures;
        if (count == PARK_AFTER) {
            log.warn("event=patient_parked patient={} failures={} retry_in={} reason=\"{}\"",
                    patientId, count, PARKED_RETRY, e.getMessage());
        } else if (count < PARK_AFTER) {
            log.warn("event=screening_failed patient={} attempt={} reason=\"{}\"", patientId, count, e.toString());
        }
    }

    /** A few seconds while only the server failed; else exponential, and {@link #PARKED_RETRY} once parked. */
    private static Duration retryDelay(Entry entry) {
        return entry.failures == 0 ? jittered(MAX_TRANSIENT_BACKOFF) : backoff(entry.failures);
    }

    /** Forgets old coverage once many patients have some (its only use is to drop repeats soon after a read). */
    private void forgetOldCoverage() {
        if (entries.size() > COVERAGE_KEPT) {
            Instant oldest = Instant.now().minus(COVERED_FOR);
            for (String id : entries.keySet()) {
                entries.computeIfPresent(id, (k, entry) -> {
                    if (entry.coveredAt != null && entry.coveredAt.isBefore(oldest)) {
                        entry.covered = Set.of();
                        entry.coveredAt = null;
                    }
                    return entry.queued() || !entry.covered.isEmpty() ? entry : null;
                });
            }
        }
    }

    private static Duration backoff(int failureCount) {
        if (failureCount >= PARK_AFTER) {
            return PARKED_RETRY;
        }
        return jittered(Duration.ofMillis(Math.min(MAX_BACKOFF.toMillis(), 500L << Math.min(failureCount, 20))));
    }

    /** Between half of {@code base} and {@code base}. */
    private static Duration jittered(Duration base) {
        long millis = base.toMillis();
        return Duration.ofMillis(millis / 2 + ThreadLocalRandom.current().nextLong(millis / 2 + 1));
    }

    @Override
    public void close() {
        timer.shutdownNow();
        workers.shutdownNow();
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
