package calciscreen.screening.rules;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of one rule for one evaluation.
 *
 * @param rule        R1..R12
 * @param verdict     fired, not fired, or indeterminate (with reason)
 * @param points      the points awarded: the rule's points when fired, else 0
 * @param measurement the value the rule used, where one (e.g. the PTH, the product)
 * @param sources     the resources the verdict rests on, {@code Type/id} without version (for a fired rule: its
 *                    evidence)
 */
public record RuleResult(RuleId rule, Verdict verdict, int points, Optional<Measurement> measurement,
                         List<String> sources) {

    public RuleResult {
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(measurement, "measurement");
        sources = List.copyOf(sources);
        if (!(verdict instanceof Verdict.Fired) && points != 0) {
            throw new IllegalArgumentException(rule + " did not fire but awards " + points + " points");
        }
    }

    public String name() {
        return rule.title();
    }

    public boolean fired() {
        return verdict instanceof Verdict.Fired;
    }

    public boolean indeterminate() {
        return verdict instanceof Verdict.Indeterminate;
    }

    /** One line for a RiskAssessment note, e.g. "R5 Hyperparathyroidism: fired (+2): intact PTH 612 pg/mL > 585 pg/mL". */
    public String describe() {
        String outcome = fired() ? "fired (+" + points + ")" : indeterminate() ? "indeterminate" : "not fired";
        return rule + " " + rule.title() + ": " + outcome + ": " + verdict.reason();
    }
}
