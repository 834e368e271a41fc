package calciscreen.model.resources;

import calciscreen.model.CanonicalUrls;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.r4.model.Flag;
import org.hl7.fhir.r4.model.RiskAssessment;

/** The resources the tests build: one patient, evaluated on 2025-03-01. */
final class Examples {

    static final String PATIENT = "123";
    static final String RULES = CanonicalUrls.rulesCanonical(CanonicalUrls.RULES_VERSION);
    static final Instant STARTED = Instant.parse("2025-02-01T08:00:00Z");
    static final Instant EVALUATED = Instant.parse("2025-03-01T10:15:30Z");
    static final List<String> EVIDENCE = List.of("Observation/12", "Condition/5", "MedicationRequest/8");
    static final String RISK_ASSESSMENT = "RiskAssessment/77";
    static final String DEVICE = "Device/9";
    static final List<String> NOTES = List.of(
            "R1 kidney failure: Condition/5 end stage renal disease (+3)",
            "R3 hyperphosphatemia: phosphate 6.1 mg/dL, Observation/12 (+2)",
            "R7 vitamin K antagonist: warfarin, MedicationRequest/8 (+2)");

    /** What the rules in {@link #NOTES} say, as data: a condition, a value against a threshold, a medication. */
    static final List<RuleOutcome> RULE_RESULTS = List.of(
            new RuleOutcome("R1", "Kidney failure", true, 3, "end stage renal disease Condition",
                    List.of(RuleOutcome.Criterion.text("end stage renal disease Condition"))),
            new RuleOutcome("R3", "Hyperphosphatemia", true, 2, "phosphate 6.1 mg/dL > 5.5 mg/dL",
                    List.of(new RuleOutcome.Criterion("phosphate 6.1 mg/dL > 5.5 mg/dL", Optional.of(
                            new RuleOutcome.Comparison("phosphate", RuleOutcome.Amount.of(6.1, "mg/dL"), ">",
                                    RuleOutcome.Amount.of(5.5, "mg/dL")))))),
            new RuleOutcome("R5", "Hyperparathyroidism", false, 0,
                    "Observation/13 was not counted: unit 'pg' is not a PTH unit", List.of()),
            new RuleOutcome("R7", "Vitamin K antagonist", true, 2, "warfarin",
                    List.of(RuleOutcome.Criterion.text("warfarin"))));

    private Examples() {
    }

    static FlagBuilder flag(RiskTier tier) {
        return FlagBuilder.forPatient(PATIENT).tier(tier).periodStart(STARTED).riskAssessment(RISK_ASSESSMENT)
                .evidence(EVIDENCE).author(DEVICE).ruleSet(RULES);
    }

    static Flag activeFlag(RiskTier tier) {
        return flag(tier).build();
    }

    static Flag inactiveFlag() {
        return flag(null).periodEnd(Optional.of(EVALUATED)).build();
    }

    static RiskAssessmentBuilder riskAssessment(RiskTier tier, int score) {
        return RiskAssessmentBuilder.forPatient(PATIENT).occurrence(EVALUATED).ruleSet(RULES).tier(tier).score(score)
                .basis(EVIDENCE).notes(NOTES).ruleResults(RULE_RESULTS);
    }
}
