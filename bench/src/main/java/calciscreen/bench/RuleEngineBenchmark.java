package calciscreen.bench;

import calciscreen.screening.rules.Assessment;
import calciscreen.screening.rules.PatientContext;
import calciscreen.screening.rules.RuleSet;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * {@code RuleSet.evaluate} alone, on a prepared context (built once): evaluations per second on one thread (the
 * target). For honesty also what a service does per patient: {@code PatientContext.from} on the same resources, then
 * evaluate ({@link #buildAndEvaluate}, reported, not a target).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class RuleEngineBenchmark {

    static final Instant AT = Instant.parse("2026-11-25T12:00:00Z");

    private RuleSet rules;
    private Patient patient;
    private List<Resource> resources;
    private PatientContext context;

    @Setup
    public void prepare() {
        rules = RuleSet.v1();
        patient = PreparedPatient.patient();
        resources = PreparedPatient.resources(AT);
        context = PatientContext.from(patient, resources);
    }

    @Benchmark
    public Assessment evaluate() {
        return rules.evaluate(context, AT);
    }

    /** The context built from the HAPI resources (read once in setup, not parsed) and evaluated once. */
    @Benchmark
    public Assessment buildAndEvaluate() {
        return rules.evaluate(PatientContext.from(patient, resources), AT);
    }

    /**
     * @param evaluationsPerSecond          {@link #evaluate}: the target
     * @param error                         its 99.9% confidence half-width
     * @param buildAndEvaluatePerSecond     {@link #buildAndEvaluate}: context built and evaluated, per second
     * @param buildAndEvaluateError         its 99.9% confidence half-width
     */
    public record Result(double evaluationsPerSecond, double error, int forks, int warmups, int iterations, String tier,
                         int score, double buildAndEvaluatePerSecond, double buildAndEvaluateError) {}

    /** Runs both benchmarks in a forked JVM each (one thread, so the score is per core). */
    public static Result run(int warmups, int iterations) {
        Options options = new OptionsBuilder()
                .include(Pattern.quote(RuleEngineBenchmark.class.getName()) + "\\.(evaluate|buildAndEvaluate)$")
                .forks(1).threads(1)
                .warmupIterations(warmups).warmupTime(TimeValue.seconds(1))
                .measurementIterations(iterations).measurementTime(TimeValue.seconds(1))
                .jvmArgs("-Xmx512m").shouldFailOnError(true).build();
        try {
            Collection<RunResult> results = new Runner(options).run();
            org.openjdk.jmh.results.Result<?> evaluate = primary(results, "evaluate");
            org.openjdk.jmh.results.Result<?> built = primary(results, "buildAndEvaluate");
            Assessment sample = RuleSet.v1().evaluate(PatientContext.from(PreparedPatient.patient(),
                    PreparedPatient.resources(AT)), AT);
            return new Result(evaluate.getScore(), evaluate.getScoreError(), 1, warmups, iterations,
                    sample.tier().name(), sample.score(), built.getScore(), built.getScoreError());
        } catch (RunnerException e) {
            throw new IllegalStateException("JMH failed: " + e.getMessage(), e);
        }
    }

    private static org.openjdk.jmh.results.Result<?> primary(Collection<RunResult> results, String method) {
        return results.stream().filter(r -> r.getParams().getBenchmark().endsWith("." + method))
                .findFirst().orElseThrow(() -> new IllegalStateException("JMH gave no result for " + method))
                .getPrimaryResult();
    }
}
