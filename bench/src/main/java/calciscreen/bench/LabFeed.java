package calciscreen.bench;

import calciscreen.screening.context.PatientRecordLoader;
import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import ca.uhn.fhir.rest.api.MethodOutcome;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Flag;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A laboratory interface posting single results (calcium, phosphate, PTH, albumin; mass and molar units) for
 * existing patients at a fixed rate. The feed keeps each patient's record as the rules see it and evaluates every
 * candidate result with the rule engine before sending, so it knows which results change the patient's tier;
 * {@code changingFraction} of them are chosen to. For those, the flag latency is the time from the 201 of the
 * Observation to the moment a FHIR search on Flag shows the new tier (a watcher searches the Flags of the patients
 * with such a result outstanding every {@link #POLL} ms).
 */
public final class LabFeed implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LabFeed.class);
    static final long POLL = 20;
    static final Duration TIMEOUT = Duration.ofSeconds(30);
    /**
     * Random candidates (patient, lab, value) evaluated for the result wanted before falling back to the first one that
     * changes nothing: each is a rule evaluation of the patient's record on the pacing thread, which must keep the rate.
     */
    static final int ATTEMPTS = 12;

    /** One tier-changing result: when in the run it was posted, and how long until its Flag was visible. */
    public record Sample(String phase, double rate, double atSeconds, double latencyMs, boolean timedOut) {}

    /**
     * @param skipped results not sent because a second's worth of earlier ones was still unanswered: the stack did
     *                not keep up with the rate (the phase then counts as not sustained)
     */
    public record PhaseResult(String phase, double targetRate, double achievedRate, int sent, int skipped, int changing,
                              int timeouts, Stats latencyMs, Stats postMs) {
        public boolean sustained() {
            return timeouts == 0 && latencyMs.count() > 0 && latencyMs.p99() < 2000 && achievedRate >= 0.9 * targetRate;
        }
    }

    /**
     * A lab result the feed can send: LOINC code, UCUM unit, an abnormal and a normal value; {@code analyte} groups
     * the codes that compete for "latest value wins".
     */
    record Lab(String analyte, String code, String display, String unit, double abnormal, double normal) {}

    static final List<Lab> LABS = List.of(
            new Lab("calcium", "17861-6", "Calcium [Mass/volume] in Serum or Plasma", "mg/dL", 11.4, 9.2),
            new Lab("calcium", "2000-8", "Calcium [Moles/volume] in Serum or Plasma", "mmol/L", 2.85, 2.30),
            new Lab("phosphate", "2777-1", "Phosphate [Mass/volume] in Serum or Plasma", "mg/dL", 7.2, 3.8),
            new Lab("phosphate", "14879-1", "Phosphate [Moles/volume] in Serum or Plasma", "mmol/L", 2.3, 1.2),
            new Lab("pth", "2731-8", "Parathyrin.intact [Mass/volume] in Serum or Plasma", "pg/mL", 950, 250),
            new Lab("pth", "14866-8", "Parathyrin.intact [Moles/volume] in Serum or Plasma", "pmol/L", 100, 25),
            new Lab("albumin", "1751-7", "Albumin [Mass/volume] in Serum or Plasma", "g/dL", 2.5, 4.1),
            new Lab("albumin", "1751-7", "Albumin [Mass/volume] in Serum or Plasma", "g/L", 25, 41));

    /** Older labs and dialysis sessions cannot count within the 90-day lookback during a run of minutes. */
    static final Duration RECENT = Duration.ofDays(100);

    private static final Set<String> RULE_OBSERVATION_CODES = Set.of(PatientRecordLoader.observationCodes().split(","));

    private final class Model {
        final String id;
        final Patient patient;
        final List<Resource> resources;
        String expected;
        long lastEffectiveMillis;
        /** The feed's own latest result per analyte: a newer one of the same analyte replaces it in {@link #resources}. */
        final Map<String, Observation> posted = new java.util.HashMap<>();
        volatile Pending pending;

        Model(String id, Patient patient, List<Resource> resources, String expected) {
            this.id = id;
            this.patient = patient;
            this.resources = resources;
            this.expected = expected;
        }
    }

    private static final class Pending {
        final String expected;
        final String phase;
        final double rate;
        final double atSeconds;
        volatile long answeredAt = -1;
        volatile long seenAt = -1;
        boolean done;

        Pending(String expected, String phase, double rate, double atSeconds) {
            this.expected = expected;
            this.phase = phase;
            this.rate = rate;
            this.atSeconds = atSeconds;
        }
    }

    private record Choice(Model model, Observation observation, Pending pending) {}

    /**
     * Keeps the feed's model of a patient as small as what can still count: the new result is final, numeric, in a
     * known unit and later than every other of its analyte, so the feed's previous result of that analyte can no
     * longer be the latest and is dropped (the server keeps it; the correctness check reads everything).
     */
    private static void record(Model model, Lab lab, Observation observation) {
        Observation previous = model.posted.put(lab.analyte(), observation);
        if (previous != null) {
            model.resources.remove(previous);
        }
        model.resources.add(observation);
        model.lastEffectiveMillis = observation.getEffectiveDateTimeType().getValue().getTime();
    }

    private final FhirHttp fhir;
    private final PatientReader reader;
    private final Correctness engine;
    private final double changingFraction;
    private final Random random;
    private final Map<String, Model> models = new ConcurrentHashMap<>();
    private final List<Model> order = new ArrayList<>();
    private final List<Sample> samples = Collections.synchronizedList(new ArrayList<>());
    private final List<Double> postMillis = Collections.synchronizedList(new ArrayList<>());
    private final ExecutorService senders = Executors.newFixedThreadPool(24);
    private final Thread watcher;
    private volatile boolean running = true;
    private final long feedStart = System.nanoTime();

    public LabFeed(FhirHttp fhir, PatientReader reader, Correctness engine, double changingFraction, long seed) {
        this.fhir = fhir;
        this.reader = reader;
        this.engine = engine;
        this.changingFraction = changingFraction;
        this.random = new Random(seed);
        this.watcher = new Thread(this::watch, "flag-watcher");
        this.watcher.setDaemon(true);
    }

    /** Reads the living patients' records (only what the rules read is kept); the feed posts for them. */
    public int prepare(List<String> patientIds) {
        Instant now = Instant.now();
        for (String id : patientIds.stream().sorted().toList()) {
            PatientReader.PatientData data = reader.read(id);
            if (data.patient().isEmpty() || data.patient().get().hasDeceased()) {
                continue;
            }
            List<Resource> kept = new ArrayList<>();
            Date recent = Date.from(now.minus(RECENT));
            for (Resource resource : data.resources()) {
                if (mayCount(resource, recent)) {
                    kept.add(resource);
                }
            }
            String expected = Correctness.expected(engine.evaluate(
                    new PatientReader.PatientData(id, data.patient(), kept), now));
            Model model = new Model(id, data.patient().get(), kept, expected);
            models.put(id, model);
            order.add(model);
        }
        watcher.start();
        log.info("event=lab_feed_prepared patients={}", order.size());
        return order.size();
    }

    /**
     * Whether a resource can change what the rules say during the feed: the feed evaluates every candidate result
     * against the patient's record, so the record is cut to what can count (rule lab codes and dialysis sessions
     * of the last {@link #RECENT}, conditions, current medications); the correctness check reads everything.
     */
    static boolean mayCount(Resource resource, Date recent) {
        if (resource instanceof Observation observation) {
            return observation.getCode().getCoding().stream().anyMatch(c -> RULE_OBSERVATION_CODES.contains(c.getCode()))
                    && !(observation.hasEffectiveDateTimeType() && observation.getEffectiveDateTimeType().getValue() != null
                    && observation.getEffectiveDateTimeType().getValue().before(recent));
        }
        if (resource instanceof org.hl7.fhir.r4.model.Procedure procedure) {
            Date end = procedure.hasPerformedPeriod() ? procedure.getPerformedPeriod().getEnd()
                    : procedure.hasPerformedDateTimeType() ? procedure.getPerformedDateTimeType().getValue() : null;
            return end == null || !end.before(recent);
        }
        if (resource instanceof org.hl7.fhir.r4.model.MedicationRequest request) {
            return request.getStatus() == org.hl7.fhir.r4.model.MedicationRequest.MedicationRequestStatus.ACTIVE
                    || request.getStatus() == org.hl7.fhir.r4.model.MedicationRequest.MedicationRequestStatus.ONHOLD;
        }
        return true;
    }

    /** Posts at {@code rate} per second for {@code duration}, then waits for the last Flags. */
    public PhaseResult run(String phase, double rate, Duration duration) {
        int before = samples.size();
        int postsBefore = postMillis.size();
        AtomicInteger sent = new AtomicInteger();
        AtomicInteger inFlight = new AtomicInteger();
        int skipped = 0;
        int backlog = Math.max(4, (int) Math.ceil(rate));
        AtomicInteger changing = new AtomicInteger();
        long period = (long) (1e9 / rate);
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        long[] lastAnswer = {start};
        List<java.util.concurrent.Future<?>> futures = new ArrayList<>();
        for (long next = start; next < end; next += period) {
            long wait = next - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            if (inFlight.get() >= backlog) {
                skipped++; // open loop, but bounded: the phase ends on time and the achieved rate tells
                continue;
            }
            Choice choice = choose(phase, rate);
            if (choice.pending() != null) {
                changing.incrementAndGet();
            }
            inFlight.incrementAndGet();
            futures.add(senders.submit(() -> {
                try {
                    post(choice);
                } finally {
                    inFlight.decrementAndGet();
                }
                sent.incrementAndGet();
                synchronized (lastAnswer) {
                    lastAnswer[0] = Math.max(lastAnswer[0], System.nanoTime());
                }
            }));
        }
        for (java.util.concurrent.Future<?> future : futures) {
            try {
                future.get();
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException("lab feed post failed: " + e.getCause().getMessage(), e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        double seconds = Math.max(duration.toNanos(), lastAnswer[0] - start) / 1e9;
        awaitNoPending();
        List<Sample> mine;
        synchronized (samples) {
            mine = List.copyOf(samples.subList(before, samples.size()));
        }
        List<Double> posts;
        synchronized (postMillis) {
            posts = List.copyOf(postMillis.subList(postsBefore, postMillis.size()));
        }
        PhaseResult result = new PhaseResult(phase, rate, sent.get() / seconds, sent.get(), skipped, changing.get(),
                (int) mine.stream().filter(Sample::timedOut).count(),
                Stats.of(mine.stream().map(Sample::latencyMs).toList()), Stats.of(posts));
        log.info("event=lab_feed_phase phase=\"{}\" rate={} achieved={} sent={} skipped={} changing={} p50_ms={} p99_ms={} max_ms={} timeouts={}",
                phase, rate, String.format("%.1f", result.achievedRate()), result.sent(), result.skipped(), result.changing(),
                result.latencyMs().p50(), result.latencyMs().p99(), result.latencyMs().max(), result.timeouts());
        return result;
    }

    public List<Sample> samples() {
        synchronized (samples) {
            return List.copyOf(samples);
        }
    }

    private synchronized Choice choose(String phase, double rate) {
        boolean wantChange = random.nextDouble() < changingFraction;
        Instant at = Instant.now();
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            // one random candidate, one evaluation: the feed's own rule evaluations run on this 2-core machine too
            Model model = order.get(random.nextInt(order.size()));
            if (wantChange && model.pending != null) {
                continue;
            }
            Lab lab = LABS.get(random.nextInt(LABS.size()));
            Observation observation = observation(model, lab, random.nextBoolean(), at);
            List<Resource> with = new ArrayList<>(model.resources);
            with.remove(model.posted.get(lab.analyte()));
            with.add(observation);
            String expected = Correctness.expected(engine.evaluate(
                    new PatientReader.PatientData(model.id, java.util.Optional.of(model.patient), with), at));
            if (wantChange != expected.equals(model.expected)) {
                record(model, lab, observation);
                Pending pending = null;
                if (wantChange) {
                    pending = new Pending(expected, phase, rate, (System.nanoTime() - feedStart) / 1e9);
                    model.pending = pending;
                }
                model.expected = expected;
                return new Choice(model, observation, pending);
            }
        }
        // no patient free for a change, or none that this result would change: a result that changes nothing
        return choose(phase, rate, false);
    }

    private Choice choose(String phase, double rate, boolean unused) {
        Instant at = Instant.now();
        for (Model model : order) {
            for (Lab lab : LABS) {
                for (boolean abnormal : new boolean[] {false, true}) {
                    Observation observation = observation(model, lab, abnormal, at);
                    List<Resource> with = new ArrayList<>(model.resources);
                    with.remove(model.posted.get(lab.analyte()));
                    with.add(observation);
                    String expected = Correctness.expected(engine.evaluate(
                            new PatientReader.PatientData(model.id, java.util.Optional.of(model.patient), with), at));
                    if (expected.equals(model.expected)) {
                        record(model, lab, observation);
                        return new Choice(model, observation, null);
                    }
                }
            }
        }
        throw new IllegalStateException("no lab result leaves any patient's tier as it is");
    }

    private Observation observation(Model model, Lab lab, boolean abnormal, Instant at) {
        long millis = Math.max(at.toEpochMilli(), model.lastEffectiveMillis + 1);
        Observation observation = new Observation();
        observation.setStatus(Observation.ObservationStatus.FINAL);
        observation.addCategory().addCoding().setSystem("http://terminology.hl7.org/CodeSystem/observation-category")
                .setCode("laboratory");
        observation.getCode().addCoding().setSystem("http://loinc.org").setCode(lab.code()).setDisplay(lab.display());
        observation.setSubject(new Reference("Patient/" + model.id));
        observation.setEffective(new DateTimeType(new Date(millis), TemporalPrecisionEnum.MILLI,
                java.util.TimeZone.getTimeZone("UTC")));
        observation.setValue(new Quantity().setValue(abnormal ? lab.abnormal() : lab.normal()).setUnit(lab.unit())
                .setSystem("http://unitsofmeasure.org").setCode(lab.unit()));
        return observation;
    }

    private void post(Choice choice) {
        long started = System.nanoTime();
        MethodOutcome outcome = fhir.client().create().resource(choice.observation()).execute();
        long answered = System.nanoTime();
        postMillis.add((answered - started) / 1e6);
        choice.observation().setId(outcome.getId().toUnqualifiedVersionless());
        Pending pending = choice.pending();
        if (pending != null) {
            pending.answeredAt = answered;
            complete(choice.model(), pending);
        }
    }

    private void watch() {
        while (running) {
            try {
                // the Flags of the patients with a tier change still to be seen, as a search shows them now: the
                // answer holds only those few Flags, so the watcher's own load on the server stays small (a search
                // of every recently updated Flag returned each one again at every poll for as long as the window)
                List<String> outstanding = new ArrayList<>();
                for (Model model : order) {
                    Pending pending = model.pending;
                    if (pending != null && pending.seenAt < 0) {
                        outstanding.add("Patient/" + model.id);
                    }
                }
                // unstored: a stored search is a row and its results written to the database at every poll
                List<Resource> flags = outstanding.isEmpty() ? List.of()
                        : reader.unstored("Flag?subject=" + String.join(",", outstanding), 2 * outstanding.size() + 10);
                long seen = System.nanoTime();
                for (Resource resource : flags) {
                    Flag flag = (Flag) resource;
                    Model model = models.get(flag.getSubject().getReferenceElement().getIdPart());
                    Pending pending = model == null ? null : model.pending;
                    if (pending != null && pending.seenAt < 0 && Correctness.found(flag).equals(pending.expected)) {
                        pending.seenAt = seen;
                        complete(model, pending);
                    }
                }
                for (Model model : order) {
                    Pending pending = model.pending;
                    if (pending != null && pending.answeredAt > 0
                            && seen - pending.answeredAt > TIMEOUT.toNanos()) {
                        timeOut(model, pending);
                    }
                }
            } catch (RuntimeException e) {
                log.warn("event=flag_watch_failed reason=\"{}\"", e.getMessage());
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(POLL));
        }
    }

    private final Object completion = new Object();

    private void complete(Model model, Pending pending) {
        synchronized (completion) {
            completeLocked(model, pending);
        }
    }

    private void completeLocked(Model model, Pending pending) {
        if (pending.done || pending.answeredAt < 0 || pending.seenAt < 0) {
            return;
        }
        pending.done = true;
        samples.add(new Sample(pending.phase, pending.rate, pending.atSeconds,
                Math.max(0, pending.seenAt - pending.answeredAt) / 1e6, false));
        if (model.pending == pending) {
            model.pending = null;
        }
    }

    private void timeOut(Model model, Pending pending) {
        synchronized (completion) {
            timeOutLocked(model, pending);
        }
    }

    private void timeOutLocked(Model model, Pending pending) {
        if (pending.done) {
            return;
        }
        pending.done = true;
        log.warn("event=flag_not_seen patient={} expected={} waited_s={}", model.id, pending.expected, TIMEOUT.toSeconds());
        samples.add(new Sample(pending.phase, pending.rate, pending.atSeconds, TIMEOUT.toMillis(), true));
        if (model.pending == pending) {
            model.pending = null;
        }
    }

    private void awaitNoPending() {
        long deadline = System.nanoTime() + TIMEOUT.plusSeconds(5).toNanos();
        while (System.nanoTime() < deadline) {
            if (order.stream().allMatch(m -> m.pending == null)) {
                return;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }

    @Override
    public void close() {
        running = false;
        senders.shutdownNow();
    }
}
