package calciscreen.screening.flags;

import calciscreen.screening.flags.RuleResults.Fired;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.Annotation;
import org.hl7.fhir.r4.model.RiskAssessment;

/**
 * Legacy: the rules that fired, read from the note lines of a RiskAssessment written before the rule-result extension
 * existed, by the previous release ("R5 Hyperparathyroidism: fired (+2): intact PTH 612 pg/mL &gt; 585 pg/mL"). Such
 * a RiskAssessment stays as it is until the patient's tier, score or evidence changes ({@link FlagDecision}), so this
 * reader keeps its Flag's evidence on the worklist meanwhile. Only {@link RuleResults#fired} calls it, and only for a RiskAssessment
 * without rule-result extensions; delete it once no such RiskAssessment is left.
 */
final class LegacyRuleNotes {

    private static final Pattern FIRED = Pattern.compile("^(R\\d{1,2}) ([^:]+): fired \\(\\+(\\d+)\\): (.*)$");

    private LegacyRuleNotes() {
    }

    /** The rules that fired, in note order. */
    static List<Fired> fired(RiskAssessment ra) {
        List<Fired> fired = new ArrayList<>();
        if (ra != null) {
            for (Annotation note : ra.getNote()) {
                parse(note.getText()).ifPresent(fired::add);
            }
        }
        return fired;
    }

    /** The rule that fired, its points and its reason; empty for a line of a rule that did not fire, or not ours. */
    static Optional<Fired> parse(String noteText) {
        Matcher m = FIRED.matcher(noteText == null ? "" : noteText);
        if (!m.matches()) {
            return Optional.empty();
        }
        try {
            int points = Integer.parseInt(m.group(3));
            return RuleResults.ruleId(m.group(1)).map(rule -> new Fired(rule, points, m.group(4)));
        } catch (NumberFormatException e) { // points beyond an int
            return Optional.empty();
        }
    }
}
