package calciscreen.screening.screen;

import calciscreen.screening.context.PatientRecord;
import calciscreen.screening.context.PatientRecordCache;
import calciscreen.screening.context.PatientRecordLoader;
import calciscreen.screening.flags.FlagWriter;
import calciscreen.screening.flags.WriteOutcome;
import calciscreen.screening.intake.PatientQueue;
import calciscreen.screening.rules.Assessment;
import calciscreen.screening.rules.PatientContext;
import calciscreen.screening.rules.RuleSet;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Screens one patient: read its record, evaluate the rules, keep its Flag true. Called by the queue, by one worker at
 * a time per patient; a write it puts off is answered as when to come back.
 */
public class Screener implements PatientQueue.Screening {

    private static final Logger log = LoggerFactory.getLogger(Screener.class);
    private static final int ATTEMPTS = 3;

    private final PatientRecordLoader loader;
    private final RuleSet rules;
    private final Duration lookback;
    private final FlagWriter writer;
    private final Clock clock;
    private final MeterRegistry metrics;
    private final Timer latency;
    private final PatientRecordCache records;
    private final Duration withinTierDelay;
    /** Patients with a within-tier update put off, and when it must be written at the latest. */
    private final Map<String, Instant> writeDue = new ConcurrentHashMap<>();

    /**
     * A patient whose notified changes are all in {@code records} is screened without a read.
     *
     * @param withinTierDelay how long a change that leaves the tier as written (score or evidence) may wait before
     *                        it is written, so that the results of a panel make one new Flag version, not one each;
     *                        a change of tier is written at once. Zero: every change at once.
     */
    public Screener(PatientRecordLoader loader, PatientRecordCache records, RuleSet rules, Duration lookback,
                    FlagWriter writer, Clock clock, MeterRegistry metrics, Duration withinTierDelay) {
        this.withinTierDelay = withinTierDelay;
        this.records = records;
        this.loader = loader;
        this.rules = rules;
        this.lookback = lookback;
        this.writer = writer;
        this.clock = clock;
        this.metrics = metrics;
        this.latency = Timer.builder("calciscreen.evaluation").description("read + evaluate + write, one patient")
                .publishPercentiles(0.5, 0.95, 0.99).register(metrics);
    }

    /** Screens the patient; answers when to screen it again to make a write put off within the tier. */
    @Override
    public Optional<Duration> screen(String patientId) {
        long started = System.nanoTime();
        try {
            for (int attempt = 1; ; attempt++) {
                Instant at = clock.instant();
                PatientRecord record = record(patientId, at);
                Assessment assessment = rules.evaluate(
                        PatientContext.from(record.patient().orElse(null), record.clinicalData()), at);
                Instant due = writeDue.get(patientId);
                // (due less 10 ms: the queue's timer counts whole milliseconds and must not find the write still early)
                boolean mayDefer = !withinTierDelay.isZero() && (due == null || at.isBefore(due.minusMillis(10)));
                WriteOutcome outcome = writer.write(record, assessment, mayDefer);
                Optional<Duration> comeBackIn = Optional.empty();
                if (outcome == WriteOutcome.DEFERRED) {
                    Instant writeBy = due != null ? due : at.plus(withinTierDelay);
                    writeDue.put(patientId, writeBy);
                    comeBackIn = Optional.of(Duration.between(at, writeBy));
                } else if (outcome != WriteOutcome.CONFLICT) {
                    writeDue.remove(patientId);
                }
                metrics.counter("calciscreen.evaluations", "outcome", outcome.name().toLowerCase()).increment();
                if (outcome != WriteOutcome.CONFLICT) {
                    log.info("event=screened patient={} tier={} score={} outcome={} requests={} took_ms={}", patientId,
                            assessment.tier(), assessment.score(), outcome, record.requests(),
                            Duration.ofNanos(System.nanoTime() - started).toMillis());
                    return comeBackIn;
                }
                records.invalidate(patientId); // someone else wrote: start over from the server
                if (attempt == ATTEMPTS) {
                    throw new IllegalStateException("Flag of Patient/" + patientId + " kept changing under us ("
                            + ATTEMPTS + " attempts)");
                }
            }
        } catch (RuntimeException e) {
            records.invalidate(patientId);
            metrics.counter("calciscreen.evaluation.failures").increment();
            throw e;
        } finally {
            latency.record(Duration.ofNanos(System.nanoTime() - started));
        }
    }

    /** The cached record when it holds every notified change, else a full read (kept for the next time). */
    private PatientRecord record(String patientId, Instant at) {
        Optional<PatientRecord> cached = records.current(patientId, at);
        if (cached.isPresent()) {
            return cached.get();
        }
        long generation = records.generation(patientId);
        PatientRecord record = loader.load(patientId, at, lookback);
        records.remember(record, generation, at);
        return record;
    }
}
