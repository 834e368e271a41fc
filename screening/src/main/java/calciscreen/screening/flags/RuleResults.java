package calciscreen.screening.flags;

import calciscreen.model.resources.RiskAssessmentBuilder;
import calciscreen.model.resources.RuleOutcome;
import calciscreen.model.resources.RuleOutcome.Amount;
import calciscreen.model.resources.RuleOutcome.Comparison;
import calciscreen.model.resources.RuleOutcome.Criterion;
import calciscreen.screening.rules.Assessment;
import calciscreen.screening.rules.Reason;
import calciscreen.screening.rules.RuleId;
import calciscreen.screening.rules.RuleResult;
import calciscreen.screening.rules.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.r4.model.RiskAssessment;

/**
 * The rule results a RiskAssessment carries as data (fhir-model's {@link RuleOutcome}, the rule-result extension):
 * written from an Assessment beside the note lines, read back by the worklist and the flag actions.
 */
public final class RuleResults {

    /** The unit of the calcium-phosphate product (R4), in UCUM. */
    static final String PRODUCT_UNIT = "mg2/dL2";

    /**
     * A rule that fired, as the patient's RiskAssessment records it.
     *
     * @param rule   R1..R12
     * @param points the points it awarded
     * @param reason what fired, with the value and unit ("intact PTH 700 pg/mL &gt; 585 pg/mL")
     */
    public record Fired(RuleId rule, int points, String reason) {
    }

    private RuleResults() {
    }

    /** The rules that fired or could not decide, in rule order: what the notes say, as data. */
    static List<RuleOutcome> of(Assessment assessment) {
        List<RuleOutcome> outcomes = new ArrayList<>();
        for (RuleResult result : assessment.results()) {
            if (result.fired() || result.indeterminate()) {
                List<Criterion> criteria = result.verdict() instanceof Verdict.Fired fired ? criteria(fired.why())
                        : List.of();
                outcomes.add(new RuleOutcome(result.rule().name(), result.rule().title(), result.fired(),
                        result.points(), result.verdict().reason(), criteria));
            }
        }
        return outcomes;
    }

    /**
     * The rules that fired, in the order written. A RiskAssessment written before the rule-result extension existed
     * has only its notes: those are read by {@link LegacyRuleNotes}, so that its Flag keeps its evidence on the
     * worklist until the patient is screened again.
     */
    public static List<Fired> fired(RiskAssessment ra) {
        List<RuleOutcome> written = RiskAssessmentBuilder.ruleResultsOf(ra);
        if (written.isEmpty()) {
            return LegacyRuleNotes.fired(ra);
        }
        List<Fired> fired = new ArrayList<>();
        for (RuleOutcome outcome : written) {
            if (outcome.fired()) {
                ruleId(outcome.rule()).ifPresent(rule -> fired.add(new Fired(rule, outcome.points(), outcome.reason())));
            }
        }
        return fired;
    }

    /** The ids (R1..R12) of the rules that fired, in the order written: what the flag actions record. */
    public static List<String> firedRules(RiskAssessment ra) {
        return fired(ra).stream().map(f -> f.rule().name()).toList();
    }

    /** The rule of an id written on a RiskAssessment; empty for an id outside rule set v1. */
    static Optional<RuleId> ruleId(String id) {
        try {
            return Optional.of(RuleId.valueOf(id));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static List<Criterion> criteria(Reason why) {
        List<Criterion> criteria = new ArrayList<>();
        if (why instanceof Reason.All all) {
            for (Reason part : all.parts()) {
                criteria.addAll(criteria(part));
            }
        } else {
            criteria.add(new Criterion(why.text(), comparison(why)));
        }
        return criteria;
    }

    /** A value against a threshold, in the units the rule compared them in (the note's); empty for a fixed text. */
    private static Optional<Comparison> comparison(Reason why) {
        if (why instanceof Reason.Comparison c) {
            Reason.Measured value = c.value();
            var own = c.limit().limitIn(value.unit());
            Amount limit = own.isPresent() ? Amount.of(own.getAsDouble(), value.unit())
                    : Amount.of(c.limit().value(), c.limit().unit());
            return Optional.of(new Comparison(value.label(), Amount.of(value.value(), value.unit()), c.operator(),
                    limit));
        }
        if (why instanceof Reason.Product p) {
            return Optional.of(new Comparison("calcium-phosphate product", Amount.of(p.product(), PRODUCT_UNIT),
                    p.operator(), Amount.of(p.limit(), PRODUCT_UNIT)));
        }
        return Optional.empty();
    }
}
