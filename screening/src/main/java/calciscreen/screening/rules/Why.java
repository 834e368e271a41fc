package calciscreen.screening.rules;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The parts of a reason that can have several ("kidney failure Condition; dialysis Procedure in lookback"), kept
 * unformatted until the reason is read: then each part is made, and the distinct parts are joined with "; " in the
 * order they were first given.
 *
 * <p>Fill it in one rule, then hand it to a verdict as its reason; it is not changed after that.
 */
final class Why implements Supplier<String> {

    /** Each a String, or a Supplier of one. */
    private Object[] parts = new Object[2];
    private int size;

    /** A fixed part. The same String given again is not kept twice (it would be dropped when joined anyway). */
    Why add(String part) {
        for (int i = 0; i < size; i++) {
            if (parts[i] == part) {
                return this;
            }
        }
        return append(part);
    }

    /** A part made when the reason is read. */
    Why add(Supplier<String> part) {
        return append(part);
    }

    boolean isEmpty() {
        return size == 0;
    }

    private Why append(Object part) {
        if (size == parts.length) {
            parts = Arrays.copyOf(parts, size * 2);
        }
        parts[size++] = part;
        return this;
    }

    @Override
    public String get() {
        if (size == 1) {
            return text(parts[0]);
        }
        Set<String> distinct = new LinkedHashSet<>();
        for (int i = 0; i < size; i++) {
            distinct.add(text(parts[i]));
        }
        return String.join("; ", distinct);
    }

    private static String text(Object part) {
        return part instanceof Supplier<?> make ? (String) make.get() : (String) part;
    }
}
