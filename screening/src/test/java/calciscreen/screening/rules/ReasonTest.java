package calciscreen.screening.rules;

import static calciscreen.screening.rules.Fhir.NOW;
import static org.assertj.core.api.Assertions.assertThat;

import calciscreen.screening.rules.Reason.Comparison;
import calciscreen.screening.rules.Reason.Text;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Reasons are data until shown; verdicts compare as they read; a rule's findings keep each reason and source once. */
class ReasonTest {

    private static LabValue pth(double value, String unit, double canonical) {
        return new LabValue(Lab.PTH, NOW, Optional.empty(), value, unit, canonical, false, "Observation/x");
    }

    @Test
    void aComparisonReadsInTheValuesOwnUnitWhenTheThresholdHasOneElseInTheCanonicalUnit() {
        RuleConfig.UnitThreshold pth = RuleConfig.Thresholds.v1().pthAbove();
        assertThat(new Comparison(pth(62.1, "pmol/L", 585.603), ">", pth).text())
                .isEqualTo("intact PTH 62.1 pmol/L > 62 pmol/L");
        assertThat(new Comparison(pth(0.6, "nmol/L", 5658), ">", pth).text())
                .isEqualTo("intact PTH 0.6 nmol/L (5658 pg/mL) > 585 pg/mL");
        assertThat(new Reason.Product(10.6, 6.4, 67.84, ">=", 55).text())
                .isEqualTo("calcium 10.6 mg/dL x phosphate 6.4 mg/dL = 67.84 mg2/dL2 >= 55");
        assertThat(new Reason.All(List.of(new Text("a"), new Comparison(pth(585, "pg/mL", 585), "<=", pth))).text())
                .isEqualTo("a; intact PTH 585 pg/mL <= 585 pg/mL");
    }

    @Test
    void verdictsAreEqualWhenOfTheSameKindAndReadingTheSame() {
        RuleConfig.UnitThreshold pth = RuleConfig.Thresholds.v1().pthAbove();
        Verdict built = new Verdict.NotFired(new Reason.All(List.of(new Comparison(pth(585, "pg/mL", 585), "<=", pth),
                new Text("no hyperparathyroidism Condition"))));
        Verdict written = new Verdict.NotFired("intact PTH 585 pg/mL <= 585 pg/mL; no hyperparathyroidism Condition");
        assertThat(built).isEqualTo(written).hasSameHashCodeAs(written);
        assertThat(written).isEqualTo(built);
        assertThat(new Verdict.NotFired("no phosphate in lookback"))
                .hasSameHashCodeAs("no phosphate in lookback")
                .isNotEqualTo(new Verdict.Fired("no phosphate in lookback"))
                .isNotEqualTo(new Verdict.NotFired("no calcium in lookback"));
        assertThat(new Verdict.Indeterminate("albumin not counted: no value", "Observation/a"))
                .hasToString("Indeterminate[reason=albumin not counted: no value, source=Observation/a]");
    }

    @Test
    void findingsKeepEachReasonOnceAndTheirSourcesInOrder() {
        Findings found = new Findings();
        assertThat(found.any()).isFalse();
        found.add(new Text("kidney failure Condition"), List.of());
        assertThat(found.any()).as("a criterion without evidence is not met").isFalse();
        found.add(new Text("kidney failure Condition"), List.of("Condition/c"));
        found.add(new Text("dialysis Procedure in lookback"), List.of("Procedure/p", "Condition/c"));
        found.add(new Text("kidney failure Condition"), List.of("Condition/d"));
        RuleResult r = found.fired(RuleId.R1, 3);
        assertThat(r.verdict().reason()).isEqualTo("kidney failure Condition; dialysis Procedure in lookback");
        assertThat(r.sources()).containsExactly("Condition/c", "Procedure/p", "Condition/d");
        assertThat(r.points()).isEqualTo(3);
        assertThat(r.measurement()).isEmpty();
    }

    @Test
    void eachOnceKeepsTheFirstOfEachInOrder() {
        assertThat(Findings.eachOnce(List.of("Observation/a", "Condition/c", "Observation/a", "Observation/b")))
                .containsExactly("Observation/a", "Condition/c", "Observation/b");
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            many.add("Procedure/p" + (i % 30));
        }
        assertThat(Findings.eachOnce(many)).hasSize(30).startsWith("Procedure/p0", "Procedure/p1")
                .endsWith("Procedure/p29");
        List<String> once = List.of("Observation/a", "Condition/c");
        assertThat(Findings.eachOnce(once)).isSameAs(once);
        assertThat(Findings.eachOnce(List.of())).isEmpty();
    }
}
