package calciscreen.screening.rules;

import static calciscreen.screening.rules.Fhir.assess;
import static calciscreen.screening.rules.Fhir.daysAgo;
import static calciscreen.screening.rules.Fhir.lab;
import static org.assertj.core.api.Assertions.assertThat;

import calciscreen.model.terminology.Loinc;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** screening-rules.md, "Corrected calcium": Payne when a counting albumin exists; lab-reported corrected competes. */
class CorrectedCalciumTest {

    @ParameterizedTest(name = "total {0} {1}, albumin {2} {3} -> R2 fires: {4}")
    @CsvSource({
            "9.6,  mg/dL,  2.5, g/dL, true",    // low albumin raises: 9.6 + 0.8 x 1.5 = 10.8
            "9.6,  mg/dL,  25,  g/L,  true",    // same albumin in g/L
            "10.6, mg/dL,  5.0, g/dL, false",   // high albumin lowers: 10.6 - 0.8 = 9.8
            "9.8,  mg/dL,  3.5, g/dL, false",   // 9.8 + 0.4 = 10.2 exactly (10.200000000000001 in floating point)
            "9.81, mg/dL,  3.5, g/dL, true",    // 10.21
            "2.45, mmol/L, 3.0, g/dL, true",    // 9.8196 + 0.8 = 10.6196 mg/dL: arithmetic, so compared in mg/dL
            "2.5,  mmol/L, 4.0, g/dL, false",   // corrected = 10.02 mg/dL (Payne applied even at 4.0 g/dL)
            "10.2, mg/dL,  4.0, g/dL, false"})
    void payneCorrectionWhenAlbuminCounts(String total, String unit, String albumin, String albuminUnit, boolean fires) {
        Assessment a = assess(lab("ca", Loinc.CALCIUM_SERUM_MASS, total, unit, daysAgo(3)),
                lab("alb", Loinc.ALBUMIN_MASS, albumin, albuminUnit, daysAgo(20)));
        assertThat(a.result(RuleId.R2).fired()).isEqualTo(fires);
    }

    @Test
    void correctedValueAndBothSourcesAreReported() {
        Assessment a = assess(lab("ca", Loinc.CALCIUM_SERUM_MASS, "9.6", "mg/dL", daysAgo(3)),
                lab("alb", Loinc.ALBUMIN_MASS, "2.5", "g/dL", daysAgo(20)));
        RuleResult r2 = a.result(RuleId.R2);
        assertThat(r2.measurement()).hasValueSatisfying(m -> {
            assertThat(m.value()).isEqualTo(10.8);
            assertThat(m.unit()).isEqualTo("mg/dL");
        });
        assertThat(r2.sources()).containsExactly("Observation/ca", "Observation/alb");
        assertThat(a.evidenceResourceIds()).contains("Observation/ca", "Observation/alb");
    }

    @Test
    void withoutAlbuminTheTotalIsUsedAsMeasured() {
        assertThat(assess(lab("ca", Loinc.CALCIUM_SERUM_MASS, "10.6", "mg/dL", daysAgo(3))).result(RuleId.R2).fired()).isTrue();
    }

    @Test
    void albuminOutsideTheLookbackDoesNotCorrect() {
        Assessment a = assess(lab("ca", Loinc.CALCIUM_SERUM_MASS, "10.6", "mg/dL", daysAgo(3)),
                lab("alb", Loinc.ALBUMIN_MASS, "5.0", "g/dL", daysAgo(91)));
        assertThat(a.result(RuleId.R2).fired()).isTrue();
    }

    @Test
    void theLatestCountingAlbuminIsUsed() {
        Assessment a = assess(lab("ca", Loinc.CALCIUM_SERUM_MASS, "9.6", "mg/dL", daysAgo(3)),
                lab("old", Loinc.ALBUMIN_MASS, "2.0", "g/dL", daysAgo(40)),
                lab("new", Loinc.ALBUMIN_MASS, "4.0", "g/dL", daysAgo(10)));
        assertThat(a.result(RuleId.R2).fired()).isFalse();
    }

