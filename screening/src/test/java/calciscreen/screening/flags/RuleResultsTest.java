package calciscreen.screening.flags;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import calciscreen.model.CanonicalUrls;
import calciscreen.model.resources.RiskAssessmentBuilder;
import calciscreen.model.resources.RiskTier;
import calciscreen.model.resources.RuleOutcome;
import calciscreen.model.resources.RuleOutcome.Amount;
import calciscreen.model.resources.RuleOutcome.Comparison;
import calciscreen.model.resources.RuleOutcome.Criterion;
import calciscreen.screening.flags.RuleResults.Fired;
import calciscreen.screening.rules.Assessment;
import calciscreen.screening.rules.PatientContext;
import calciscreen.screening.rules.RandomPatients;
import calciscreen.screening.rules.Reason;
import calciscreen.screening.rules.RuleConfig;
import calciscreen.screening.rules.RuleId;
import calciscreen.screening.rules.RuleResult;
import calciscreen.screening.rules.RuleSet;
import calciscreen.screening.rules.Verdict;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.RiskAssessment;
import org.junit.jupiter.api.Test;

/** The rule results through a RiskAssessment: written by {@link RuleResults#of}, read by {@link RuleResults#fired}. */
class RuleResultsTest {

    static final FhirContext R4 = FhirContext.forR4Cached();
    static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
    static final int PATIENTS = 2_000;

    /** A value as the rules measure it. */
    record Value(String label, double value, String unit, double canonicalValue) implements Reason.Measured {
    }

    @Test
    void everyRuleOfRandomPatientsReadsBackFromTheStoredRiskAssessmentAsTheRulesDecided() {
        RandomPatients patients = new RandomPatients(24L, NOW);
        RuleSet rules = RuleSet.v1();
        Set<RuleId> firedSeen = EnumSet.noneOf(RuleId.class);
        Set<RuleId> undecidedSeen = EnumSet.noneOf(RuleId.class);
        for (int i = 0; i < PATIENTS; i++) {
            RandomPatients.Generated g = patients.next();
            Assessment a = rules.evaluate(PatientContext.from(g.patient(), g.resources()), NOW);
            RiskAssessment stored = stored(a);

            List<Fired> expected = a.fired().stream()
                    .map(r -> new Fired(r.rule(), r.points(), r.verdict().reason())).toList();
            assertThat(RuleResults.fired(stored)).as("patient %d", i).isEqualTo(expected);
            assertThat(LegacyRuleNotes.fired(stored)).as("the notes say the same, patient %d", i).isEqualTo(expected);
            assertThat(RiskAssessmentBuilder.ruleResultsOf(stored)).as("patient %d", i).isEqualTo(RuleResults.of(a));
            a.fired().forEach(r -> firedSeen.add(r.rule()));
            a.results().stream().filter(RuleResult::indeterminate).forEach(r -> undecidedSeen.add(r.rule()));
        }
        assertThat(firedSeen).as("every rule fired for some patient").containsExactlyInAnyOrder(RuleId.values());
        assertThat(undecidedSeen).as("some rules could not decide").isNotEmpty();
    }

