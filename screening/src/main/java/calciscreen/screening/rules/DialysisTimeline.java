package calciscreen.screening.rules;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A patient's dialysis Procedures in the order given, and which of them overlap a window (R1). When that order is a
 * time order, forwards or backwards (starts and ends both), as FHIR searches sorted by date and Synthea give them, the
 * Procedures that overlap a window are one run of that order, found by binary search: a history of years of sessions
 * costs R1 a few comparisons, and when every session is in the window R1 gets the list it was given, not a copy. In any
 * other order each is looked at.
 */
final class DialysisTimeline {

    private final List<String> sources;
    /** 1: starts and ends never decrease; -1: never increase; 0: neither. */
    private final int order;
    /** In time order: the starts and the ends, earliest first (the order given, or its reverse). */
    private final Instant[] starts;
    private final Instant[] ends;
    /** In no time order: the Procedures as given. */
    private final List<DialysisProcedure> procedures;

    DialysisTimeline(List<DialysisProcedure> given) {
        procedures = List.copyOf(given);
        sources = List.copyOf(procedures.stream().map(DialysisProcedure::source).toList());
        boolean forwards = true;
        boolean backwards = true;
        for (int i = 1; i < procedures.size(); i++) {
            DialysisProcedure before = procedures.get(i - 1);
            DialysisProcedure p = procedures.get(i);
            int starts = p.start().compareTo(before.start());
            int ends = p.end().compareTo(before.end());
            forwards &= starts >= 0 && ends >= 0;
            backwards &= starts <= 0 && ends <= 0;
        }
        order = forwards ? 1 : backwards ? -1 : 0;
        List<DialysisProcedure> earliestFirst = new ArrayList<>(procedures);
        if (order < 0) {
            Collections.reverse(earliestFirst);
        }
        starts = earliestFirst.stream().map(DialysisProcedure::start).toArray(Instant[]::new);
        ends = earliestFirst.stream().map(DialysisProcedure::end).toArray(Instant[]::new);
    }

    /** Whether the Procedures are in a time order, forwards or backwards (then found by binary search). */
    boolean inTimeOrder() {
        return order != 0;
    }

    /** The sources of the Procedures that overlap {@code [from, to]} ({@link DialysisProcedure#overlaps}), in order. */
    List<String> sourcesOverlapping(Instant from, Instant to) {
        if (order == 0) {
            List<String> in = new ArrayList<>();
            for (DialysisProcedure p : procedures) {
                if (p.overlaps(from, to)) {
                    in.add(p.source());
                }
            }
            return in;
        }
        int n = starts.length;
        // earliest first: those ending before `from` are a head, those starting after `to` a tail
        int first = countBefore(ends, from, false);
        int end = countBefore(starts, to, true);
        if (order < 0) { // the same run, counted from the other end
            int reversedFirst = n - end;
            end = n - first;
            first = reversedFirst;
        }
        if (first == 0 && end == n) {
            return sources;
        }
        return end <= first ? List.of() : sources.subList(first, end);
    }

    /** How many of the times, earliest first, are before {@code t} (or equal to it, when {@code orAt}). */
    private static int countBefore(Instant[] times, Instant t, boolean orAt) {
        int lo = 0;
        int hi = times.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            int c = times[mid].compareTo(t);
            if (c < 0 || (orAt && c == 0)) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
