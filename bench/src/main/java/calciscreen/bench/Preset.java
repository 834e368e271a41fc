package calciscreen.bench;

import java.time.Duration;
import java.util.List;

/**
 * How big a run is. {@code quick} stays under five minutes on a 2-core machine once the Synthea data is cached;
 * {@code full} is the one to quote.
 *
 * @param esrdPatients     living ESRD patients Synthea keeps (it also exports those who died on the way)
 * @param mixedPatients    living patients of an ordinary population
 * @param yearsOfHistory   Synthea's exporter.years_of_history
 * @param warmUpEsrd       living ESRD patients of a separate population (another seed), ingested unmeasured before
 *                         each measured ingest, into both databases alike: a service that has just started spends
 *                         its first minute of work compiling its paths (docs/benchmarks/ has the JIT figures), and the ratio is about the screening's cost in steady state, not start-up
 * @param warmUpMixed      living ordinary patients of that separate population
 * @param ingestThreads    transaction Bundles posted at once
 * @param warmUp           a feed at half the fixed rate before any figure is taken, so that both services have
 *                         compiled the paths the feed takes (reported apart, never in a target)
 * @param feedRate         lab Observations per second of the fixed-rate feed
 * @param feedDuration     how long the fixed-rate feed runs
 * @param changingFraction share of the feed's Observations chosen to change the patient's tier
 * @param rampRates        rates tried, in order, to find the highest with p99 under 2 s
 * @param rampStep         how long each ramp rate runs
 * @param backfillPasses   backfills of the whole population, one after the other
 * @param jmhWarmups       JMH warm-up iterations (1 s each)
 * @param jmhIterations    JMH measurement iterations (1 s each)
 * @param deceasedKept     patients who died that each population keeps at most (Synthea exports every patient it
 *                         simulated until the living count is reached, and how many died on the way changes with the
 *                         reference date, at times most of the ESRD bundles); the living ones are always kept
 */
public record Preset(String name, int esrdPatients, int mixedPatients, int yearsOfHistory, int warmUpEsrd, int warmUpMixed,
                     int ingestThreads,
                     Duration warmUp, double feedRate, Duration feedDuration, double changingFraction, List<Double> rampRates,
                     Duration rampStep, int backfillPasses, int jmhWarmups, int jmhIterations, int deceasedKept) {

    public static Preset quick() {
        return new Preset("quick", 3, 10, 1, 2, 5, 2, Duration.ofSeconds(30), 50, Duration.ofSeconds(20), 0.3, List.of(25.0, 50.0, 100.0),
                Duration.ofSeconds(6), 3, 2, 3, 1);
    }

    public static Preset full() {
        // 6 warm-up ESRD patients: with 3, the server with the screening on still spent 0.4 ms of JIT per resource
        // in the measured ingest against 0.2 off (2026-12-02-ingest-3-runs.md): its subscription and read paths
        // were still being compiled
        return new Preset("full", 10, 20, 2, 6, 10, 2, Duration.ofSeconds(60), 50, Duration.ofSeconds(120), 0.3,
                List.of(25.0, 50.0, 75.0, 100.0, 150.0, 200.0, 300.0), Duration.ofSeconds(30), 3, 5, 10, Integer.MAX_VALUE);
    }

    /** This preset with another number of backfill passes ({@code --backfill-passes N}). */
    public Preset withBackfillPasses(int passes) {
        if (passes < 1) {
            throw new IllegalArgumentException("--backfill-passes must be at least 1, not " + passes);
        }
        return new Preset(name, esrdPatients, mixedPatients, yearsOfHistory, warmUpEsrd, warmUpMixed, ingestThreads,
                warmUp, feedRate, feedDuration, changingFraction, rampRates, rampStep, passes, jmhWarmups,
                jmhIterations, deceasedKept);
    }

    public static Preset named(String name) {
        return switch (name) {
            case "quick" -> quick();
            case "full" -> full();
            default -> throw new IllegalArgumentException("unknown preset " + name + " (quick, full)");
        };
    }
}
