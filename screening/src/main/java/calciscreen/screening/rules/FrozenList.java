package calciscreen.screening.rules;

import java.util.AbstractList;
import java.util.Objects;
import java.util.RandomAccess;

/**
 * An unmodifiable list over an array no one writes to any more (the sources a {@link Sources} filled, the results of
 * an evaluation): handed to a {@link RuleResult} or an {@link Assessment} without the copy {@code List.copyOf} would
 * make. Like {@code List.of}, it refuses changes and nulls; equals, hashCode and toString are those of any List.
 */
final class FrozenList<E> extends AbstractList<E> implements RandomAccess {

    private final E[] items;
    private final int size;

    /** {@code items[0..size)} must be non-null and never written again. */
    FrozenList(E[] items, int size) {
        this.items = items;
        this.size = size;
    }

    @Override
    public E get(int index) {
        Objects.checkIndex(index, size);
        return items[index];
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public boolean contains(Object o) {
        return indexOf(Objects.requireNonNull(o)) >= 0;
    }

    @Override
    public int indexOf(Object o) {
        Objects.requireNonNull(o);
        for (int i = 0; i < size; i++) {
            if (o.equals(items[i])) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public int lastIndexOf(Object o) {
        Objects.requireNonNull(o);
        for (int i = size - 1; i >= 0; i--) {
            if (o.equals(items[i])) {
                return i;
            }
        }
        return -1;
    }
}
