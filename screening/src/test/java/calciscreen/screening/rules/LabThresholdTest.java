package calciscreen.screening.rules;

import static calciscreen.screening.rules.Fhir.assess;
import static calciscreen.screening.rules.Fhir.daysAgo;
import static calciscreen.screening.rules.Fhir.lab;
import static calciscreen.screening.rules.Fhir.labUnitText;
import static org.assertj.core.api.Assertions.assertThat;

import calciscreen.model.terminology.Code;
import calciscreen.model.terminology.Loinc;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Both sides of every lab threshold, in every unit: compared in the measurement's own unit when screening-rules.md
 * gives the threshold in it, else in mg/dL (or the canonical unit) after exact conversion.
 */
class LabThresholdTest {

    private static boolean fires(RuleId rule, Code code, String value, String unit) {
        return assess(lab("o1", code, value, unit, daysAgo(1))).result(rule).fired();
    }

    @ParameterizedTest(name = "total calcium {0} {1} (no albumin) -> R2 fires: {2}")
    @CsvSource({
            "10.2,   mg/dL,  false",  // boundary: > not >=
            "10.3,   mg/dL,  true",
            "10.201, mg/dL,  true",
            "2.55,   mmol/L, false",  // 2.55 x 4.008 = 10.22 would fire if converted first: compared in mmol/L
            "2.56,   mmol/L, true",
            "5.08,   mEq/L,  false",  // no mEq/L threshold: 5.08 x 2.004 = 10.18032 mg/dL
            "5.1,    mEq/L,  true",   // 5.1 x 2.004 = 10.2204 mg/dL > 10.2 mg/dL
            "5.1,    meq/L,  true"})
    void correctedTotalCalciumAbove10point2MgPerDlOr2point55MmolPerL(String value, String unit, boolean fires) {
        assertThat(fires(RuleId.R2, Loinc.CALCIUM_SERUM_MASS, value, unit)).isEqualTo(fires);
    }

    @ParameterizedTest(name = "total calcium LOINC {0} {1} {2} -> R2 fires: {3}")
    @CsvSource({"17861-6, 10.3, mg/dL, true", "49765-1, 10.3, mg/dL, true", "2000-8, 2.56, mmol/L, true",
            "2000-8, 2.55, mmol/L, false"})
    void everyTotalCalciumCodeCounts(String loinc, String value, String unit, boolean fires) {
        Code code = new Code(Loinc.SYSTEM, loinc, "calcium");
        assertThat(fires(RuleId.R2, code, value, unit)).isEqualTo(fires);
    }

    @ParameterizedTest(name = "ionized calcium {0} {1} {2} -> R2 fires: {3}")
    @CsvSource({
            "1994-3,  1.32, mmol/L, false",
            "1994-3,  1.33, mmol/L, true",
            "1995-0,  1.32, mmol/L, false",
            "1995-0,  1.321, mmol/L, true",
            "17863-2, 5.29, mg/dL,  false",
            "17863-2, 5.30, mg/dL,  true",
            "1995-0,  5.29, mg/dL,  false",  // the LOINC names mmol/L but the unit says mg/dL: the unit decides
            "1995-0,  2.63, mEq/L,  false",  // 2.63 x 2.004 = 5.27052 mg/dL
            "1995-0,  2.64, mEq/L,  true"})  // 2.64 x 2.004 = 5.29056 mg/dL > 5.29 (mEq/L has no own threshold)
    void ionizedCalciumAbove1point32MmolPerLOr5point29MgPerDl(String loinc, String value, String unit, boolean fires) {
        Code code = new Code(Loinc.SYSTEM, loinc, "ionized calcium");
        assertThat(fires(RuleId.R2, code, value, unit)).isEqualTo(fires);
    }

    @ParameterizedTest(name = "phosphate {0} {1} -> R3 fires: {2}")
    @CsvSource({"5.5, mg/dL, false", "5.51, mg/dL, true", "1.78, mmol/L, false", "1.79, mmol/L, true",
            "1.781, mmol/L, true"})
    void phosphateAbove5point5MgPerDlOr1point78MmolPerL(String value, String unit, boolean fires) {
        assertThat(fires(RuleId.R3, Loinc.PHOSPHATE_MASS, value, unit)).isEqualTo(fires);
        assertThat(fires(RuleId.R3, Loinc.PHOSPHATE_MOLES, value, unit)).isEqualTo(fires);
    }

    @ParameterizedTest(name = "PTH {0} {1} -> R5 fires: {2}")
    @CsvSource({"585, pg/mL, false", "586, pg/mL, true", "585.01, pg/mL, true", "585, ng/L, false",
            "585.1, ng/L, true", "62.0, pmol/L, false", "62.1, pmol/L, true", "62.01, pmol/L, true"})
    void pthAboveNineTimesTheUpperLimit(String value, String unit, boolean fires) {
        assertThat(fires(RuleId.R5, Loinc.PTH_INTACT_MASS, value, unit)).isEqualTo(fires);
        assertThat(fires(RuleId.R5, Loinc.PTH_INTACT_MOLES, value, unit)).isEqualTo(fires);
    }

