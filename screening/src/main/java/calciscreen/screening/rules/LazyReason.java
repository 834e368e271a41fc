package calciscreen.screening.rules;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * A verdict's reason, given as text or as a function that makes the text: made the first time {@link #reason()} is
 * read, then kept. {@code hashCode} and {@code toString} are those of a record with the one component
 * {@code reason}; subclasses give {@code equals} (same class, same text).
 *
 * <p>Safe to share between threads: the function is pure, so two threads that both make the text make the same
 * one, and a String is immutable.
 */
abstract class LazyReason {

    /** The text (a String, possibly null as a record would allow), or the Supplier that makes it. */
    private Object reason;

    LazyReason(String reason) {
        this.reason = reason;
    }

    LazyReason(Supplier<String> reason) {
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public final String reason() {
        Object r = reason;
        if (r instanceof Supplier<?> make) {
            String text = Objects.requireNonNull((String) make.get(), "reason");
            reason = text;
            return text;
        }
        return (String) r;
    }

    @Override
    public abstract boolean equals(Object o);

    @Override
    public final int hashCode() {
        return Objects.hashCode(reason());
    }

    @Override
    public final String toString() {
        return getClass().getSimpleName() + "[reason=" + reason() + "]";
    }
}