    @Test
    void aValueAgainstAThresholdIsWrittenInTheUnitsTheRuleComparedIn() {
        RuleConfig.UnitThreshold pth = RuleConfig.v1().thresholds().pthAbove();
        RuleConfig.UnitThreshold calcium = RuleConfig.v1().thresholds().correctedCalciumAbove();
        Assessment a = assessment(
                fired(RuleId.R2, 2, new Reason.Comparison(new Value("calcium", 5.2, "meq/L", 10.4208), ">", calcium)),
                fired(RuleId.R5, 2, new Reason.All(List.of(
                        new Reason.Comparison(new Value("intact PTH", 62.1, "pmol/L", 585.8), ">", pth),
                        new Reason.Text("hyperparathyroidism Condition")))));
        List<RuleOutcome> written = RuleResults.of(a);
        assertThat(written).extracting(RuleOutcome::rule).containsExactly("R2", "R5");
        assertThat(written.get(0).criteria()).containsExactly(new Criterion(
                "calcium 5.2 meq/L (10.4208 mg/dL) > 10.2 mg/dL", Optional.of(new Comparison("calcium",
                        Amount.of(5.2, "meq/L"), ">", Amount.of(10.2, "mg/dL")))));
        assertThat(written.get(1).reason()).isEqualTo("intact PTH 62.1 pmol/L > 62 pmol/L; hyperparathyroidism Condition");
        assertThat(written.get(1).criteria()).containsExactly(
                new Criterion("intact PTH 62.1 pmol/L > 62 pmol/L", Optional.of(new Comparison("intact PTH",
                        Amount.of(62.1, "pmol/L"), ">", Amount.of(62.0, "pmol/L")))),
                Criterion.text("hyperparathyroidism Condition"));
        assertThat(RuleResults.fired(stored(a))).containsExactly(
                new Fired(RuleId.R2, 2, "calcium 5.2 meq/L (10.4208 mg/dL) > 10.2 mg/dL"),
                new Fired(RuleId.R5, 2, "intact PTH 62.1 pmol/L > 62 pmol/L; hyperparathyroidism Condition"));
    }

    @Test
    void theCalciumPhosphateProductIsWrittenInMg2PerDl2() {
        Assessment a = assessment(fired(RuleId.R4, 1, new Reason.Product(10.6, 6.4, 67.84, ">=", 55)));
        assertThat(RuleResults.of(a)).singleElement().satisfies(r -> assertThat(r.criteria()).containsExactly(
                new Criterion("calcium 10.6 mg/dL x phosphate 6.4 mg/dL = 67.84 mg2/dL2 >= 55", Optional.of(
                        new Comparison("calcium-phosphate product", Amount.of(67.84, "mg2/dL2"), ">=",
                                Amount.of(55, "mg2/dL2"))))));
    }

    @Test
    void aRuleThatCouldNotDecideIsWrittenWithoutPointsAndIsNoFiredRule() {
        Assessment a = assessment(new RuleResult(RuleId.R6, new Verdict.Indeterminate("Observation/4: no unit",
                "Observation/4"), 0, Optional.empty(), List.of("Observation/4")));
        assertThat(RuleResults.of(a)).containsExactly(new RuleOutcome("R6", "Hypoalbuminemia", false, 0,
                "Observation/4: no unit", List.of()));
        RiskAssessment stored = stored(a);
        assertThat(RiskAssessmentBuilder.ruleResultsOf(stored)).hasSize(1);
        assertThat(RuleResults.fired(stored)).isEmpty();
    }

    @Test
    void aRuleOutsideRuleSetV1IsNotShown() {
        RiskAssessment ra = stored(assessment(fired(RuleId.R8, 1, new Reason.Text("female"))));
        ((Coding) ra.getExtension().get(0).getExtensionByUrl("rule").getValue()).setCode("R13");
        assertThat(RuleResults.fired(ra)).isEmpty();
    }

    /** The RiskAssessment the writer builds for {@code a}, through JSON as the server stores it. */
    static RiskAssessment stored(Assessment a) {
        RiskAssessment ra = RiskAssessmentBuilder.forPatient("p").occurrence(a.evaluatedAt())
                .ruleSet(a.rulesCanonical()).tier(a.tier()).score(a.score()).basis(a.evidenceResourceIds())
                .notes(FlagWriter.noteLines(a)).ruleResults(RuleResults.of(a)).build();
        return R4.newJsonParser().parseResource(RiskAssessment.class, R4.newJsonParser().encodeResourceToString(ra));
    }

    private static RuleResult fired(RuleId rule, int points, Reason why) {
        return new RuleResult(rule, new Verdict.Fired(why), points, Optional.empty(), List.of());
    }

    private static Assessment assessment(RuleResult... results) {
        int score = 0;
        for (RuleResult r : results) {
            score += r.points();
        }
        return new Assessment(CanonicalUrls.RULES_CALCIPHYLAXIS, "1.0.0", NOW, score, RiskTier.LOW, false,
                List.of(results), List.of());
    }
}
