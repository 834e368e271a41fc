package calciscreen.screening.rules;

import static calciscreen.screening.rules.Fhir.NOW;
import static calciscreen.screening.rules.Fhir.daysAgo;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The engine's prepared forms give what the plain ones give: Limit as UnitThreshold, DialysisTimeline as a scan. */
class LimitAndTimelineTest {

    private static CountedLab lab(double value, String unit, double canonical) {
        return new CountedLab(new LabValue(Analyte.PTH, NOW, Optional.empty(), value, unit, Decimals.round6(canonical),
                false, "Observation/x"));
    }

    @ParameterizedTest(name = "{0} {1} ({2} canonical)")
    @CsvSource({"585, pg/mL, 585", "585.0000004, pg/mL, 585.0000004", "585.000001, pg/mL, 585.000001",
            "585, ng/L, 585", "586, ng/L, 586", "62.0, pmol/L, 584.66", "62.1, pmol/L, 585.603",
            "62.0000004, pmol/L, 584.660004", "61.9, pmol/L, 583.717", "0.6, nmol/L, 5658", "-1, pg/mL, -1",
            "1e13, pg/mL, 1e13"})
    void aLimitComparesAsItsUnitThreshold(double value, String unit, double canonical) {
        RuleConfig.UnitThreshold pth = RuleConfig.Thresholds.v1().pthAbove();
        assertThat(new Limit(pth).compare(lab(value, unit, canonical)))
                .isEqualTo(pth.compare(value, unit, Decimals.round6(canonical)));
        assertThat(new Limit(pth).compare(value, unit, canonical)).isEqualTo(pth.compare(value, unit, canonical));
    }

    @Test
    void theCanonicalUnitsOwnLimitComesFirst() {
        RuleConfig.UnitThreshold odd = RuleConfig.UnitThreshold.of(10, "mg/dL").alsoIn(20, "mg/dL").alsoIn(2.5, "mmol/L");
        Limit limit = new Limit(odd);
        for (double v : new double[] {9, 10, 15, 20, 21, 2.4, 2.5, 2.6}) {
            for (String unit : List.of("mg/dL", "mmol/L", "meq/L")) {
                assertThat(limit.compare(lab(v, unit, v * 4))).as(v + " " + unit).isEqualTo(odd.compare(v, unit, v * 4));
            }
        }
    }

    private static DialysisProcedure procedure(int i, Instant start, Instant end) {
        return new DialysisProcedure(start, end, "Procedure/p" + i);
    }

    /** What DialysisTimeline.overlapping must agree with: each one's own test, as a run of the order given. */
    private static List<Integer> scanned(List<DialysisProcedure> ps, Instant from, Instant to) {
        List<Integer> in = new ArrayList<>();
        for (int i = 0; i < ps.size(); i++) {
            if (ps.get(i).overlaps(from, to)) {
                in.add(i);
            }
        }
        return in;
    }

    private static List<Integer> found(DialysisTimeline t, Instant from, Instant to) {
        long range = t.overlapping(from, to);
        List<Integer> in = new ArrayList<>();
        for (int i = DialysisTimeline.first(range); i < DialysisTimeline.end(range); i++) {
            in.add(i);
        }
        return in;
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
        // starts in order, ends not (a long session first): not a time order either
        assertThat(new DialysisTimeline(List.of(procedure(0, daysAgo(9), daysAgo(1)),
                procedure(1, daysAgo(8), daysAgo(8)))).inTimeOrder()).isFalse();
        assertThat(new DialysisTimeline(List.of()).inTimeOrder()).isTrue();
        assertThat(found(new DialysisTimeline(List.of()), daysAgo(90), NOW)).isEmpty();
    }
}