    @ParameterizedTest(name = "albumin {0} {1} -> R6 fires: {2}")
    @CsvSource({"3.0, g/dL, false", "2.99, g/dL, true", "2.9, g/dL, true", "30, g/L, false", "29.9, g/L, true",
            "3.1, g/dL, false"})
    void albuminBelow3GPerDlOr30GPerL(String value, String unit, boolean fires) {
        assertThat(fires(RuleId.R6, Loinc.ALBUMIN_MASS, value, unit)).isEqualTo(fires);
        assertThat(fires(RuleId.R6, Loinc.ALBUMIN_BCG, value, unit)).isEqualTo(fires);
        assertThat(fires(RuleId.R6, Loinc.ALBUMIN_BCP, value, unit)).isEqualTo(fires);
    }

    @ParameterizedTest(name = "BMI {0} {1} -> R10 fires: {2}")
    @CsvSource({"30, kg/m2, true", "29.99, kg/m2, false", "30.0, kg/m2, true", "45, kg/m2, true"})
    void bmiAtLeast30(String value, String unit, boolean fires) {
        assertThat(fires(RuleId.R10, Loinc.BMI, value, unit)).isEqualTo(fires);
    }

    @ParameterizedTest(name = "unit text ''{1}'': {0} -> fires {2}")
    @CsvSource(delimiter = '|', value = {"30 | kg/m^2 | true", "30 | KG/M2 | true", "29 | kg/m^2 | false"})
    void bmiUnitSpellings(String value, String unit, boolean fires) {
        assertThat(assess(labUnitText("b", Loinc.BMI, value, unit, daysAgo(1))).result(RuleId.R10).fired()).isEqualTo(fires);
    }

    @ParameterizedTest(name = "unit text ''{1}'' {0} -> R2 fires {2}")
    @CsvSource(delimiter = '|', value = {"10.3 | mg/dl | true", "2.56 | MMOL/L | true", "2.55 | mmol/l | false",
            "10.3 | mg/100mL | false"})
    void unitStringsAreReadCaseInsensitively(String value, String unit, boolean fires) {
        assertThat(assess(labUnitText("c", Loinc.CALCIUM_SERUM_MASS, value, unit, daysAgo(1))).result(RuleId.R2).fired())
                .isEqualTo(fires);
    }

    @ParameterizedTest(name = "calcium {0} mg/dL x phosphate {1} mg/dL -> R4 fires: {2}")
    @CsvSource({"10.0, 5.5, true",   // exactly 55.0 fires (>=)
            "11.0, 5.0, true", "10.0, 5.49, false", "9.0, 6.1, false", "9.0, 6.12, true"})
    void calciumPhosphateProductAtLeast55(String calcium, String phosphate, boolean fires) {
        Assessment a = assess(lab("ca", Loinc.CALCIUM_SERUM_MASS, calcium, "mg/dL", daysAgo(2)),
                lab("p", Loinc.PHOSPHATE_MASS, phosphate, "mg/dL", daysAgo(2)));
        assertThat(a.result(RuleId.R4).fired()).isEqualTo(fires);
    }

    @ParameterizedTest(name = "calcium {0} mmol/L x phosphate {1} mmol/L -> R4 fires: {2}")
    @CsvSource({"2.5, 1.78, true",    // 10.02 x 5.51266 = 55.236853 mg2/dL2
            "2.4, 1.78, false"})       // 9.6192 x 5.51266 = 53.027..
    void productIsComputedInMgPerDl(String calcium, String phosphate, boolean fires) {
        Assessment a = assess(lab("ca", Loinc.CALCIUM_SERUM_MOLES, calcium, "mmol/L", daysAgo(2)),
                lab("p", Loinc.PHOSPHATE_MOLES, phosphate, "mmol/L", daysAgo(2)));
        assertThat(a.result(RuleId.R4).fired()).isEqualTo(fires);
        assertThat(a.result(RuleId.R4).measurement()).hasValueSatisfying(m -> assertThat(m.unit()).isEqualTo("mg2/dL2"));
    }

    @org.junit.jupiter.api.Test
    void productNeedsBothValues() {
        assertThat(assess(lab("ca", Loinc.CALCIUM_SERUM_MASS, "20", "mg/dL", daysAgo(2))).result(RuleId.R4).verdict())
                .isEqualTo(new Verdict.NotFired("no phosphate in lookback"));
        assertThat(assess(lab("p", Loinc.PHOSPHATE_MASS, "9", "mg/dL", daysAgo(2))).result(RuleId.R4).verdict())
                .isEqualTo(new Verdict.NotFired("no calcium in lookback"));
    }

    @org.junit.jupiter.api.Test
    void firedRuleReportsValueUnitTimeAndSource() {
        RuleResult r = assess(lab("pth1", Loinc.PTH_INTACT_MOLES, "62.1", "pmol/L", daysAgo(3))).result(RuleId.R5);
        assertThat(r.points()).isEqualTo(2);
        assertThat(r.sources()).containsExactly("Observation/pth1");
        assertThat(r.measurement()).contains(new Measurement("intact PTH", 62.1, "pmol/L", java.util.Optional.of(daysAgo(3))));
        assertThat(r.verdict().reason()).isEqualTo("intact PTH 62.1 pmol/L > 62 pmol/L");
        assertThat(r.describe()).startsWith("R5 Hyperparathyroidism: fired (+2)");
    }
}
