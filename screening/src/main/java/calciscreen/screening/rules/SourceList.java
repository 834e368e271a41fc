package calciscreen.screening.rules;

import java.util.AbstractList;
import java.util.Objects;
import java.util.RandomAccess;

/**
 * An unmodifiable list of source ids over an array no one writes to any more (the one a {@link Sources} filled): a
 * rule hands it to its {@link RuleResult} without the copy {@code List.copyOf} would make. Like {@code List.of}, it
 * refuses changes and nulls; equals, hashCode and toString are those of any List.
 */
final class SourceList extends AbstractList<String> implements RandomAccess {

    private final String[] ids;
    private final int size;

    /** {@code ids[0..size)} must be non-null and never written again. */
    SourceList(String[] ids, int size) {
        this.ids = ids;
        this.size = size;
    }

    @Override
    public String get(int index) {
        Objects.checkIndex(index, size);
        return ids[index];
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
            if (o.equals(ids[i])) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public int lastIndexOf(Object o) {
        Objects.requireNonNull(o);
        for (int i = size - 1; i >= 0; i--) {
            if (o.equals(ids[i])) {
                return i;
            }
        }
        return -1;
    }
}
