package calciscreen.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class StatsTest {

    @Test
    void percentilesAreNearestRankOfTheSortedSample() {
        List<Integer> values = new ArrayList<>(IntStream.rangeClosed(1, 100).boxed().toList());
        java.util.Collections.shuffle(values, new java.util.Random(1));
        Stats stats = Stats.of(values);
        assertThat(stats.count()).isEqualTo(100);
        assertThat(stats.p50()).isEqualTo(50);
        assertThat(stats.p95()).isEqualTo(95);
        assertThat(stats.p99()).isEqualTo(99);
        assertThat(stats.max()).isEqualTo(100);
        assertThat(stats.mean()).isEqualTo(50.5);
    }

    @Test
    void oneOutlierInTwentyIsTheP99ButNotTheP50() {
        List<Double> values = new ArrayList<>(java.util.Collections.nCopies(19, 100.0));
        values.add(5000.0);
        Stats stats = Stats.of(values);
        assertThat(stats.p50()).isEqualTo(100);
        assertThat(stats.p95()).isEqualTo(100);
        assertThat(stats.p99()).isEqualTo(5000);
    }

    @Test
    void anEmptySampleHasNoFigures() {
        assertThat(Stats.of(List.of()).count()).isZero();
        assertThat(Stats.of(List.of()).p99()).isNaN();
    }

    @Test
    void medianOfOddAndEvenCounts() {
        assertThat(Stats.median(List.of(3.0, 1.0, 2.0))).isEqualTo(2.0);
        assertThat(Stats.median(List.of(4.0, 1.0, 2.0, 3.0))).isEqualTo(2.5);
    }
}
