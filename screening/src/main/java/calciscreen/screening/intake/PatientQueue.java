package calciscreen.screening.intake;

import java.time.Duration;
import java.util.Map;
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
 * never blocks the others. The queue is bounded: {@link #offer} answers false when full, and the caller says so.
 */
public class PatientQueue implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PatientQueue.class);
    static final int PARK_AFTER = 6;
    static final Duration PARKED_RETRY = Duration.ofMinutes(5);
    private static final Duration MAX_BACKOFF = Duration.ofMinutes(2);

    private enum State { WAITING, RUNNING, RUNNING_AGAIN }

    private final Map<String, State> states = new ConcurrentHashMap<>();
    private final Map<String, Integer> failures = new ConcurrentHashMap<>();
    private final AtomicInteger waiting = new AtomicInteger();
    private final ScheduledExecutorService timer;
    private final ExecutorService workers;
    private final Consumer<String> screen;
    private final Duration debounce;
    private final int capacity;

    public PatientQueue(Consumer<String> screen, int workerCount, Duration debounce, int capacity) {
        this.screen = screen;
        this.debounce = debounce;
        this.capacity = capacity;
        this.timer = Executors.newSingleThreadScheduledExecutor(daemon("screening-timer"));
        this.workers = Executors.newFixedThreadPool(workerCount, daemon("screening-worker"));
    }

    /** Asks for the patient to be screened. False when the queue is full (nothing was taken). */
    public boolean offer(String patientId) {
        boolean[] accepted = {true};
        states.compute(patientId, (id, state) -> {
            if (state == null) {
                if (waiting.get() >= capacity) {
                    accepted[0] = false;
                    return null;
                }
                waiting.incrementAndGet();
                schedule(id, debounce);
                return State.WAITING;
            }
            return state == State.RUNNING ? State.RUNNING_AGAIN : state;
        });
        return accepted[0];
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
        timer.schedule(() -> workers.execute(() -> run(patientId)), delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void run(String patientId) {
        states.computeIfPresent(patientId, (id, state) -> State.RUNNING);
        waiting.decrementAndGet();
        boolean failed = false;
        try {
            screen.accept(patientId);
            if (failures.remove(patientId) != null) {
                log.info("event=patient_recovered patient={}", patientId);
            }
        } catch (RuntimeException e) {
            failed = true;
            int count = failures.merge(patientId, 1, Integer::sum);
            if (count == PARK_AFTER) {
                log.warn("event=patient_parked patient={} failures={} retry_in={} reason=\"{}\"",
                        patientId, count, PARKED_RETRY, e.getMessage());
            } else if (count < PARK_AFTER) {
                log.warn("event=screening_failed patient={} attempt={} reason=\"{}\"", patientId, count, e.toString());
            }
        }
        boolean finalFailed = failed;
        states.compute(patientId, (id, state) -> {
            if (state == State.RUNNING_AGAIN || finalFailed) {
                waiting.incrementAndGet();
                schedule(id, finalFailed ? backoff(failures.getOrDefault(id, 1)) : debounce);
                return State.WAITING;
            }
            return null;
        });
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
