package calciscreen.bench;

import calciscreen.screening.rules.RuleSet;
import calciscreen.testing.PostgresTestDatabase;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code ./calciscreen bench [--quick]}: one run of every measurement of issue #5 on PostgreSQL, with the real server
 * and screening jars, then a correctness check. Exit code 0 only when the check finds no mismatch.
 *
 * <p>Options: {@code --quick} or {@code --full} (default), {@code --seed N} (42), {@code --profile} (a JFR recording of
 * both services, and of the intake in its phase, under the output directory), {@code --skip-jmh}, {@code --hl7v2-only} (the HL7 v2 feed phase alone,
 * {@link Hl7Feed}, on a fresh database: no Synthea population), {@code --ingest-only} (the ingest off and on, start-up
 * of both services, nothing else), {@code --fhir-base URL} (the same ingest into a FHIR server already running there),
 * {@code --bundles N} (only the first N patient Bundles, ESRD first, measured and warm-up: a fixed subset for short
 * runs).
 */
public final class Bench {

    private static final Logger log = LoggerFactory.getLogger(Bench.class);
    public static final long DEFAULT_SEED = 42;
    /** The warm-up population's seed is the run's plus this: other patients than the measured ones. */
    static final long WARM_UP_SEED_OFFSET = 1000;
    /** Backfill passes whose median is also reported apart when a run makes more of them. */
    static final int LAST_PASSES = 3;

