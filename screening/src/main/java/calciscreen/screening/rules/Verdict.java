package calciscreen.screening.rules;

/**
 * What a rule decided. A rule that cannot decide says so (style.md): Indeterminate carries the reason and the resource
 * and awards no points, but it is never a silent "did not fire".
 */
public sealed interface Verdict permits Verdict.Fired, Verdict.NotFired, Verdict.Indeterminate {

    String reason();

    /** The rule's criterion is met, e.g. "intact PTH 612 pg/mL > 585 pg/mL". */
    record Fired(String reason) implements Verdict {
    }

    /** The counting data do not meet the criterion. */
    record NotFired(String reason) implements Verdict {
    }

    /** The rule did not fire on counting data, but a newer value it would have read was unreadable. */
    record Indeterminate(String reason, String source) implements Verdict {
    }
}
