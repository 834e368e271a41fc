package calciscreen.screening.intake;

import java.time.Duration;
import java.time.Instant;
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
import java.util.function.Consumer;
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
 * waiting on a backoff brings its retry forward. The queue is bounded: {@link #offer} answers false when full.
 */
public class PatientQueue implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PatientQueue.class);
    static final int PARK_AFTER = 6;
    static final Duration PARKED_RETRY = Duration.ofMinutes(5);
    private static final Duration MAX_BACKOFF = Duration.ofMinutes(2);
    private static final Duration MAX_TRANSIENT_BACKOFF = Duration.ofSeconds(10);

    private enum State { WAITING, RUNNING, RUNNING_AGAIN }

    private final Map<String, State> states = new ConcurrentHashMap<>();
    private final Map<String, Integer> failures = new ConcurrentHashMap<>();
    /** Stamps of changes notified since the patient's last read started: the next read will include them. */
    private final Map<String, Set<Instant>> arrivedBeforeRead = new ConcurrentHashMap<>();
    /** Stamps the patient's latest read is known to include, kept for {@link #COVERED_FOR} after it. */
    private final Map<String, Covered> coveredByLastRead = new ConcurrentHashMap<>();

    private record Covered(Set<Instant> stamps, Instant at) {}

    static final Duration COVERED_FOR = Duration.ofMinutes(2);
    /** The one scheduled run that may start for each waiting patient; stale timers find another ticket and stop. */
    private final Map<String, Long> tickets = new ConcurrentHashMap<>();
    /** When each waiting patient's scheduled run is due (System.nanoTime). */
    private final Map<String, Long> dueAt = new ConcurrentHashMap<>();
    /** Runs asked for by the screening of the patient itself ({@link #later}), to be scheduled when it ends. */
    private final Map<String, Duration> laterRequested = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicLong nextTicket = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.function.Predicate<RuntimeException> serverUnavailable;
    private final AtomicInteger waiting = new AtomicInteger();
    private final ScheduledExecutorService timer;
    private final ExecutorService workers;
    private final Consumer<String> screen;
    private final Duration debounce;
    private final int capacity;

    public PatientQueue(Consumer<String> screen, int workerCount, Duration debounce, int capacity,
                        java.util.function.Predicate<RuntimeException> serverUnavailable) {
        this.screen = screen;
        this.serverUnavailable = serverUnavailable;
        this.debounce = debounce;
        this.capacity = capacity;
        this.timer = Executors.newSingleThreadScheduledExecutor(daemon("screening-timer"));
        this.workers = Executors.newFixedThreadPool(workerCount, daemon("screening-worker"));
    }

    private volatile Consumer<String> fullReadRequested = id -> {};
    private volatile Consumer<Duration> waited = d -> {};
    /** When the oldest news not yet screened reached each patient waiting or due again (System.nanoTime). */
    private final Map<String, Long> newsSince = new ConcurrentHashMap<>();

    /** Told, as each screening starts, how long the patient's oldest news has waited for it (debounce included). */
    public void onScreeningStarted(Consumer<Duration> listener) {
        this.waited = listener;
    }

    /**
     * Called with the patient of every {@link #offer(String)}: a request to screen that comes with no notified
     * change (reconciliation, a delete, backfill) must make the screening read the server, not a cached record.
     */
    public void onFullReadRequested(Consumer<String> listener) {
        this.fullReadRequested = listener;
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
        states.compute(patientId, (id, state) -> {
            if (lastUpdated.isPresent() && state != State.WAITING) {
                Covered covered = coveredByLastRead.get(id);
                if (covered != null && covered.stamps().contains(lastUpdated.get())) {
                    return state; // already read, nothing to do
                }
            }
            lastUpdated.ifPresent(stamp -> arrivedBeforeRead.computeIfAbsent(id, k -> ConcurrentHashMap.newKeySet()).add(stamp));
            if (state == null) {
                if (waiting.get() >= capacity) {
                    accepted[0] = false;
                    return null;
                }
                newsSince.put(id, System.nanoTime());
                waiting.incrementAndGet();
                schedule(id, debounce);
                return State.WAITING;
            }
            if (state == State.WAITING && (failures.containsKey(id)
                    || dueAt.getOrDefault(id, Long.MIN_VALUE) - System.nanoTime() > debounce.toNanos())) {
                schedule(id, debounce); // news for a patient in backoff or due later: screen it now
            }
            if (state == State.RUNNING) {
                newsSince.put(id, System.nanoTime()); // the running screening may have read before this news
                return State.RUNNING_AGAIN;
            }
            return state;
        });
        return accepted[0];
    }

    /**
     * Asks for the patient to be screened again in {@code delay}, with no news: a screening that put off a write
     * calls this so that the write is made then. Called from the patient's own screening, the run is scheduled when
     * that ends (sooner if news arrives); otherwise now. The patient counts as waiting until then, so reconciliation
     * does not move its mark past the change, and a restart screens it again.
     */
    public void later(String patientId, Duration delay) {
        states.compute(patientId, (id, state) -> {
            if (state == State.RUNNING || state == State.RUNNING_AGAIN) {
                laterRequested.merge(id, delay, (a, b) -> a.compareTo(b) <= 0 ? a : b);
                return state;
            }
            if (state == null) {
                waiting.incrementAndGet();
                schedule(id, delay);
                return State.WAITING;
            }
            if (dueAt.getOrDefault(id, Long.MIN_VALUE) - System.nanoTime() > delay.toNanos()) {
                schedule(id, delay);
            }
            return state;
        });
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
            if (states.containsKey(id) && failures.getOrDefault(id, 0) < PARK_AFTER) {
                return false;
            }
        }
        return true;
    }

    /** Patients waiting or being screened. */
    public int depth() {
        return states.size();
    }

    public int parked() {
        return (int) failures.values().stream().filter(n -> n >= PARK_AFTER).count();
    }

    /** True when nobody is waiting or being screened (tests, backfill progress). */
    public boolean idle() {
        return states.isEmpty();
    }

    private void schedule(String patientId, Duration delay) {
        long ticket = nextTicket.incrementAndGet();
        tickets.put(patientId, ticket);
        dueAt.put(patientId, System.nanoTime() + delay.toNanos());
        timer.schedule(() -> workers.execute(() -> run(patientId, ticket)), delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void run(String patientId, long ticket) {
        boolean[] mine = {false};
        states.computeIfPresent(patientId, (id, state) -> {
            if (state == State.WAITING && tickets.getOrDefault(id, -1L) == ticket) {
                mine[0] = true;
                tickets.remove(id);
                dueAt.remove(id);
                return State.RUNNING;
            }
            return state;
        });
        if (!mine[0]) {
            return; // superseded by a newer schedule of the same patient
        }
        Long since = newsSince.remove(patientId);
        if (since != null) {
            waited.accept(Duration.ofNanos(System.nanoTime() - since));
        }
        Set<Instant> stamps = arrivedBeforeRead.remove(patientId);
        coveredByLastRead.put(patientId, new Covered(stamps == null ? Set.of() : stamps, Instant.now()));
        forgetOldCoverage();
        waiting.decrementAndGet();
        boolean failed = false;
        try {
            screen.accept(patientId);
            if (failures.remove(patientId) != null) {
                log.info("event=patient_recovered patient={}", patientId);
            }
        } catch (RuntimeException e) {
            failed = true;
            if (serverUnavailable.test(e)) {
                failures.merge(patientId, 0, Integer::sum); // in backoff, but not the patient's fault: never parks
                log.warn("event=screening_deferred patient={} reason=server_unavailable detail=\"{}\"", patientId,
                        e.getMessage());
            } else {
                recordFailure(patientId, e);
            }
        }
        boolean finalFailed = failed;
        Duration retry = failed ? retryDelay(patientId) : debounce;
        states.compute(patientId, (id, state) -> {
            Duration later = laterRequested.remove(id);
            if (state == State.RUNNING_AGAIN || finalFailed || later != null) {
                waiting.incrementAndGet();
                schedule(id, state == State.RUNNING_AGAIN && !finalFailed ? debounce : finalFailed ? retry : later);
                return State.WAITING;
            }
            return null;
        });
    }

    private void forgetOldCoverage() {
        if (coveredByLastRead.size() > 10_000) {
            Instant oldest = Instant.now().minus(COVERED_FOR);
            coveredByLastRead.values().removeIf(c -> c.at().isBefore(oldest));
        }
    }

    private void recordFailure(String patientId, RuntimeException e) {
        int count = failures.merge(patientId, 1, Integer::sum);
        if (count == PARK_AFTER) {
            log.warn("event=patient_parked patient={} failures={} retry_in={} reason=\"{}\"",
                    patientId, count, PARKED_RETRY, e.getMessage());
        } else if (count < PARK_AFTER) {
            log.warn("event=screening_failed patient={} attempt={} reason=\"{}\"", patientId, count, e.toString());
        }
    }

    private Duration retryDelay(String patientId) {
        int count = failures.getOrDefault(patientId, 0);
        if (count == 0) { // only server-unavailable failures so far
            long base = MAX_TRANSIENT_BACKOFF.toMillis();
            return Duration.ofMillis(base / 2 + ThreadLocalRandom.current().nextLong(base / 2 + 1));
        }
        return backoff(count);
    }

    private Duration backoff(int failureCount) {
        if (failureCount >= PARK_AFTER) {
            return PARKED_RETRY;
        }
        long base = Math.min(MAX_BACKOFF.toMillis(), 500L << Math.min(failureCount, 20));
        return Duration.ofMillis(base / 2 + ThreadLocalRandom.current().nextLong(base / 2 + 1));
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