    public static void main(String[] args) throws Exception {
        Preset preset = Preset.full();
        long seed = DEFAULT_SEED;
        boolean profile = false;
        boolean jmh = true;
        Integer backfillPasses = null;
        boolean hl7v2Only = false;
        boolean ingestOnly = false;
        String fhirBase = null;
        int bundleLimit = Integer.MAX_VALUE;
        Duration hl7v2WarmUp = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> preset = Preset.quick();
                case "--full" -> preset = Preset.full();
                case "--seed" -> seed = Long.parseLong(args[++i]);
                case "--profile" -> profile = true;
                case "--skip-jmh" -> jmh = false;
                case "--backfill-passes" -> backfillPasses = Integer.parseInt(args[++i]);
                case "--hl7v2-only" -> hl7v2Only = true;
                case "--ingest-only" -> ingestOnly = true;
                case "--fhir-base" -> fhirBase = args[++i];
                case "--bundles" -> bundleLimit = Integer.parseInt(args[++i]);
                case "--hl7v2-warm-up" -> hl7v2WarmUp = Duration.ofSeconds(Long.parseLong(args[++i]));
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + " (--quick, --full, --seed N, --profile, --skip-jmh, --backfill-passes N, --hl7v2-only,"
                        + " --ingest-only, --fhir-base URL, --bundles N, --hl7v2-warm-up SECONDS)");
            }
        }
        if (backfillPasses != null) {
            preset = preset.withBackfillPasses(backfillPasses);
        }
        if (bundleLimit < 1) {
            throw new IllegalArgumentException("--bundles must be at least 1, not " + bundleLimit);
        }
        if (hl7v2WarmUp != null && hl7v2WarmUp.isNegative()) {
            throw new IllegalArgumentException("--hl7v2-warm-up must not be negative, not " + hl7v2WarmUp.toSeconds());
        }
        Bench bench = new Bench(preset, seed, profile, jmh, bundleLimit);
        bench.hl7v2WarmUp = hl7v2WarmUp;
        int exit = hl7v2Only ? bench.runHl7v2Only()
                : fhirBase != null ? bench.runExternal(fhirBase)
                : ingestOnly ? bench.runIngestOnly()
                : bench.run();
        System.exit(exit);
    }

    private final Preset preset;
    private final long seed;
    private final boolean profile;
    private final boolean jmh;
    private final int bundleLimit;
    private final Path root = Path.of(System.getProperty("calciscreen.bench.root", ".")).toAbsolutePath().normalize();
    private final Path out;
    private final Path runDir;
    private final Map<String, Object> json = new LinkedHashMap<>();
    private final List<Report.Row> rows = new ArrayList<>();
    private final ServiceJvm serviceJvm;
    private Map<String, Object> servicesJvm = Map.of();
    /** The HL7 v2 feed's warm-up when {@code --hl7v2-warm-up} gives one; the preset's otherwise. */
    private Duration hl7v2WarmUp;
    /** Every phase's services (their databases' ANALYZE runs are reported). */
    private final List<Services> measured = new ArrayList<>();

    Bench(Preset preset, long seed, boolean profile, boolean jmh, int bundleLimit) {
        this.preset = preset;
        this.seed = seed;
        this.profile = profile;
        this.jmh = jmh;
        this.bundleLimit = bundleLimit;
        this.out = root.resolve("target/bench");
        this.runDir = out.resolve("runs").resolve(Instant.now().toString().replace(':', '-'));
        this.serviceJvm = ServiceJvm.chosen(out.resolve("jvm"));
    }

    int run() throws IOException {
        Instant started = start();
        Population population = population();

        // CPU milliseconds by process per unit of work of each phase
        Map<String, Map<String, Double>> cpu = new LinkedHashMap<>();

        // 2. ingest with the screening off
        OffPhase offPhase = ingestOff(population, cpu);
        Ingest.Result off = offPhase.result();
        OptionalLong offServerRss = offPhase.serverRss();

        // 3. everything else with the screening on
        Ingest.Result on;
        double catchUpSeconds;
        List<LabFeed.PhaseResult> phases = new ArrayList<>();
        LabFeed.PhaseResult warmUp = null;
        List<LabFeed.Sample> samples;
        List<Map<String, Object>> backfills = new ArrayList<>();
        Correctness.Result check;
        OptionalLong serverRss;
        OptionalLong screeningRss;
        Map<String, Object> evaluations;
        double reconciliationDuringIngest;
        Map<String, Double> feedStages = Map.of();
        Instant onStarted;
        Instant onEnded;
        List<String> warmUpPatientIds = new ArrayList<>();
        Hl7Feed.Result hl7v2;
        OnPhase onPhase;
        try (Services services = services("bench_on")) {
            onPhase = ingestOn(services, population, cpu);
            on = onPhase.result();
            catchUpSeconds = onPhase.catchUpSeconds();
            onStarted = onPhase.started();
            onEnded = onPhase.ended();
            warmUpPatientIds.addAll(onPhase.warmUpPatientIds());

            // as after any bulk load: statistics for the planner
            services.refreshStatistics("backfill");

            // backfill of the population as Synthea made it (before the lab feed adds hundreds of results per patient)
            CpuTime backfillStart = services.cpuTime();
            int backfilled = 0;
            for (int pass = 1; pass <= preset.backfillPasses(); pass++) {
                Map<String, Object> done = backfill(services);
                backfills.add(done);
                backfilled += (Integer) done.get("patients");
            }
            cpu.put("backfill_per_patient", services.cpuTime().millisPerUnitSince(backfillStart, backfilled));

            PatientReader reader = new PatientReader(services.fhir());
            Correctness engine = new Correctness(reader, RuleSet.v1());
            try (LabFeed feed = new LabFeed(services.fhir(), reader, engine, preset.changingFraction(), seed)) {
                feed.prepare(on.patientIds());
                if (!preset.warmUp().isZero()) {
                    warmUp = feed.run("warm-up " + (int) (preset.feedRate() / 2) + "/s", preset.feedRate() / 2,
                            preset.warmUp());
                    services.awaitScreeningIdle(Duration.ofSeconds(1), Duration.ofMinutes(5));
                }
                CpuTime feedStart = services.cpuTime();
                Map<String, double[]> timersBefore = services.screeningTimers();
                phases.add(feed.run("fixed " + (int) preset.feedRate() + "/s", preset.feedRate(), preset.feedDuration()));
                cpu.put("lab_feed_fixed_per_result", services.cpuTime().millisPerUnitSince(feedStart, phases.get(0).sent()));
                feedStages = Services.meanMillisSince(timersBefore, services.screeningTimers());
                for (double rate : preset.rampRates()) {
                    services.awaitScreeningIdle(Duration.ofSeconds(1), Duration.ofMinutes(5));
                    LabFeed.PhaseResult step = feed.run("ramp " + (int) rate + "/s", rate, preset.rampStep());
                    phases.add(step);
                    if (!step.sustained()) {
                        break;
                    }
                }
                samples = feed.samples();
            }
            services.awaitScreeningIdle(Duration.ofSeconds(2), Duration.ofMinutes(10));
            hl7v2 = Hl7Feed.run(services, serviceJvm, root, runDir.resolve("bench_on"), hl7v2Settings(), seed, profile);
            withIntakeJvm(hl7v2);
            services.awaitScreeningIdle(Duration.ofSeconds(2), Duration.ofMinutes(10));

            List<String> everyPatient = new ArrayList<>(warmUpPatientIds);
            everyPatient.addAll(on.patientIds());
            check = engine.check(everyPatient);
            serverRss = services.serverPeakRssMiB();
            screeningRss = services.screeningPeakRssMiB();
            evaluations = evaluationFigures(runDir.resolve("bench_on/screening.log"));
            reconciliationDuringIngest = reconciliationSeconds(runDir.resolve("bench_on/screening.log"), onStarted, onEnded);
        }

        // 4. the rule engine alone
        RuleEngineBenchmark.Result engineSpeed = jmh ? RuleEngineBenchmark.run(preset.jmhWarmups(), preset.jmhIterations()) : null;

        // figures
        ingestFigures(population, offPhase, onPhase, serverRss, reconciliationDuringIngest, cpu);
        json.put("lab_feed_warm_up", warmUp);
        json.put("lab_feed", phases);
        LabFeed.PhaseResult fixed = phases.get(0);
        double highest = phases.stream().skip(1).filter(LabFeed.PhaseResult::sustained)
                .mapToDouble(LabFeed.PhaseResult::targetRate).max().orElse(Double.NaN);
        boolean rampTopped = phases.size() - 1 == preset.rampRates().size() && phases.get(phases.size() - 1).sustained();
        json.put("highest_rate_p99_under_2s", Double.isNaN(highest) ? null : highest);
        json.put("highest_rate_is_lower_bound", rampTopped);
        json.put("backfill", backfills);
        double backfillRate = Stats.median(backfills.stream().map(b -> (Double) b.get("patients_per_second")).toList());
        json.put("backfill_patients_per_second_median", backfillRate);
        // with more passes than the preset's, the last ones show the backfill once both services have compiled its
        // path: what the middle of a backfill of a whole hospital's patients runs at, not its first minute
        double lastPassesRate = Stats.median(backfills.stream().skip(Math.max(0, backfills.size() - LAST_PASSES))
                .map(b -> (Double) b.get("patients_per_second")).toList());
        json.put("backfill_patients_per_second_median_last_" + LAST_PASSES, lastPassesRate);
        json.put("rule_engine", engineSpeed);
        json.put("cpu_ms", cpu);
        json.put("lab_feed_fixed_stage_means_ms", feedStages);
        json.put("peak_rss_mib", Map.of("server", serverRss.orElse(-1), "screening", screeningRss.orElse(-1),
                "server_screening_off", offServerRss.orElse(-1)));
        json.put("screening_evaluations", evaluations);
        json.put("correctness", check);
        json.put("finished", Instant.now().toString());
        json.put("run_dir", root.relativize(runDir).toString());

        // a latency target counts as met only at the rate it names: a feed that fell short of it measured less load
        boolean atRate = fixed.achievedRate() >= 0.9 * fixed.targetRate() && fixed.timeouts() == 0;
        String feed = "flag latency, feed " + (int) fixed.targetRate() + "/s (achieved " + fmt(fixed.achievedRate()) + "/s)";
        rows.add(Report.Row.target(feed + ", p50", ms(fixed.latencyMs().p50()), "<= 250 ms at 50/s",
                atRate && fixed.latencyMs().p50() <= 250));
        rows.add(Report.Row.of(feed + ", p95", ms(fixed.latencyMs().p95())));
        rows.add(Report.Row.target(feed + ", p99", ms(fixed.latencyMs().p99()), "<= 1000 ms at 50/s",
                atRate && fixed.latencyMs().p99() <= 1000));
        rows.add(Report.Row.of(feed + ", max", ms(fixed.latencyMs().max()) + " (" + fixed.latencyMs().count()
                + " tier changes of " + fixed.sent() + " results, " + fixed.skipped() + " not sent, "
                + fixed.timeouts() + " timeouts)"));
        rows.add(Report.Row.of("highest rate with p99 < 2 s", Double.isNaN(highest) ? "none of "
                + preset.rampRates() : (rampTopped ? ">= " : "") + (int) highest + " results/s"));
        rows.add(Report.Row.target("backfill (median of " + backfills.size() + ")", fmt(backfillRate) + " patients/s",
                ">= 100 patients/s", backfillRate >= 100));
        if (backfills.size() > LAST_PASSES) {
            rows.add(Report.Row.of("backfill, last " + LAST_PASSES + " passes (median)", fmt(lastPassesRate)
                    + " patients/s"));
        }
        if (engineSpeed != null) {
            rows.add(Report.Row.target("rule engine (JMH, 1 thread)", String.format("%,.0f evaluations/s", engineSpeed.evaluationsPerSecond()),
                    ">= 1,000,000/s/core", engineSpeed.evaluationsPerSecond() >= 1_000_000));
            rows.add(Report.Row.of("rule engine, context built + evaluated (JMH, 1 thread)",
                    String.format("%,.0f patients/s", engineSpeed.buildAndEvaluatePerSecond())));
        }
        rows.add(Report.Row.of("screening stages at " + (int) fixed.targetRate() + "/s (means, every result)", String.format(
                "notification %.0f ms after the write, queued %.0f ms, screened in %.0f ms",
                feedStages.getOrDefault("calciscreen_notification_lag", Double.NaN),
                feedStages.getOrDefault("calciscreen_queue_wait", Double.NaN),
                feedStages.getOrDefault("calciscreen_evaluation", Double.NaN))));
        rows.add(Report.Row.of("CPU per lab result at " + (int) fixed.targetRate() + "/s", cpuText(cpu.get("lab_feed_fixed_per_result"))));
        rows.add(Report.Row.of("CPU per backfilled patient", cpuText(cpu.get("backfill_per_patient"))));
        rows.add(Report.Row.of("peak RSS server / screening", serverRss.orElse(-1) + " MiB / " + screeningRss.orElse(-1) + " MiB"));
        rows.add(Report.Row.of("screening evaluations", evaluations.get("count") + ", mean " + evaluations.get("mean_ms")
                + " ms, " + evaluations.get("mean_requests") + " requests each"));
        rows.addAll(Hl7Feed.rows(hl7v2));
        json.put("hl7v2_feed", hl7v2);
        rows.add(Report.Row.target("correctness: Flag mismatches", String.valueOf(check.mismatches().size()),
                "0 of " + check.patients() + " patients", check.mismatches().isEmpty()));
        json.put("summary", rows);

        Map<String, Object> context = new LinkedHashMap<>();
        context.put("date", started.toString());
        context.put("preset", preset.name());
        context.put("seed", seed);
        context.put("machine", json.get("machine"));
        context.put("versions", json.get("versions"));
        String table = Report.table(rows);
        System.out.println();
        System.out.println("calciscreen bench (" + preset.name() + ", seed " + seed + ") " + json.get("machine"));
        System.out.print(table);
        Report.writeJson(out.resolve("bench-" + preset.name() + ".json"), json);
        Report.write(out.resolve("bench-" + preset.name() + ".md"), Report.markdown("calciscreen bench: " + preset.name(), context, rows));
        Report.latencyPlot(out.resolve("flag-latency-" + preset.name() + ".png"), samples,
                preset.name() + ", " + started.toString().substring(0, 16) + "Z");
        Report.writeJson(runDir.resolve("bench.json"), json);
        System.out.println("written: " + root.relativize(out) + "/bench-" + preset.name() + ".{json,md}, flag-latency-"
                + preset.name() + ".png; logs in " + root.relativize(runDir));
        if (!check.mismatches().isEmpty()) {
            System.out.println("FAILED: " + check.mismatches().size() + " patients whose Flag does not match the rule engine");
            return 1;
        }
        return 0;
    }

    /** What every run records first. */
    private Instant start() {
        Instant started = Instant.now();
        json.put("preset", preset);
        json.put("seed", seed);
        json.put("started", started.toString());
        json.put("machine", machine());
        json.put("versions", versions());
        if (bundleLimit != Integer.MAX_VALUE) {
            json.put("bundle_limit", bundleLimit);
        }
        return started;
    }

    /**
     * The Bundles of a run: hospitals and practitioners, the warm-up population, the measured patients (ESRD first;
     * with {@code --bundles N}, the first N of the measured ones and of the warm-up ones).
     */
    record Population(List<Ingest.BundleFile> infrastructure, List<Ingest.BundleFile> warmUp,
                      List<Ingest.BundleFile> patients, int esrdBundles, long resources) {}

    private Population population() throws IOException {
        LocalDate referenceDate = LocalDate.now(ZoneOffset.UTC);
        SyntheaPopulation synthea = new SyntheaPopulation(root.resolve("target/bench-data"), syntheaClasspath(), seed,
                referenceDate);
        SyntheaPopulation.Generated esrd = synthea.generate(SyntheaPopulation.Kind.ESRD, preset.esrdPatients(),
                preset.yearsOfHistory());
        SyntheaPopulation.Generated mixed = synthea.generate(SyntheaPopulation.Kind.MIXED, preset.mixedPatients(),
                preset.yearsOfHistory());
        SyntheaPopulation warmUpSynthea = new SyntheaPopulation(root.resolve("target/bench-data"), syntheaClasspath(),
                seed + WARM_UP_SEED_OFFSET, referenceDate);
        List<SyntheaPopulation.Generated> warmUpPopulation = List.of(
                warmUpSynthea.generate(SyntheaPopulation.Kind.ESRD, preset.warmUpEsrd(), preset.yearsOfHistory()),
                warmUpSynthea.generate(SyntheaPopulation.Kind.MIXED, preset.warmUpMixed(), preset.yearsOfHistory()));
        List<Ingest.BundleFile> infrastructure = Ingest.describe(Stream.concat(Stream.of(esrd, mixed), warmUpPopulation.stream())
                .flatMap(g -> g.infrastructureBundles().stream()).toList());
        List<Ingest.BundleFile> warmUpBundles = Ingest.describe(warmUpPopulation.stream()
                .flatMap(g -> g.patientBundles(preset.deceasedKept()).stream()).limit(bundleLimit).toList());
        List<Ingest.BundleFile> esrdBundles = Ingest.describe(esrd.patientBundles(preset.deceasedKept()));
        List<Ingest.BundleFile> patients = new ArrayList<>(esrdBundles);
        patients.addAll(Ingest.describe(mixed.patientBundles(preset.deceasedKept())));
        if (patients.size() > bundleLimit) {
            patients = new ArrayList<>(patients.subList(0, bundleLimit));
            esrdBundles = esrdBundles.subList(0, Math.min(bundleLimit, esrdBundles.size()));
        }
        Map<String, Object> population = new LinkedHashMap<>();
        population.put("synthea", SyntheaPopulation.VERSION);
        population.put("reference_date", referenceDate.toString());
        population.put("esrd_bundles", esrdBundles.size());
        population.put("largest_bundle_bytes", patients.stream().mapToLong(b -> b.path().toFile().length()).max().orElse(0));
        population.put("mixed_bundles", patients.size() - esrdBundles.size());
        population.put("resources", patients.stream().mapToLong(Ingest.BundleFile::resources).sum());
        population.put("esrd_dir", root.relativize(esrd.fhirDir()).toString());
        population.put("mixed_dir", root.relativize(mixed.fhirDir()).toString());
        population.put("warm_up_bundles", warmUpBundles.size());
        population.put("warm_up_resources", warmUpBundles.stream().mapToLong(Ingest.BundleFile::resources).sum());
        population.put("generation_seconds", Stream.concat(Stream.of(esrd, mixed), warmUpPopulation.stream())
                .mapToDouble(SyntheaPopulation.Generated::generationSeconds).sum());
        population.put("from_cache", Stream.concat(Stream.of(esrd, mixed), warmUpPopulation.stream())
                .allMatch(SyntheaPopulation.Generated::fromCache));
        json.put("population", population);
        log.info("event=population bundles={} resources={} esrd_bundles={}", patients.size(), population.get("resources"),
                esrdBundles.size());

        return new Population(infrastructure, warmUpBundles, patients, esrdBundles.size(),
                (Long) population.get("resources"));
    }

    /** The ingest with the screening off, in its own run of the server. */
    record OffPhase(Ingest.Result result, OptionalLong serverRss, double serverStartSeconds) {}

    /**
     * The server alone, without Subscription support (which only the screening needs), so that the ratio counts
     * everything the screening costs, the server's matching included.
     */
    private OffPhase ingestOff(Population population, Map<String, Map<String, Double>> cpu) {
        OffPhase phase;
        try (Services services = services("bench_off")) {
            services.startServer(false);
            new Ingest(services.fhir()).sequential(population.infrastructure());
            new Ingest(services.fhir()).post(population.warmUp(), preset.ingestThreads());
            services.refreshStatistics("ingest, screening off");
            CpuTime before = services.cpuTime();
            Ingest.Result off = new Ingest(services.fhir()).post(population.patients(), preset.ingestThreads());
            cpu.put("ingest_off_per_resource", services.cpuTime().millisPerUnitSince(before, off.resources()));
            phase = new OffPhase(off, services.serverPeakRssMiB(), services.serverStartSeconds());
        }
        log.info("event=ingest screening=off resources={} seconds={} refused={}", phase.result().resources(),
                fmt(phase.result().seconds()), phase.result().refused().size());
        return phase;
    }

    /** The ingest with the screening on, up to the screening having caught up; the services stay up. */
    record OnPhase(Ingest.Result result, double catchUpSeconds, Instant started, Instant ended,
                   List<String> warmUpPatientIds, double serverStartSeconds, double screeningStartSeconds) {}

    private OnPhase ingestOn(Services services, Population population, Map<String, Map<String, Double>> cpu) {
        services.startServer();
        services.startScreening();
        new Ingest(services.fhir()).sequential(population.infrastructure());
        Ingest.Result warmedUp = new Ingest(services.fhir()).post(population.warmUp(), preset.ingestThreads());
        services.awaitScreeningIdle(Duration.ofSeconds(2), Duration.ofMinutes(10));
        services.refreshStatistics("ingest, screening on");
        CpuTime before = services.cpuTime();
        Map<String, Double> countersBefore = services.screeningCounters();
        Instant started = Instant.now();
        Ingest.Result on = new Ingest(services.fhir()).post(population.patients(), preset.ingestThreads());
        Instant ended = Instant.now();
        long ingestEnd = System.nanoTime();
        services.awaitScreeningIdle(Duration.ofSeconds(2), Duration.ofMinutes(30));
        cpu.put("ingest_on_per_resource_until_screened", services.cpuTime().millisPerUnitSince(before, on.resources()));
        Map<String, Double> notifications = new LinkedHashMap<>();
        services.screeningCounters().forEach((name, now) -> {
            if (name.startsWith("calciscreen_notifications_") || name.equals("calciscreen_evaluations")) {
                notifications.put(name.substring("calciscreen_".length()), now - countersBefore.getOrDefault(name, 0.0));
            }
        });
        json.put("ingest_on_screening_counts", notifications);
        log.info("event=ingest_on_counts {}", notifications);
        rows.add(Report.Row.of("screening on: notifications, of them answered without a read-back; evaluations",
                String.format("%,.0f, %,.0f; %,.0f", notifications.getOrDefault("notifications_received", 0.0),
                        notifications.getOrDefault("notifications_in_read", 0.0),
                        notifications.getOrDefault("evaluations", 0.0))));
        double catchUpSeconds = Math.max(0, (System.nanoTime() - ingestEnd) / 1e9 - 2);
        log.info("event=ingest screening=on resources={} seconds={} refused={} screening_caught_up_after_s={}",
                on.resources(), fmt(on.seconds()), on.refused().size(), fmt(catchUpSeconds));
        return new OnPhase(on, catchUpSeconds, started, ended, warmedUp.patientIds(), services.serverStartSeconds(),
                services.screeningStartSeconds());
    }

    /** The ingest's figures (JSON and summary rows), shared by a whole run and {@code --ingest-only}. */
    private void ingestFigures(Population population, OffPhase off, OnPhase on, OptionalLong serverRss,
                               double reconciliationDuringIngest, Map<String, Map<String, Double>> cpu) {
        // time per resource: refused Bundles are not in either count
        double ratio = off.result().resourcesPerSecond() / on.result().resourcesPerSecond();
        json.put("ingest_off", ingestJson(off.result(), off.serverRss()));
        Map<String, Object> ingestOn = ingestJson(on.result(), serverRss);
        ingestOn.put("screening_caught_up_after_seconds", on.catchUpSeconds());
        ingestOn.put("reconciliation_seconds_during", reconciliationDuringIngest);
        json.put("ingest_on", ingestOn);
        json.put("ingest_ratio_on_off", ratio);
        Map<String, Object> startUp = new LinkedHashMap<>();
        startUp.put("server_screening_off_seconds", off.serverStartSeconds());
        startUp.put("server_seconds", on.serverStartSeconds());
        startUp.put("screening_seconds", on.screeningStartSeconds());
        json.put("start_up", startUp);

        rows.add(Report.Row.of("population", population.patients().size() + " patient bundles ("
                + population.esrdBundles() + " ESRD), " + population.resources() + " resources; before each measured"
                + " ingest, " + population.warmUp().size() + " others (warm-up, not measured)"));
        rows.add(Report.Row.of("ingest, screening off", fmt(off.result().resourcesPerSecond()) + " resources/s, "
                + fmt(off.result().patientsPerSecond()) + " patients/s"));
        rows.add(Report.Row.of("ingest, screening on", fmt(on.result().resourcesPerSecond()) + " resources/s, "
                + fmt(on.result().patientsPerSecond()) + " patients/s (screening caught up " + fmt(on.catchUpSeconds())
                + " s later; " + fmt(reconciliationDuringIngest) + " s of it with a reconciliation pass reading)"));
        rows.add(Report.Row.target("ingest time ratio on/off", String.format("%.2f", ratio), "<= 1.10", ratio <= 1.10));
        int refused = off.result().refused().size() + on.result().refused().size();
        rows.add(Report.Row.target("bundles refused (off + on)", refused + refusedText(off.result(), on.result()),
                "0", refused == 0));
        rows.add(Report.Row.of("start-up: server to /fhir/metadata (off / on), screening to UP", fmt(off.serverStartSeconds())
                + " s / " + fmt(on.serverStartSeconds()) + " s, " + fmt(on.screeningStartSeconds()) + " s"));
        rows.add(Report.Row.of("services' JVM", servicesJvmText()));
        rows.add(Report.Row.of("PostgreSQL planner statistics", statisticsText()));
        rows.add(Report.Row.of("CPU per ingested resource, screening off", cpuText(cpu.get("ingest_off_per_resource"))));
        rows.add(Report.Row.of("CPU per ingested resource, screening on", cpuText(cpu.get("ingest_on_per_resource_until_screened"))));
    }

    /** "Java 25 (path), AOT cache read: fhir-server, screening": what the start-up seconds were measured on. */
    private String servicesJvmText() {
        return ServiceJvm.summary(serviceJvm.feature(), serviceJvm.java(), servicesJvm);
    }

    /** The intake's JVM joins the services' in the report (it starts in the HL7 v2 phase, as `up` starts it). */
    private void withIntakeJvm(Hl7Feed.Result result) {
        Map<String, Object> described = new LinkedHashMap<>(servicesJvm);
        result.intakeJvm().forEach((key, value) -> {
            if (key.endsWith("_aot_cache")) {
                described.put(key, value);
            }
        });
        servicesJvm = described;
        json.put("service_jvm", servicesJvm);
    }

    private static String refusedText(Ingest.Result... results) {
        List<String> each = Stream.of(results).flatMap(r -> r.refused().stream())
                .map(r -> r.file().replaceAll("_[^_]*$", "") + ": " + r.status()).toList();
        return each.isEmpty() ? "" : " (" + String.join(", ", each) + ")";
    }

    /**
     * {@code --ingest-only}: the ingest with the screening off and on (and both services' start-up), nothing else:
     * the short run to compare servers and to profile the ingest.
     */
    int runIngestOnly() throws IOException {
        Instant started = start();
        Population population = population();
        Map<String, Map<String, Double>> cpu = new LinkedHashMap<>();
        json.put("cpu_ms", cpu);
        OffPhase off = ingestOff(population, cpu);
        OnPhase on;
        OptionalLong serverRss;
        double reconciliation;
        try (Services services = services("bench_on")) {
            on = ingestOn(services, population, cpu);
            serverRss = services.serverPeakRssMiB();
            reconciliation = reconciliationSeconds(runDir.resolve("bench_on/screening.log"), on.started(), on.ended());
        }
        ingestFigures(population, off, on, serverRss, reconciliation, cpu);
        return finish("ingest-" + preset.name(), "calciscreen bench --ingest-only", started);
    }

    /**
     * {@code --fhir-base URL}: the same Bundles, posted by the same loader, into a FHIR server already running at
     * URL (the stock HAPI JPA starter, any other): resources/s and refused Bundles. Nothing is started or dropped
     * here; the server should have a fresh database. A bearer token, if it needs one: CALCISCREEN_BENCH_FHIR_TOKEN.
     */
    int runExternal(String base) throws IOException {
        Instant started = start();
        Population population = population();
        String token = System.getenv("CALCISCREEN_BENCH_FHIR_TOKEN");
        FhirHttp fhir = new FhirHttp(base.replaceAll("/+$", ""), () -> token == null || token.isBlank() ? null : token);
        new Ingest(fhir).sequential(population.infrastructure());
        new Ingest(fhir).post(population.warmUp(), preset.ingestThreads());
        String statistics = analyzeExternal(System.getenv("CALCISCREEN_BENCH_FHIR_JDBC"));
        Ingest.Result result = new Ingest(fhir).post(population.patients(), preset.ingestThreads());
        log.info("event=ingest server={} resources={} seconds={} refused={}", base, result.resources(),
                fmt(result.seconds()), result.refused().size());
        json.put("fhir_base", base);
        json.put("ingest", ingestJson(result, OptionalLong.empty()));
        rows.add(Report.Row.of("population", population.patients().size() + " patient bundles ("
                + population.esrdBundles() + " ESRD), " + population.resources() + " resources; before, "
                + population.warmUp().size() + " others (warm-up, not measured)"));
        rows.add(Report.Row.of("ingest into " + base, fmt(result.resourcesPerSecond()) + " resources/s, "
                + fmt(result.patientsPerSecond()) + " patients/s"));
        rows.add(Report.Row.target("bundles refused", result.refused().size() + refusedText(result), "0",
                result.refused().isEmpty()));
        rows.add(Report.Row.of("PostgreSQL planner statistics", statistics));
        return finish("external-" + preset.name(), "calciscreen bench --fhir-base " + base, started);
    }

    /**
     * The external server's database gets the ANALYZE that the bench gives its own before a measured ingest
     * ({@link Services#refreshStatistics}), when {@code CALCISCREEN_BENCH_FHIR_JDBC} names it (a JDBC URL with its
     * user, e.g. {@code jdbc:postgresql://127.0.0.1:5432/hapi?user=postgres}): figures of two servers compare only
     * when both had statistics.
     */
    private static String analyzeExternal(String jdbcUrl) {
        if (jdbcUrl == null || jdbcUrl.isBlank()) {
            return "not analyzed by the bench (CALCISCREEN_BENCH_FHIR_JDBC unset): compare only with a server whose"
                    + " database had ANALYZE or autovacuum";
        }
        long started = System.nanoTime();
        try (java.sql.Connection connection = java.sql.DriverManager.getConnection(jdbcUrl)) {
            String autovacuum = PostgresTestDatabase.setting(connection, "autovacuum");
            PostgresTestDatabase.analyze(connection);
            log.info("event=database_analyzed before=\"external ingest\" autovacuum={} took_ms={}", autovacuum,
                    (System.nanoTime() - started) / 1_000_000);
            return "autovacuum " + autovacuum + "; ANALYZE after the warm-up (CALCISCREEN_BENCH_FHIR_JDBC)";
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("cannot ANALYZE the database of CALCISCREEN_BENCH_FHIR_JDBC: "
                    + e.getMessage(), e);
        }
    }

    /** Prints and writes the summary of a partial run ({@code target/bench/bench-<name>.{json,md}}). */
    private int finish(String name, String title, Instant started) {
        json.put("finished", Instant.now().toString());
        json.put("run_dir", root.relativize(runDir).toString());
        json.put("summary", rows);
        Map<String, Object> context = new LinkedHashMap<>(Map.of("date", started.toString(), "preset", preset.name(),
                "seed", seed, "machine", json.get("machine"), "versions", json.get("versions")));
        System.out.println();
        System.out.println(title + " (" + preset.name() + ", seed " + seed + ") " + json.get("machine"));
        System.out.print(Report.table(rows));
        Report.writeJson(out.resolve("bench-" + name + ".json"), json);
        Report.write(out.resolve("bench-" + name + ".md"), Report.markdown(title, context, rows));
        Report.writeJson(runDir.resolve("bench-" + name + ".json"), json);
        System.out.println("written: " + root.relativize(out) + "/bench-" + name + ".{json,md}");
        return 0;
    }

    /** {@code --hl7v2-only}: the HL7 v2 feed phase alone, on a fresh database with the server and the screening. */
    int runHl7v2Only() {
        Instant started = Instant.now();
        json.put("preset", preset.name());
        json.put("started", started.toString());
        json.put("machine", machine());
        json.put("versions", versions());
        Hl7Feed.Result result;
        try (Services services = services("bench_hl7v2")) {
            services.startServer();
            services.startScreening();
            result = Hl7Feed.run(services, serviceJvm, root, runDir.resolve("bench_hl7v2"), hl7v2Settings(), seed,
                    profile);
        }
        withIntakeJvm(result);
        json.put("hl7v2_feed", result);
        rows.add(Report.Row.of("services' JVM", servicesJvmText()));
        rows.add(Report.Row.of("PostgreSQL planner statistics", statisticsText()));
        rows.addAll(Hl7Feed.rows(result));
        Map<String, Object> context = new LinkedHashMap<>(Map.of("date", started.toString(), "preset", preset.name(),
                "machine", json.get("machine"), "versions", json.get("versions")));
        System.out.println();
        System.out.println("calciscreen bench --hl7v2-only (" + preset.name() + ") " + json.get("machine"));
        System.out.print(Report.table(rows));
        Report.writeJson(out.resolve("bench-hl7v2-" + preset.name() + ".json"), json);
        Report.write(out.resolve("bench-hl7v2-" + preset.name() + ".md"),
                Report.markdown("calciscreen bench: HL7 v2 feed, " + preset.name(), context, rows));
        Report.writeJson(runDir.resolve("bench-hl7v2.json"), json);
        return 0;
    }

    private static String cpuText(Map<String, Double> ms) {
        if (ms == null || ms.isEmpty()) {
            return "n/a";
        }
        return String.format("%.1f ms: server %.1f%s, screening %.1f%s, PostgreSQL %.1f, load generator %.1f",
                ms.getOrDefault("total", Double.NaN), ms.getOrDefault("server", Double.NaN), jvmText(ms, "server"),
                ms.getOrDefault("screening", Double.NaN), jvmText(ms, "screening"),
                ms.getOrDefault("postgresql", Double.NaN), ms.getOrDefault("load_generator", Double.NaN));
    }

    /** " (JIT 1.2, GC 0.3)": how much of a service's figure its JIT compiler and GC threads took. */
    private static String jvmText(Map<String, Double> ms, String part) {
        Double jit = ms.get(part + "_jit");
        Double gc = ms.get(part + "_gc");
        return jit == null || gc == null || ms.getOrDefault(part, 0.0) == 0 ? ""
                : String.format(" (JIT %.1f, GC %.1f)", jit, gc);
    }

    private Services services(String purpose) {
        Path serverJar = root.resolve("fhir-server/target/fhir-server-0.1.0-SNAPSHOT.jar");
        Path screeningJar = root.resolve("screening/target/screening-0.1.0-SNAPSHOT-exec.jar");
        ServiceJvm.Prepared server = serviceJvm.prepare("fhir-server", serverJar);
        ServiceJvm.Prepared screening = serviceJvm.prepare("screening", screeningJar);
        if (server.training() || screening.training()) {
            writeClassCaches(server, screening);
            server = serviceJvm.prepare("fhir-server", serverJar);
            screening = serviceJvm.prepare("screening", screeningJar);
        }
        servicesJvm = serviceJvm.describe(server, screening);
        json.put("service_jvm", servicesJvm);
        Path dir = runDir.resolve(purpose);
        List<String> serverJvm = serverJvm(server);
        List<String> screeningJvm = screeningJvm(screening);
        if (profile) {
            serverJvm.addAll(flightRecording(dir.resolve("fhir-server.jfr")));
            screeningJvm.addAll(flightRecording(dir.resolve("screening.jfr")));
        }
        Services services = new Services(purpose, serviceJvm.java(), new Services.Jars(server.jar(), screening.jar()),
                dir, serverJvm, screeningJvm, Duration.ofSeconds(30));
        measured.add(services);
        return services;
    }

    private Hl7Feed.Settings hl7v2Settings() {
        Hl7Feed.Settings settings = Hl7Feed.Settings.of(preset.name());
        return hl7v2WarmUp == null ? settings : settings.withWarmUp(hl7v2WarmUp);
    }

    /** "autovacuum off; ANALYZE before each measured phase, 7 times": the planner's statistics the figures had. */
    private String statisticsText() {
        List<Services> analyzed = measured.stream().filter(s -> s.timesAnalyzed() > 0).toList();
        String autovacuum = analyzed.stream().map(Services::autovacuum).distinct().collect(Collectors.joining("/"));
        if (autovacuum.isEmpty()) {
            autovacuum = "unknown";
        }
        int runs = analyzed.stream().mapToInt(Services::timesAnalyzed).sum();
        json.put("postgres_statistics", Map.of("autovacuum", autovacuum, "analyze_runs", runs));
        return "autovacuum " + autovacuum + "; ANALYZE before each measured phase (" + runs + " times)";
    }

    private static List<String> serverJvm(ServiceJvm.Prepared server) {
        List<String> jvm = new ArrayList<>(server.jvmOptions());
        jvm.addAll(List.of("-Xms512m", "-Xmx1g"));
        jvm.addAll(splitOpts(System.getenv("CALCISCREEN_BENCH_SERVER_JAVA_OPTS")));
        return jvm;
    }

    private static List<String> screeningJvm(ServiceJvm.Prepared screening) {
        List<String> jvm = new ArrayList<>(screening.jvmOptions());
        jvm.addAll(List.of("-Xms128m", "-Xmx512m"));
        jvm.addAll(splitOpts(System.getenv("CALCISCREEN_BENCH_SCREENING_JAVA_OPTS")));
        return jvm;
    }

    /**
     * A start of both services that writes their AOT caches, not measured: on a database of its own, each up, then
     * stopped (the JVM writes a cache as it exits, tens of seconds for the server's). Once per jar and JDK: later runs
     * find the caches under {@code target/bench/jvm/}.
     */
    private void writeClassCaches(ServiceJvm.Prepared server, ServiceJvm.Prepared screening) {
        long started = System.nanoTime();
        log.info("event=aot_cache_training java={} server={} screening={}", serviceJvm.java(), server.training(),
                screening.training());
        try (Services services = new Services("bench_aot", serviceJvm.java(),
                new Services.Jars(server.jar(), screening.jar()), runDir.resolve("bench_aot"), serverJvm(server),
                screeningJvm(screening), Duration.ofMinutes(5))) {
            services.startServer();
            services.startScreening();
        }
        log.info("event=aot_cache_training_done took_ms={} server_cache={} screening_cache={}",
                (System.nanoTime() - started) / 1_000_000, Files.exists(server.cache()), Files.exists(screening.cache()));
    }

    private Map<String, Object> backfill(Services services) {
        long started = System.nanoTime();
        HttpResponse<String> response = services.postScreening("/screening/backfill?restart=true");
        if (response.statusCode() != 202) {
            throw new IllegalStateException("backfill answered " + response.statusCode() + ": " + response.body());
        }
        JsonNode progress;
        while (true) {
            progress = services.screeningJson("/screening/backfill");
            String status = progress.path("status").asText();
            if (status.startsWith("failed")) {
                throw new IllegalStateException("backfill " + status);
            }
            if ("done".equals(status) && progress.path("queueDepth").asInt() == 0) {
                break;
            }
            // every poll costs the screening a token check: often enough to time a pass of a second or two to a few
            // per cent, rarely enough not to slow the pass it times
            Services.sleep(50);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        int queued = progress.path("queued").asInt();
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("patients", queued);
        result.put("seconds", seconds);
        result.put("patients_per_second", queued / seconds);
        log.info("event=backfill patients={} seconds={} patients_per_s={}", queued, fmt(seconds), fmt(queued / seconds));
        return result;
    }

    private static final Pattern SCREENED = Pattern.compile("event=screened .*requests=(\\d+) took_ms=(\\d+)");

    /** From the screening's own log: how many evaluations, their mean time and FHIR requests. */
    static Map<String, Object> evaluationFigures(Path log) throws IOException {
        long[] totals = new long[3]; // count, requests, milliseconds
        eachMatch(log, SCREENED, m -> {
            totals[0]++;
            totals[1] += Long.parseLong(m.group(1));
            totals[2] += Long.parseLong(m.group(2));
        });
        long count = totals[0];
        long requests = totals[1];
        long millis = totals[2];
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("count", count);
        figures.put("mean_ms", count == 0 ? 0 : Math.round(10.0 * millis / count) / 10.0);
        figures.put("mean_requests", count == 0 ? 0 : Math.round(100.0 * requests / count) / 100.0);
        return figures;
    }

    private static final Pattern RECONCILED =
            Pattern.compile("^(\\S+)\\s.*event=reconciliation .*?(?:read_ms=(\\d+) )?took_ms=(\\d+)");

    /**
     * From the screening's own log: for how many seconds of {@code from}-{@code to} a reconciliation pass was reading
     * from the server ({@code read_ms} from the pass's start; a log without it, the whole pass, its wait for the
     * screenings it queued included).
     */
    static double reconciliationSeconds(Path log, Instant from, Instant to) throws IOException {
        double[] seconds = {0};
        eachMatch(log, RECONCILED, m -> {
            Instant end = Instant.parse(m.group(1));
            Instant start = end.minusMillis(Long.parseLong(m.group(3)));
            Instant readTo = m.group(2) == null ? end : start.plusMillis(Long.parseLong(m.group(2)));
            Instant overlapFrom = start.isAfter(from) ? start : from;
            Instant overlapTo = readTo.isBefore(to) ? readTo : to;
            if (overlapTo.isAfter(overlapFrom)) {
                seconds[0] += Duration.between(overlapFrom, overlapTo).toMillis() / 1000.0;
            }
        });
        return seconds[0];
    }

    /** Hands every line of the log that {@code pattern} finds a match in to {@code action}; no log, no line. */
    private static void eachMatch(Path log, Pattern pattern, java.util.function.Consumer<Matcher> action)
            throws IOException {
        if (!Files.exists(log)) {
            return;
        }
        try (Stream<String> lines = Files.lines(log)) {
            for (String line : (Iterable<String>) lines::iterator) {
                Matcher m = pattern.matcher(line);
                if (m.find()) {
                    action.accept(m);
                }
            }
        }
    }

    private static Map<String, Object> ingestJson(Ingest.Result result, OptionalLong serverRss) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("bundles", result.bundles());
        map.put("resources", result.resources());
        map.put("patients", result.patients());
        map.put("seconds", result.seconds());
        map.put("resources_per_second", result.resourcesPerSecond());
        map.put("patients_per_second", result.patientsPerSecond());
        map.put("server_peak_rss_mib", serverRss.orElse(-1));
        map.put("refused", result.refused());
        return map;
    }

    private String syntheaClasspath() throws IOException {
        String value = System.getProperty("calciscreen.bench.synthea.classpath", "");
        Path file = Path.of(value);
        return !value.isBlank() && Files.isRegularFile(file) ? Files.readString(file).trim() : value;
    }

    private static Map<String, Object> machine() {
        Map<String, Object> machine = new LinkedHashMap<>();
        machine.put("cores", Runtime.getRuntime().availableProcessors());
        machine.put("memory_gib", memoryGib());
        machine.put("cpu", firstMatching(Path.of("/proc/cpuinfo"), "model name"));
        machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        machine.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        return machine;
    }

    private static Map<String, Object> versions() {
        Map<String, Object> versions = new LinkedHashMap<>();
        versions.put("calciscreen", "0.1.0-SNAPSHOT");
        versions.put("commit", System.getProperty("calciscreen.bench.commit", "unknown"));
        versions.put("hapi_fhir", ca.uhn.fhir.util.VersionUtil.getVersion());
        versions.put("synthea", SyntheaPopulation.VERSION);
        versions.put("rule_set", "1.0.0");
        versions.put("postgresql", System.getProperty("calciscreen.bench.postgres", "unknown"));
        return versions;
    }

    private static double memoryGib() {
        String line = firstMatching(Path.of("/proc/meminfo"), "MemTotal");
        try {
            return Math.round(Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0 / 1024.0 * 10) / 10.0;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String firstMatching(Path file, String prefix) {
        try (Stream<String> lines = Files.lines(file)) {
            return lines.filter(l -> l.startsWith(prefix)).map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst()
                    .orElse("unknown");
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    /**
     * A JFR recording of a service, written when it exits. Stacks 256 frames deep (JFR keeps 64 by default): a request
     * through Tomcat, Spring Security and HAPI's transaction processing is deeper than that, and a sample cut at 64
     * frames no longer says which request it served.
     */
    static List<String> flightRecording(Path file) {
        return List.of("-XX:FlightRecorderOptions:stackdepth=256",
                "-XX:StartFlightRecording=filename=" + file + ",settings=profile,dumponexit=true");
    }

    private static List<String> splitOpts(String value) {
        return value == null || value.isBlank() ? List.of() : List.of(value.trim().split("\\s+"));
    }

    static String fmt(double value) {
        return Double.isNaN(value) ? "n/a" : String.format(value >= 100 ? "%.0f" : "%.1f", value);
    }

    static String ms(double value) {
        return Double.isNaN(value) ? "n/a" : String.format("%.0f ms", value);
    }
}
