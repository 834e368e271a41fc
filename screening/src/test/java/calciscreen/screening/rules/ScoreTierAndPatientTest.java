package calciscreen.screening.rules;

import static calciscreen.screening.rules.Fhir.NOW;
import static calciscreen.screening.rules.Fhir.assess;
import static calciscreen.screening.rules.Fhir.condition;
import static calciscreen.screening.rules.Fhir.dateTime;
import static calciscreen.screening.rules.Fhir.daysAgo;
import static calciscreen.screening.rules.Fhir.female;
import static calciscreen.screening.rules.Fhir.noteTexts;
import static calciscreen.screening.rules.Fhir.patient;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import calciscreen.model.resources.RiskTier;
import calciscreen.model.terminology.Loinc;
import calciscreen.model.terminology.Snomed;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ScoreTierAndPatientTest {

    /** R1 3 points, R2 2, R5 2, R8 1: conditions only, so no lab rule interferes. */
    private static Assessment withRules(boolean r1, boolean r2, boolean r5, boolean r8) {
        List<Resource> rs = new ArrayList<>();
        if (r1) {
            rs.add(condition("esrd", Snomed.END_STAGE_RENAL_DISEASE));
        }
        if (r2) {
            rs.add(condition("hyperca", Snomed.HYPERCALCEMIA));
        }
        if (r5) {
            rs.add(condition("hpt", Snomed.SECONDARY_HYPERPARATHYROIDISM));
        }
        return assess(r8 ? female() : patient(), rs.toArray(Resource[]::new));
    }

    @ParameterizedTest(name = "R1 {0}, R2 {1}, R5 {2}, R8 {3} -> score {4}, {5}, Flag active {6}, priority {7}")
    @CsvSource({
            "false, false, false, false, 0, LOW,      false, ''",
            "true,  false, false, true,  4, LOW,      false, ''",
            "true,  true,  false, false, 5, MODERATE, true,  PM",
            "true,  true,  true,  false, 7, MODERATE, true,  PM",
            "true,  true,  true,  true,  8, HIGH,     true,  PH"})
    void tiersAt4_5_7_8(boolean r1, boolean r2, boolean r5, boolean r8, int score, RiskTier tier, boolean active,
                        String priority) {
        Assessment a = withRules(r1, r2, r5, r8);
        assertThat(a.score()).isEqualTo(score);
        assertThat(a.tier()).isEqualTo(tier);
        assertThat(a.flagActive()).isEqualTo(active);
        assertThat(a.flagPriority()).isEqualTo(priority.isEmpty() ? Optional.empty() : Optional.of(priority));
    }

    @ParameterizedTest(name = "score {0} -> {1}")
    @CsvSource({"0, LOW", "4, LOW", "5, MODERATE", "6, MODERATE", "7, MODERATE", "8, HIGH", "20, HIGH"})
    void tierCutOffs(int score, RiskTier tier) {
        assertThat(RuleConfig.v1().tierOf(score)).isEqualTo(tier);
    }

    @Test
    void everyRuleFiringScores21() {
        Assessment a = assess(female(),
                condition("esrd", Snomed.END_STAGE_RENAL_DISEASE),
                Fhir.lab("ca", Loinc.CALCIUM_SERUM_MASS, "11", "mg/dL", daysAgo(1)),
                Fhir.lab("p", Loinc.PHOSPHATE_MASS, "6", "mg/dL", daysAgo(1)),
                Fhir.lab("pth", Loinc.PTH_INTACT_MASS, "900", "pg/mL", daysAgo(1)),
                Fhir.lab("alb", Loinc.ALBUMIN_MASS, "2.9", "g/dL", daysAgo(1)),
                Fhir.request("w", Fhir.rxnorm("855332", null)),
                condition("dm", Snomed.DIABETES_MELLITUS_TYPE_2),
                Fhir.lab("bmi", Loinc.BMI, "31", "kg/m2", daysAgo(1)),
                condition("crohn", Snomed.CROHNS_DISEASE),
                condition("calci", Snomed.CALCIPHYLAXIS));
        assertThat(a.results()).extracting(RuleResult::rule).containsExactly(RuleId.values());
        assertThat(a.results()).allMatch(RuleResult::fired);
        assertThat(a.score()).isEqualTo(3 + 2 + 2 + 1 + 2 + 1 + 2 + 1 + 1 + 1 + 1 + 3);
        assertThat(a.evidenceResourceIds()).doesNotContain("Patient/p1").contains("Condition/esrd", "Observation/alb",
                "MedicationRequest/w", "Condition/calci");
        assertThat(a.rulesCanonical()).isEqualTo("http://calciscreen.example/fhir/rules/calciphylaxis|1.0.0");
        assertThat(a.evaluatedAt()).isEqualTo(NOW);
    }

    @Test
    void femaleSexIsR8() {
        RuleResult r8 = assess(female()).result(RuleId.R8);
        assertThat(r8.fired()).isTrue();
        assertThat(r8.points()).isEqualTo(1);
        assertThat(r8.sources()).containsExactly("Patient/p1");
        assertThat(assess(patient().setGender(AdministrativeGender.OTHER)).result(RuleId.R8).fired()).isFalse();
        assertThat(assess(patient().setGender(null)).result(RuleId.R8).fired()).isFalse();
    }

    @Test
    void withoutAPatientSexIsIndeterminate() {
        Assessment a = RuleSet.v1().evaluate(PatientContext.from(null, List.of()), NOW);
        assertThat(a.result(RuleId.R8).verdict()).isInstanceOf(Verdict.Indeterminate.class);
        assertThat(a.deceased()).isFalse();
    }

    @Test
    void aDeceasedPatientGetsNoActiveFlagButKeepsTheScore() {
        Patient dead = female();
        dead.setDeceased(new BooleanType(true));
        Assessment a = assess(dead, condition("esrd", Snomed.END_STAGE_RENAL_DISEASE),
                condition("calci", Snomed.CALCIPHYLAXIS), condition("dm", Snomed.DIABETES_MELLITUS));
        assertThat(a.score()).isEqualTo(8);
        assertThat(a.tier()).isEqualTo(RiskTier.HIGH);
        assertThat(a.deceased()).isTrue();
        assertThat(a.flagActive()).isFalse();
        assertThat(a.flagPriority()).isEmpty();
        assertThat(noteTexts(a)).anySatisfy(n -> assertThat(n).startsWith("Patient/p1").contains("deceased"));
    }

    @Test
    void anyDeceasedDateTimeMeansDeceased() {
        Patient dead = female();
        dead.setDeceased(dateTime(daysAgo(3)));
        assertThat(assess(dead).deceased()).isTrue();
        Patient alive = female();
        alive.setDeceased(new BooleanType(false));
        assertThat(assess(alive).deceased()).isFalse();
    }

    @Test
    void pointsAndThresholdsAreConfiguration() {
        RuleConfig base = RuleConfig.v1();
        RuleSet stricter = new RuleSet(base.withThresholds(base.thresholds()
                .withPthAbove(RuleConfig.UnitThreshold.of(300, "pg/mL"))));
        PatientContext ctx = Fhir.context(patient(), Fhir.lab("pth", Loinc.PTH_INTACT_MASS, "400", "pg/mL", daysAgo(1)));
        assertThat(stricter.evaluate(ctx, NOW).result(RuleId.R5).fired()).isTrue();
        assertThat(RuleSet.v1().evaluate(ctx, NOW).result(RuleId.R5).fired()).isFalse();
    }

    @Test
    void configRejectsMissingPointsAndInvertedTiers() {
        RuleConfig v1 = RuleConfig.v1();
        assertThatThrownBy(() -> new RuleConfig("x", v1.lookback(), v1.thresholds(), Map.of(RuleId.R1, 3), v1.tiers()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("R2");
        assertThatThrownBy(() -> new RuleConfig.Tiers(9, 8)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> v1.withLookback(java.time.Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void v1DefaultsAreTheDocuments() {
        RuleConfig v1 = RuleConfig.v1();
        assertThat(v1.version()).isEqualTo("1.0.0");
        assertThat(v1.lookback()).isEqualTo(java.time.Duration.ofDays(90));
        assertThat(v1.points()).containsExactlyInAnyOrderEntriesOf(Map.ofEntries(
                Map.entry(RuleId.R1, 3), Map.entry(RuleId.R2, 2), Map.entry(RuleId.R3, 2), Map.entry(RuleId.R4, 1),
                Map.entry(RuleId.R5, 2), Map.entry(RuleId.R6, 1), Map.entry(RuleId.R7, 2), Map.entry(RuleId.R8, 1),
                Map.entry(RuleId.R9, 1), Map.entry(RuleId.R10, 1), Map.entry(RuleId.R11, 1), Map.entry(RuleId.R12, 3)));
        assertThat(v1.thresholds().pthAbove().limitIn("pmol/L")).hasValue(62.0);
        assertThat(v1.thresholds().correctedCalciumAbove().limitIn("mmol/L")).hasValue(2.55);
        assertThat(v1.thresholds().correctedCalciumAbove().limitIn("meq/L")).isEmpty();
    }

    @Test
    void notFiredRulesSayWhy() {
        Assessment a = assess(Fhir.lab("pth", Loinc.PTH_INTACT_MASS, "585", "pg/mL", daysAgo(1)));
        assertThat(a.result(RuleId.R5).verdict())
                .isEqualTo(new Verdict.NotFired("intact PTH 585 pg/mL <= 585 pg/mL; no hyperparathyroidism Condition"));
        assertThat(a.result(RuleId.R3).verdict()).isEqualTo(new Verdict.NotFired("no phosphate in lookback"));
        assertThat(a.result(RuleId.R5).describe()).isEqualTo(
                "R5 Hyperparathyroidism: not fired: intact PTH 585 pg/mL <= 585 pg/mL; no hyperparathyroidism Condition");
    }
}
