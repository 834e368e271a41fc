package calciscreen.screening.rules;

import java.time.Instant;
import java.util.List;

/**
 * A patient's dialysis Procedures in the order given, with their sources. When that order is a time order, forwards or
 * backwards (starts and ends both), as FHIR searches sorted by date and Synthea give them, the Procedures that overlap a
 * window are one run of that order, found by binary search: a history of years of sessions costs R1 a few comparisons,
 * and their sources are copied as one block. In any other order R1 looks at each.
 */
final class DialysisTimeline {

    private final DialysisProcedure[] procedures;
    private final String[] sources;
    /** 1: starts and ends never decrease; -1: never increase; 0: neither. */
    private final int order;

    DialysisTimeline(List<DialysisProcedure> given) {
        procedures = given.toArray(DialysisProcedure[]::new);
        sources = new String[procedures.length];
        boolean forwards = true;
        boolean backwards = true;
        for (int i = 0; i < procedures.length; i++) {
            sources[i] = procedures[i].source();
            if (i > 0) {
                DialysisProcedure before = procedures[i - 1];
                DialysisProcedure p = procedures[i];
                int starts = p.start().compareTo(before.start());
                int ends = p.end().compareTo(before.end());
                forwards &= starts >= 0 && ends >= 0;
                backwards &= starts <= 0 && ends <= 0;
            }
        }
        order = forwards ? 1 : backwards ? -1 : 0;
    }

    int size() {
        return procedures.length;
    }

    DialysisProcedure get(int i) {
        return procedures[i];
    }

    /** The sources of all, in the order given; not to be written. */
    String[] sources() {
        return sources;
    }

    /** Whether {@link #overlapping} can answer. */
    boolean inTimeOrder() {
        return order != 0;
    }

    /**
     * The Procedures that overlap {@code [from, to]} ({@link DialysisProcedure#overlaps}), when in time order: the run
     * {@code [first(range), end(range))} of the order given, packed in one long.
     */
    long overlapping(Instant from, Instant to) {
        int n = procedures.length;
        if (order > 0) {
            // starts rise: those starting after `to` are a tail; ends rise: those ending before `from` are a head
            int end = firstIndex(n, i -> procedures[i].start().isAfter(to));
            int first = firstIndex(n, i -> !procedures[i].end().isBefore(from));
            return range(first, end);
        }
        // starts fall: those starting after `to` are a head; ends fall: those ending before `from` are a tail
        int first = firstIndex(n, i -> !procedures[i].start().isAfter(to));
        int end = firstIndex(n, i -> procedures[i].end().isBefore(from));
        return range(first, end);
    }

    static int first(long range) {
        return (int) (range >>> 32);
    }

    static int end(long range) {
        return (int) range;
    }

    private static long range(int first, int end) {
        return end <= first ? 0L : ((long) first << 32) | end;
    }

    private interface IndexTest {
        boolean test(int i);
    }

    /** The first index in {@code [0, n)} where a test that is false then true holds, else n. */
    private static int firstIndex(int n, IndexTest holds) {
        int lo = 0;
        int hi = n;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (holds.test(mid)) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }
}
