package calciscreen.screening.rules;

/**
 * What a rule decided. A rule that cannot decide says so (style.md): Indeterminate carries the reason and the resource
 * and awards no points, but it is never a silent "did not fire".
 *
 * <p>Fired and NotFired keep their {@link Reason} as data; two of them are equal when they are of the same kind and
 * read the same ({@link #reason()}), however the reason was put together.
 */
public sealed interface Verdict permits Verdict.Fired, Verdict.NotFired, Verdict.Indeterminate {

    /** The reason as a note shows it. */
    String reason();

    /** The rule's criterion is met, e.g. "intact PTH 612 pg/mL > 585 pg/mL". */
    record Fired(Reason why) implements Verdict {
        public Fired(String reason) {
            this(new Reason.Text(reason));
        }

        @Override
        public String reason() {
            return why.text();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Fired f && reason().equals(f.reason());
        }

        @Override
        public int hashCode() {
            return reason().hashCode();
        }
    }

    /** The counting data do not meet the criterion. */
    record NotFired(Reason why) implements Verdict {
        public NotFired(String reason) {
            this(new Reason.Text(reason));
        }

        @Override
        public String reason() {
            return why.text();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof NotFired n && reason().equals(n.reason());
        }

        @Override
        public int hashCode() {
            return reason().hashCode();
        }
    }

    /** The rule did not fire on counting data, but a newer value it would have read was unreadable. */
    record Indeterminate(String reason, String source) implements Verdict {
    }
}