    @Test
    void payneCorrectedCalciumFeedsTheProduct() {
        // 9.6 + 0.8 x (4.0 - 2.5) = 10.8 ; 10.8 x 5.1 = 55.08
        Assessment a = assess(lab("ca", Loinc.CALCIUM_SERUM_MASS, "9.6", "mg/dL", daysAgo(3)),
                lab("alb", Loinc.ALBUMIN_MASS, "2.5", "g/dL", daysAgo(3)),
                lab("p", Loinc.PHOSPHATE_MASS, "5.1", "mg/dL", daysAgo(3)));
        assertThat(a.result(RuleId.R4).fired()).isTrue();
        assertThat(a.result(RuleId.R4).sources()).containsExactly("Observation/ca", "Observation/alb", "Observation/p");
        assertThat(a.result(RuleId.R3).fired()).isFalse();
    }

    @ParameterizedTest(name = "lab-reported corrected calcium {0} {1} {2} -> R2 fires: {3}")
    @CsvSource({"46099-8, 10.2, mg/dL, false", "46099-8, 10.3, mg/dL, true", "29265-6, 2.55, mmol/L, false",
            "29265-6, 2.56, mmol/L, true"})
    void labReportedCorrectedCalciumCountsAsTheCorrectedValue(String loinc, String value, String unit, boolean fires) {
        var code = new calciscreen.model.terminology.Code(Loinc.SYSTEM, loinc, "corrected calcium");
        // albumin present but NOT applied to a lab-corrected value: 10.3 with albumin 2.0 would be 11.9 either way,
        // and 10.2 would become 11.8 and fire if Payne were applied again
        Assessment a = assess(lab("cc", code, value, unit, daysAgo(3)), lab("alb", Loinc.ALBUMIN_MASS, "2.0", "g/dL", daysAgo(3)));
        assertThat(a.result(RuleId.R2).fired()).isEqualTo(fires);
    }

    @Test
    void labCorrectedCalciumWinsWhenItIsTheLatest() {
        Assessment a = assess(lab("total", Loinc.CALCIUM_SERUM_MASS, "9.0", "mg/dL", daysAgo(10)),
                lab("corr", Loinc.CALCIUM_ALBUMIN_CORRECTED_MASS, "10.5", "mg/dL", daysAgo(5)));
        assertThat(a.result(RuleId.R2).fired()).isTrue();
        assertThat(a.result(RuleId.R2).sources()).containsExactly("Observation/corr");
    }

    @Test
    void totalCalciumWinsWhenItIsTheLatest() {
        Assessment a = assess(lab("corr", Loinc.CALCIUM_ALBUMIN_CORRECTED_MASS, "10.5", "mg/dL", daysAgo(10)),
                lab("total", Loinc.CALCIUM_SERUM_MASS, "9.6", "mg/dL", daysAgo(5)),
                lab("alb", Loinc.ALBUMIN_MASS, "4.0", "g/dL", daysAgo(5)));
        assertThat(a.result(RuleId.R2).fired()).isFalse();
    }

    @Test
    void proteinCorrectedCalcium18281_6DoesNotCount() {
        Assessment a = assess(lab("pc", Loinc.CALCIUM_PROTEIN_CORRECTED_MASS, "12.0", "mg/dL", daysAgo(3)));
        assertThat(a.result(RuleId.R2).verdict()).isInstanceOf(Verdict.NotFired.class);
        assertThat(a.result(RuleId.R2).verdict().reason()).contains("no calcium in lookback");
        assertThat(a.notes()).isEmpty();
    }

    @Test
    void proteinCorrectedCalciumDoesNotHideAnOlderTotal() {
        Assessment a = assess(lab("total", Loinc.CALCIUM_SERUM_MASS, "10.6", "mg/dL", daysAgo(10)),
                lab("pc", Loinc.CALCIUM_PROTEIN_CORRECTED_MASS, "9.0", "mg/dL", daysAgo(3)));
        assertThat(a.result(RuleId.R2).fired()).isTrue();
    }
}
