package calciscreen.screening.rules;

import static calciscreen.screening.rules.Fhir.NOW;
import static calciscreen.screening.rules.Fhir.daysAgo;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** DialysisTimeline finds by binary search what looking at each Procedure finds; UnitThreshold reads its own unit first. */
class DialysisTimelineTest {

    @Test
    void theCanonicalUnitsOwnLimitComesFirst() {
        RuleConfig.UnitThreshold odd = RuleConfig.UnitThreshold.of(10, "mg/dL").alsoIn(20, "mg/dL").alsoIn(2.5, "mmol/L");
        assertThat(odd.compare(15, "mg/dL", 15)).isPositive();
        assertThat(odd.compare(2.5, "mmol/L", 10.02)).isZero();
        assertThat(odd.compare(2.6, "meq/L", 5.2)).isNegative();
    }

    private static DialysisProcedure procedure(int i, Instant start, Instant end) {
        return new DialysisProcedure(start, end, "Procedure/p" + i);
    }

    /** What DialysisTimeline.sourcesOverlapping must agree with: each one's own test, in the order given. */
    private static List<String> scanned(List<DialysisProcedure> ps, Instant from, Instant to) {
        List<String> in = new ArrayList<>();
        for (DialysisProcedure p : ps) {
            if (p.overlaps(from, to)) {
                in.add(p.source());
            }
        }
        return in;
    }

    private static List<String> found(DialysisTimeline t, Instant from, Instant to) {
        return t.sourcesOverlapping(from, to);
    }

    @Test
    void proceduresInTimeOrderEitherWayAreFoundByBinarySearch() {
        Random random = new Random(7);
        for (int round = 0; round < 300; round++) {
            int n = random.nextInt(40);
            List<DialysisProcedure> ps = new ArrayList<>();
            Instant t = daysAgo(200);
            for (int i = 0; i < n; i++) {
                t = t.plus(Duration.ofHours(random.nextInt(3) == 0 ? 0 : random.nextInt(24 * 7)));
                Instant end = i == n - 1 && random.nextBoolean() ? Instant.MAX : t;
                ps.add(procedure(i, t, end));
            }
            if (random.nextBoolean()) {
                Collections.reverse(ps);
            }
            DialysisTimeline timeline = new DialysisTimeline(ps);
            assertThat(timeline.inTimeOrder()).isTrue();
            for (int w = 0; w < 10; w++) {
                Instant to = daysAgo(random.nextInt(250) - 20);
                Instant from = to.minus(Duration.ofDays(random.nextInt(120)));
                assertThat(found(timeline, from, to)).as("round %d window %s..%s", round, from, to)
                        .isEqualTo(scanned(ps, from, to));
            }
        }
    }

    @Test
    void proceduresInNoTimeOrderAreLookedAtOneByOne() {
        List<DialysisProcedure> ps = List.of(procedure(0, daysAgo(5), daysAgo(5)), procedure(1, daysAgo(9), daysAgo(9)),
                procedure(2, daysAgo(1), daysAgo(1)));
        assertThat(new DialysisTimeline(ps).inTimeOrder()).isFalse();
        assertThat(found(new DialysisTimeline(ps), daysAgo(6), NOW)).containsExactly("Procedure/p0", "Procedure/p2");
        // starts in order, ends not (a long session first): not a time order either
        assertThat(new DialysisTimeline(List.of(procedure(0, daysAgo(9), daysAgo(1)),
                procedure(1, daysAgo(8), daysAgo(8)))).inTimeOrder()).isFalse();
        assertThat(new DialysisTimeline(List.of()).inTimeOrder()).isTrue();
        assertThat(found(new DialysisTimeline(List.of()), daysAgo(90), NOW)).isEmpty();
    }

    @Test
    void whenEverySessionIsInTheWindowR1GetsTheListItself() {
        DialysisTimeline t = new DialysisTimeline(List.of(procedure(0, daysAgo(9), daysAgo(9)),
                procedure(1, daysAgo(5), daysAgo(5))));
        assertThat(found(t, daysAgo(90), NOW)).isSameAs(found(t, daysAgo(80), NOW))
                .containsExactly("Procedure/p0", "Procedure/p1");
        assertThat(found(t, daysAgo(7), NOW)).containsExactly("Procedure/p1");
    }
}
