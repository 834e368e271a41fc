package calciscreen.bench;

import calciscreen.hl7v2.mllp.MllpClient;
import calciscreen.testing.ServiceProcess;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HL7 v2 lab feed phase: the intake jar as a process beside the server and the screening, ORU^R01 messages of
 * 1-6 OBX sent over several MLLP connections at a fixed rate (each connection waits for each ACK, as lab systems do).
 * A share of the messages moves its patient between a high tier (calcium, phosphate and PTH high) and low (all
 * normal). Measured per rate: ACK latency (from the message's last byte written to its ACK read), flag latency (from
 * the AA to the Flag showing the new tier by search), the rate achieved, and the CPU each process spent per message.
 */
final class Hl7Feed implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Hl7Feed.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter HL7_TIME = DateTimeFormatter.ofPattern("yyyyMMddHHmmss.SSSZ")
            .withZone(ZoneOffset.UTC);
    static final String PATIENT_SYSTEM = "http://calciscreen.example/fhir/sid/hl7v2-patient/BENCHHOSP";

    /** How big the phase is, per preset. */
    record Settings(int patients, int connections, double warmUpRate, Duration warmUp, List<Double> rates,
                    Duration phase, List<Double> rampRates, Duration rampStep, double changingFraction) {

        /**
         * The full preset warms up for 3 minutes: after 60 s at 10/s the services' JIT compilers still took 14-17 ms
         * of each message at 20/s (server 8-9, screening 6-8, of 100-148), and two cores were saturated; after 180 s
         * the same code spent 80-106 ms per message (median 93) and kept 20/s in 1 run of 3
         * (docs/benchmarks/2026-12-07-hl7v2-statistics.md). A lab feed runs for days; its figures are those of warm
         * services.
         */
        static Settings of(String preset) {
            return preset.equals("full")
                    ? new Settings(400, 6, 10, Duration.ofSeconds(180), List.of(20.0, 50.0), Duration.ofSeconds(60),
                    List.of(75.0, 100.0, 150.0, 200.0), Duration.ofSeconds(30), 0.3)
                    : new Settings(150, 4, 10, Duration.ofSeconds(30), List.of(20.0, 50.0), Duration.ofSeconds(30),
                    List.of(75.0, 100.0, 150.0), Duration.ofSeconds(15), 0.3);
        }

        /** These settings with another warm-up ({@code --hl7v2-warm-up SECONDS}). */
        Settings withWarmUp(Duration warmUp) {
            return new Settings(patients, connections, warmUpRate, warmUp, rates, phase, rampRates, rampStep,
                    changingFraction);
        }
    }

    /** One rate's figures. */
    record Phase(String name, double targetRate, double achievedRate, int sent, int accepted, int notAccepted,
                 Stats ackMs, Stats flagMs, int flagTimeouts, double maxLateMs, Map<String, Double> cpuMsPerMessage) {

        boolean sustained() {
            return achievedRate >= 0.95 * targetRate && notAccepted == 0 && maxLateMs < 1000;
        }
    }

    record Result(double intakeStartSeconds, Map<String, Object> intakeJvm, Settings settings, Phase warmUp,
                  List<Phase> phases) {
        /** The highest rate sustained with ACK p99 under 1 s (NaN: none). */
        double highestRateAckP99Under1s() {
            return phases.stream().filter(p -> p.sustained() && p.ackMs().p99() < 1000).mapToDouble(Phase::targetRate)
                    .max().orElse(Double.NaN);
        }
    }

    /** One lab result analyte: LOINC, unit, the value of the high and of the low state. */
    private record Analyte(String loinc, String name, String unit, String high, String low) {}

    private static final List<Analyte> TIER = List.of(
            new Analyte("17861-6", "Calcium", "mg/dL", "10.9", "9.2"),
            new Analyte("2777-1", "Phosphate", "mg/dL", "6.4", "3.9"),
            new Analyte("2731-8", "Parathyrin.intact", "pg/mL", "720", "210"));
    private static final List<Analyte> OTHERS = List.of(
            new Analyte("1751-7", "Albumin", "g/dL", "4.0", "4.0"),
            new Analyte("2951-2", "Sodium", "mmol/L", "139", "141"),
            new Analyte("2823-3", "Potassium", "mmol/L", "4.6", "4.2"));

    private final Services services;
    private final Settings settings;
    private final Path intakeJar;
    private final ServiceJvm jvm;
    private Map<String, Object> intakeJvm = Map.of();
    private final Path dir;
    private final Random random;
    private final int mllpPort = ServiceProcess.freePort();
    private final int httpPort = ServiceProcess.freePort();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String run = Long.toString(System.currentTimeMillis() % 1_000_000, 36).toUpperCase();
    private final AtomicInteger sequence = new AtomicInteger();
    private final List<String> mrns = new ArrayList<>();
    private final Map<String, String> patientIds = new ConcurrentHashMap<>();
    /** true: the patient's last tier-changing message put it high. */
    private final Map<String, Boolean> high = new ConcurrentHashMap<>();
    private final Set<String> busy = ConcurrentHashMap.newKeySet();
    /** Whether the intake runs with a JFR recording ({@code --profile}), beside the server's and the screening's. */
    private final boolean profile;
    private Process intake;
    private double startSeconds;

    Hl7Feed(Services services, ServiceJvm jvm, Settings settings, Path intakeJar, Path dir, long seed, boolean profile) {
        this.jvm = jvm;
        this.profile = profile;
        this.services = services;
        this.settings = settings;
        this.intakeJar = intakeJar;
        this.dir = dir;
        this.random = new Random(seed);
    }

    /** The whole phase: start the intake, register the patients, warm up, each rate, then the ramp. */
    static Result run(Services services, ServiceJvm jvm, Path root, Path dir, Settings settings, long seed,
                      boolean profile) {
        try (Hl7Feed feed = new Hl7Feed(services, jvm, settings, root.resolve(
                "hl7v2-intake/target/hl7v2-intake-0.1.0-SNAPSHOT-exec.jar"), dir, seed, profile)) {
            feed.start();
            feed.register();
            services.refreshStatistics("hl7v2 warm-up");
            Phase warmUp = feed.phase("hl7v2 warm-up " + (int) settings.warmUpRate() + "/s", settings.warmUpRate(),
                    settings.warmUp());
            List<Phase> phases = new ArrayList<>();
            for (double rate : settings.rates()) {
                services.awaitScreeningIdle(Duration.ofSeconds(1), Duration.ofMinutes(5));
                services.refreshStatistics("hl7v2 " + (int) rate + "/s");
                phases.add(feed.phase("hl7v2 " + (int) rate + "/s", rate, settings.phase()));
            }
            for (double rate : settings.rampRates()) {
                services.awaitScreeningIdle(Duration.ofSeconds(1), Duration.ofMinutes(5));
                services.refreshStatistics("hl7v2 ramp " + (int) rate + "/s");
                Phase step = feed.phase("hl7v2 ramp " + (int) rate + "/s", rate, settings.rampStep());
                phases.add(step);
                if (!step.sustained() || step.ackMs().p99() >= 1000) {
                    break;
                }
            }
            return new Result(feed.startSeconds, feed.intakeJvm, settings, warmUp, phases);
        }
    }

    /** The report's rows for the phase (targets of issue #23). */
    static List<Report.Row> rows(Result result) {
        List<Report.Row> rows = new ArrayList<>();
        rows.add(Report.Row.of("HL7 v2 intake start (launch to health UP)", Bench.fmt(result.intakeStartSeconds()) + " s"));
        rows.add(Report.Row.of("HL7 v2 warm-up before the figures (not measured)", result.settings().warmUp().toSeconds()
                + " s at " + (int) result.settings().warmUpRate() + "/s, " + result.warmUp().sent() + " messages"));
        for (Phase p : result.phases()) {
            String name = "HL7 v2 feed " + (int) p.targetRate() + "/s (achieved " + Bench.fmt(p.achievedRate()) + "/s, "
                    + p.sent() + " messages, " + p.notAccepted() + " not AA)";
            boolean twenty = p.targetRate() == 20.0 && !p.name().contains("ramp");
            rows.add(twenty ? Report.Row.target(name + ", ACK p50 / p99", ms(p.ackMs()), "p99 <= 500 ms at 20/s",
                    p.sustained() && p.ackMs().p99() <= 500) : Report.Row.of(name + ", ACK p50 / p99", ms(p.ackMs())));
            String flag = "HL7 v2 feed " + (int) p.targetRate() + "/s, flag latency p50 / p99 (" + p.flagMs().count()
                    + " tier changes, " + p.flagTimeouts() + " not seen)";
            rows.add(twenty ? Report.Row.target(flag, ms(p.flagMs()), "p99 <= 1 s at 20/s",
                    p.sustained() && p.flagMs().p99() <= 1000 && p.flagTimeouts() == 0)
                    : Report.Row.of(flag, ms(p.flagMs())));
            if (p.targetRate() == 50.0 && !p.name().contains("ramp")) {
                rows.add(Report.Row.target("HL7 v2 feed 50/s sustained", p.sustained() ? "yes" : "no (late by up to "
                        + Bench.fmt(p.maxLateMs()) + " ms)", "50 messages/s", p.sustained()));
            }
            rows.add(Report.Row.of("HL7 v2 feed " + (int) p.targetRate() + "/s, CPU per message", cpu(p.cpuMsPerMessage())));
        }
        double highest = result.highestRateAckP99Under1s();
        rows.add(Report.Row.of("HL7 v2: highest rate with ACK p99 < 1 s", Double.isNaN(highest) ? "none"
                : (int) highest + " messages/s"));
        return rows;
    }

    /**
     * Starts the intake as {@code ./calciscreen up} does: on the services' JVM ({@link ServiceJvm}: a JDK 25 or newer
     * when installed, the intake unpacked, with its AOT cache). Without a cache yet, a first start (up, then stopped,
     * not measured) writes it, as the bench does for the server and the screening.
     */
    void start() {
        ServiceJvm.Prepared prepared = jvm.prepare("hl7v2-intake", intakeJar);
        if (prepared.training()) {
            long training = System.nanoTime();
            Process trainee = launch(prepared, dir.resolve("aot-training"), false);
            try {
                awaitUp(trainee, dir.resolve("aot-training"));
            } finally {
                ServiceProcess.stop(trainee, Duration.ofMinutes(5)); // the JVM writes its cache as it exits
            }
            prepared = jvm.prepare("hl7v2-intake", intakeJar);
            log.info("event=aot_cache_training_done name=hl7v2-intake took_ms={} cache_read_next={}",
                    (System.nanoTime() - training) / 1_000_000, prepared.cacheUsed());
        }
        intakeJvm = jvm.describe(prepared);
        long started = System.nanoTime();
        Process process = launch(prepared, dir, profile);
        intake = process;
        awaitUp(process, dir);
        startSeconds = (System.nanoTime() - started) / 1e9;
        log.info("event=service_up name=hl7v2-intake pid={} took_ms={} java={} aot_cache={}", intake.pid(),
                Math.round(startSeconds * 1000), jvm.feature(), prepared.cacheUsed());
    }

    private Process launch(ServiceJvm.Prepared prepared, Path in, boolean recorded) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("SERVER_PORT", String.valueOf(httpPort));
        env.put("CALCISCREEN_HL7V2_MLLP_PORT", String.valueOf(mllpPort));
        env.put("CALCISCREEN_HL7V2_FHIR_BASE_URL", services.fhir().base());
        env.put("CALCISCREEN_HL7V2_STATE_DIR", in.resolve("hl7v2-intake-state").toString());
        // the stack's server generated the lab client's development key: the intake signs with it
        env.put("CALCISCREEN_HL7V2_LAB_KEY_FILE", services.dir().resolve("auth/clients/calciscreen-lab.jwk").toString());
        List<String> options = intakeJvm(prepared, System.getenv("CALCISCREEN_BENCH_HL7V2_JAVA_OPTS"));
        if (recorded) {
            options.addAll(Bench.flightRecording(in.resolve("hl7v2-intake.jfr")));
        }
        Process process = ServiceProcess.launch("hl7v2-intake", jvm.java(), prepared.jar(), options, env, in);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> ServiceProcess.stop(process), "stop-hl7v2-intake"));
        return process;
    }

    /** The intake's JVM options: its cache's (first), the heap, then the operator's extra options. */
    static List<String> intakeJvm(ServiceJvm.Prepared prepared, String extra) {
        List<String> options = new ArrayList<>(prepared.jvmOptions());
        options.addAll(List.of("-Xms64m", "-Xmx512m"));
        if (extra != null && !extra.isBlank()) {
            options.addAll(List.of(extra.trim().split("\\s+")));
        }
        return options;
    }

    private void awaitUp(Process process, Path in) {
        ServiceProcess.awaitUp("hl7v2-intake", process, () -> {
            HttpResponse<String> health = get("http://localhost:" + httpPort + "/actuator/health", null);
            return health.statusCode() == 200 && health.body().contains("\"UP\"");
        }, Duration.ofSeconds(120), in);
    }

    /** An ADT^A04 per patient (female, 1 point: no Flag), then their ids on the server. */
    void register() {
        try (MllpClient lab = new MllpClient("localhost", mllpPort, Duration.ofSeconds(60))) {
            for (int i = 0; i < settings.patients(); i++) {
                String mrn = run + String.format("%05d", i);
                String ack = lab.send("MSH|^~\\&|BENCHREG|BENCHHOSP|CALCISCREEN|CALCISCREEN|" + now()
                        + "||ADT^A04^ADT_A01|R" + run + i + "|P|2.5.1\rEVN|A04|" + now() + "\rPID|1||" + mrn
                        + "^^^BENCHHOSP^MR||Bench^Patient" + i + "||19600101|F\r");
                if (!ack.contains("MSA|AA|")) {
                    throw new IllegalStateException("registration of a bench patient refused: " + ack);
                }
                mrns.add(mrn);
                high.put(mrn, false);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot reach the intake: " + e.getMessage(), e);
        }
        for (String mrn : mrns) {
            HttpResponse<String> found = services.fhir().send(services.fhir().request("Patient?identifier="
                    + URLEncoder.encode(PATIENT_SYSTEM + "|" + mrn, StandardCharsets.UTF_8)).GET().build());
            JsonNode entry = read(found.body()).path("entry");
            if (entry.size() != 1) {
                throw new IllegalStateException("bench patient " + mrn + " found " + entry.size() + " times");
            }
            patientIds.put(mrn, entry.get(0).path("resource").path("id").asText());
        }
        log.info("event=hl7v2_patients_registered count={}", mrns.size());
    }

    private record Job(long scheduledNanos) {}

    private record Expected(boolean high, long ackNanos) {}

    /** Sends at {@code rate} for {@code duration} over the configured connections and measures. */
    Phase phase(String name, double rate, Duration duration) {
        int total = (int) Math.round(rate * duration.toSeconds());
        BlockingQueue<Job> jobs = new LinkedBlockingQueue<>();
        List<Double> ackMs = new CopyOnWriteArrayList<>();
        List<Double> flagMs = new CopyOnWriteArrayList<>();
        List<Double> lateMs = new CopyOnWriteArrayList<>();
        Map<String, Expected> outstanding = new ConcurrentHashMap<>();
        AtomicInteger accepted = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        AtomicInteger flagTimeouts = new AtomicInteger();
        long[] lastAck = {0};
        CpuTime cpuBefore = services.cpuTime();
        double intakeBefore = intakeSeconds();
        long start = System.nanoTime();
        ExecutorService senders = Executors.newFixedThreadPool(settings.connections() + 1);
        for (int c = 0; c < settings.connections(); c++) {
            senders.submit(() -> {
                try (MllpClient lab = new MllpClient("localhost", mllpPort, Duration.ofSeconds(60))) {
                    while (true) {
                        Job job = jobs.poll(2, TimeUnit.SECONDS);
                        if (job == null) {
                            continue;
                        }
                        if (job.scheduledNanos() < 0) {
                            return null; // end marker
                        }
                        lateMs.add((System.nanoTime() - job.scheduledNanos()) / 1e6);
                        send(lab, outstanding, ackMs, accepted, refused, lastAck);
                    }
                }
            });
        }
        Instant phaseStarted = Instant.now();
        senders.submit(() -> {
            watch(phaseStarted, outstanding, flagMs, flagTimeouts, start + duration.toNanos() + 20_000_000_000L);
            return null;
        });
        for (int i = 0; i < total; i++) {
            long at = start + (long) (i * 1e9 / rate);
            long wait = at - System.nanoTime();
            if (wait > 0) {
                ServiceProcess.sleep(wait / 1_000_000);
            }
            jobs.add(new Job(at));
        }
        for (int c = 0; c < settings.connections(); c++) {
            jobs.add(new Job(-1));
        }
        senders.shutdown();
        try {
            if (!senders.awaitTermination(duration.toSeconds() + 90, TimeUnit.SECONDS)) {
                senders.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        int sent = accepted.get() + refused.get();
        Map<String, Double> cpu = services.cpuTime().millisPerUnitSince(cpuBefore, Math.max(1, sent));
        cpu.put("intake", Math.round((intakeSeconds() - intakeBefore) * 10_000 / Math.max(1, sent)) / 10.0);
        cpu.put("total", Math.round((cpu.getOrDefault("total", 0.0) + cpu.get("intake")) * 10) / 10.0);
        double seconds = Math.max(1e-9, (lastAck[0] - start) / 1e9);
        Phase phase = new Phase(name, rate, sent / seconds, sent, accepted.get(), refused.get(), Stats.of(ackMs),
                Stats.of(flagMs), flagTimeouts.get(), lateMs.stream().mapToDouble(Double::doubleValue).max().orElse(0),
                cpu);
        log.info("event=hl7v2_phase name=\"{}\" sent={} achieved={} ack_p50_ms={} ack_p99_ms={} flag_p50_ms={} "
                        + "flag_p99_ms={} flag_changes={} cpu_ms_per_message={}", name, sent, Bench.fmt(phase.achievedRate()),
                Bench.fmt(phase.ackMs().p50()), Bench.fmt(phase.ackMs().p99()), Bench.fmt(phase.flagMs().p50()),
                Bench.fmt(phase.flagMs().p99()), phase.flagMs().count(), cpu);
        return phase;
    }

    /** One message for a patient no other connection is sending for, its ACK awaited. */
    private void send(MllpClient lab, Map<String, Expected> outstanding, List<Double> ackMs, AtomicInteger accepted,
                      AtomicInteger refused, long[] lastAck) throws IOException {
        String mrn;
        boolean changing;
        synchronized (this) {
            changing = random.nextDouble() < settings.changingFraction();
            List<String> free = new ArrayList<>();
            for (String candidate : mrns) {
                if (!busy.contains(candidate) && !(changing && outstanding.containsKey(patientIds.get(candidate)))) {
                    free.add(candidate);
                }
            }
            if (free.isEmpty()) {
                throw new IllegalStateException("no bench patient free: too few patients for the connections");
            }
            mrn = free.get(random.nextInt(free.size()));
            busy.add(mrn);
        }
        try {
            boolean nowHigh = changing != high.get(mrn);
            String message = message(mrn, nowHigh, changing);
            long sent = System.nanoTime();
            String ack = lab.send(message);
            long acked = System.nanoTime();
            ackMs.add((acked - sent) / 1e6);
            synchronized (lastAck) {
                lastAck[0] = Math.max(lastAck[0], acked);
            }
            if (ack.contains("MSA|AA|")) {
                accepted.incrementAndGet();
                if (changing) {
                    high.put(mrn, nowHigh);
                    outstanding.put(patientIds.get(mrn), new Expected(nowHigh, acked));
                }
            } else {
                refused.incrementAndGet();
                log.warn("event=hl7v2_not_accepted ack=\"{}\"", ack.replace('\r', ' '));
            }
        } finally {
            busy.remove(mrn);
        }
    }

    /** ORU^R01 of 1-6 OBX; a tier-changing one carries calcium, phosphate and PTH (3-6 OBX). */
    private String message(String mrn, boolean highState, boolean changing) {
        int seq = sequence.incrementAndGet();
        List<Analyte> analytes = new ArrayList<>();
        int count;
        synchronized (this) {
            count = changing ? 3 + random.nextInt(4) : 1 + random.nextInt(6);
            List<Analyte> pool = new ArrayList<>(changing ? OTHERS : union());
            Collections.shuffle(pool, random);
            if (changing) {
                analytes.addAll(TIER);
            }
            analytes.addAll(pool.subList(0, count - analytes.size()));
        }
        String now = now();
        StringBuilder m = new StringBuilder("MSH|^~\\&|BENCHLAB|BENCHHOSP|CALCISCREEN|CALCISCREEN|").append(now)
                .append("||ORU^R01^ORU_R01|M").append(run).append(seq).append("|P|2.5.1\r")
                .append("PID|1||").append(mrn).append("^^^BENCHHOSP^MR||Bench^Patient||19600101|F\r")
                .append("ORC|RE|P").append(seq).append("|F").append(run).append(seq).append("^BENCHLAB||CM\r")
                .append("OBR|1|P").append(seq).append("|F").append(run).append(seq)
                .append("^BENCHLAB|24362-6^Renal function panel^LN|||").append(now)
                .append("|||||||||||||||").append(now).append("|||F\r");
        int set = 0;
        for (Analyte a : analytes) {
            m.append("OBX|").append(++set).append("|NM|").append(a.loinc()).append('^').append(a.name())
                    .append("^LN||").append(highState ? a.high() : a.low()).append('|').append(a.unit()).append('^')
                    .append(a.unit()).append("^UCUM|||||F|||").append(now).append('\r');
        }
        return m.toString();
    }

    private static List<Analyte> union() {
        List<Analyte> all = new ArrayList<>(TIER);
        all.addAll(OTHERS);
        return all;
    }

    /**
     * Every 50 ms, the Flags written since the last look ({@code _lastUpdated}, unstored): a Flag showing the tier a
     * patient's last AA made it is that change seen.
     */
    private void watch(Instant since, Map<String, Expected> outstanding, List<Double> flagMs, AtomicInteger timeouts,
                       long until) {
        Instant mark = since.minusSeconds(1);
        while (System.nanoTime() < until && !Thread.currentThread().isInterrupted()) {
            HttpResponse<String> found = services.fhir().send(services.fhir().request("Flag?_lastUpdated=gt"
                    + mark + "&_sort=_lastUpdated&_count=500").header("Cache-Control", "no-store").GET().build());
            long seen = System.nanoTime();
            for (JsonNode entry : read(found.body()).path("entry")) {
                JsonNode flag = entry.path("resource");
                String updated = flag.path("meta").path("lastUpdated").asText();
                Instant at = Instant.parse(updated);
                if (at.minusSeconds(1).isAfter(mark)) {
                    mark = at.minusSeconds(1);
                }
                String patient = flag.path("subject").path("reference").asText().replace("Patient/", "");
                Expected expected = outstanding.get(patient);
                if (expected != null && showsHigh(flag) == expected.high() && seen > expected.ackNanos()) {
                    flagMs.add((seen - expected.ackNanos()) / 1e6);
                    outstanding.remove(patient, expected);
                }
            }
            outstanding.entrySet().removeIf(e -> {
                boolean late = seen - e.getValue().ackNanos() > 30_000_000_000L;
                if (late) {
                    timeouts.incrementAndGet();
                }
                return late;
            });
            if (System.nanoTime() > until - 19_000_000_000L && outstanding.isEmpty()) {
                return; // the feed ended and every change was seen
            }
            ServiceProcess.sleep(50);
        }
        timeouts.addAndGet(outstanding.size());
        outstanding.clear();
    }

    private static boolean showsHigh(JsonNode flag) {
        if (!"active".equals(flag.path("status").asText())) {
            return false;
        }
        for (JsonNode extension : flag.path("extension")) {
            if (extension.path("url").asText().endsWith("flag-priority")) {
                return extension.path("valueCodeableConcept").path("coding").path(0).path("code").asText().equals("PH");
            }
        }
        return false;
    }

    private double intakeSeconds() {
        return intake == null ? 0 : CpuTime.processSeconds(intake.pid()).orElse(0) / 100.0;
    }

    private static String now() {
        return HL7_TIME.format(Instant.now());
    }

    private HttpResponse<String> get(String url, String token) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
            if (token != null) {
                request.header("Authorization", "Bearer " + token);
            }
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode read(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new IllegalStateException("not JSON: " + body, e);
        }
    }

    private static String ms(Stats stats) {
        return Bench.ms(stats.p50()) + " / " + Bench.ms(stats.p99());
    }

    private static String cpu(Map<String, Double> ms) {
        return String.format("%.1f ms: server %.1f, screening %.1f, intake %.1f, PostgreSQL %.1f, load generator %.1f",
                ms.getOrDefault("total", Double.NaN), ms.getOrDefault("server", Double.NaN),
                ms.getOrDefault("screening", Double.NaN), ms.getOrDefault("intake", Double.NaN),
                ms.getOrDefault("postgresql", Double.NaN), ms.getOrDefault("load_generator", Double.NaN));
    }

    @Override
    public void close() {
        ServiceProcess.stop(intake);
    }
}
