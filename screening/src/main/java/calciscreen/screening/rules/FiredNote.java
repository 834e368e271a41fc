package calciscreen.screening.rules;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A RiskAssessment note that {@link RuleResult#describe()} wrote for a rule that fired, read back:
 * "R5 Hyperparathyroidism: fired (+2): intact PTH 612 pg/mL &gt; 585 pg/mL". The one reader of that line, for the
 * worklist's rows and the clinicians' actions alike.
 */
public record FiredNote(RuleId rule, int points, String reason) {

    private static final Pattern FIRED = Pattern.compile("^(R\\d{1,2}) ([^:]+): fired \\(\\+(\\d+)\\): (.*)$");

    /** The rule that fired, its points and its reason; empty for a note of a rule that did not fire, or not ours. */
    public static Optional<FiredNote> parse(String noteText) {
        Matcher m = FIRED.matcher(noteText == null ? "" : noteText);
        if (!m.matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new FiredNote(RuleId.valueOf(m.group(1)), Integer.parseInt(m.group(3)), m.group(4)));
        } catch (IllegalArgumentException e) { // an id outside the rule set, or points beyond an int
            return Optional.empty();
        }
    }
}
