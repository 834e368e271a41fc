package calciscreen.screening.rules;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * What a rule decided. A rule that cannot decide says so (style.md): Indeterminate carries the reason and the resource
 * and awards no points, but it is never a silent "did not fire".
 *
 * <p>Fired and NotFired behave as records of their reason ({@code equals}, {@code hashCode} and {@code toString} as a
 * record's), but the rules hand them the reason unformatted: most reasons are never read (a Flag's note shows the
 * rules that fired), and formatting numbers is most of what evaluating would otherwise cost. The text is made the
 * first time {@link #reason()} is read, and kept.
 */
public sealed interface Verdict permits Verdict.Fired, Verdict.NotFired, Verdict.Indeterminate {

    String reason();

    /** The rule's criterion is met, e.g. "intact PTH 612 pg/mL > 585 pg/mL". */
    final class Fired extends LazyReason implements Verdict {

        public Fired(String reason) {
            super(reason);
        }

        /** A reason formatted when first read. */
        Fired(Supplier<String> reason) {
            super(reason);
        }

        @Override
        public boolean equals(Object o) {
            return o == this || (o instanceof Fired f && Objects.equals(reason(), f.reason()));
        }
    }

    /** The counting data do not meet the criterion. */
    final class NotFired extends LazyReason implements Verdict {

        public NotFired(String reason) {
            super(reason);
        }

        /** A reason formatted when first read. */
        NotFired(Supplier<String> reason) {
            super(reason);
        }

        @Override
        public boolean equals(Object o) {
            return o == this || (o instanceof NotFired n && Objects.equals(reason(), n.reason()));
        }
    }

    /** The rule did not fire on counting data, but a newer value it would have read was unreadable. */
    record Indeterminate(String reason, String source) implements Verdict {
    }
}
