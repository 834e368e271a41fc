package calciscreen.screening.rules;

import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The sources a rule collects, {@code Type/id}, in the order found; handed over once as an immutable list, with or
 * without duplicates (a fired rule lists each resource once). Nothing may be added after {@link #list()} or
 * {@link #distinct()}: the list shares the array.
 */
final class Sources {

    private String[] ids;
    private int size;

    Sources(int expected) {
        ids = new String[Math.max(expected, 2)];
    }

    void add(String id) {
        Objects.requireNonNull(id, "source");
        if (size == ids.length) {
            ids = Arrays.copyOf(ids, size * 2);
        }
        ids[size++] = id;
    }

    /** {@code from[first..end)} */
    void addAll(String[] from, int first, int end) {
        int n = end - first;
        if (size + n > ids.length) {
            ids = Arrays.copyOf(ids, Math.max(size + n, size * 2));
        }
        System.arraycopy(from, first, ids, size, n);
        size += n;
    }

    void addAll(List<String> more) {
        for (String id : more) {
            add(id);
        }
    }

    /** The corrected calcium's: the calcium, then the albumin it was corrected with. */
    void addAll(CorrectedCalcium c) {
        add(c.calcium().value.source());
        if (c.albumin().isPresent()) {
            add(c.albumin().get().value.source());
        }
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** As collected, duplicates included. */
    List<String> list() {
        return switch (size) {
            case 0 -> List.of();
            case 1 -> List.of(ids[0]);
            case 2 -> List.of(ids[0], ids[1]);
            default -> new FrozenList<>(ids, size);
        };
    }

    /** Each once, in the order first found. */
    List<String> distinct() {
        if (!hasDuplicates()) {
            return list();
        }
        Set<String> once = new LinkedHashSet<>(Arrays.asList(ids).subList(0, size));
        return List.copyOf(once);
    }

    private boolean hasDuplicates() {
        if (size <= 8) {
            for (int i = 1; i < size; i++) {
                for (int j = 0; j < i; j++) {
                    if (ids[i].equals(ids[j])) {
                        return true;
                    }
                }
            }
            return false;
        }
        Set<String> seen = new HashSet<>(size * 2);
        for (int i = 0; i < size; i++) {
            if (!seen.add(ids[i])) {
                return true;
            }
        }
        return false;
    }
}
