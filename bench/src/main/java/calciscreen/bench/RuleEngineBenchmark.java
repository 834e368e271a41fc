package calciscreen.bench;

import calciscreen.screening.rules.Assessment;
import calciscreen.screening.rules.PatientContext;
import calciscreen.screening.rules.RuleSet;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
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

/** {@code RuleSet.evaluate} alone, on a prepared context (built once): evaluations per second on one thread. */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class RuleEngineBenchmark {

    static final Instant AT = Instant.parse("2026-11-25T12:00:00Z");

    private RuleSet rules;
    private PatientContext context;

    @Setup
    public void prepare() {
        rules = RuleSet.v1();
        context = PatientContext.from(PreparedPatient.patient(), PreparedPatient.resources(AT));
    }

    @Benchmark
    public Assessment evaluate() {
        return rules.evaluate(context, AT);
    }

    public record Result(double evaluationsPerSecond, double error, int forks, int warmups, int iterations, String tier,
                         int score) {}

    /** Runs the benchmark in a forked JVM (one thread, so the score is per core). */
    public static Result run(int warmups, int iterations) {
        Options options = new OptionsBuilder().include(RuleEngineBenchmark.class.getName() + ".evaluate")
                .forks(1).threads(1)
                .warmupIterations(warmups).warmupTime(TimeValue.seconds(1))
                .measurementIterations(iterations).measurementTime(TimeValue.seconds(1))
                .jvmArgs("-Xmx512m").shouldFailOnError(true).build();
        try {
            RunResult result = new Runner(options).runSingle();
            Assessment sample = RuleSet.v1().evaluate(PatientContext.from(PreparedPatient.patient(),
                    PreparedPatient.resources(AT)), AT);
            return new Result(result.getPrimaryResult().getScore(), result.getPrimaryResult().getScoreError(), 1,
                    warmups, iterations, sample.tier().name(), sample.score());
        } catch (RunnerException e) {
            throw new IllegalStateException("JMH failed: " + e.getMessage(), e);
        }
    }
}
