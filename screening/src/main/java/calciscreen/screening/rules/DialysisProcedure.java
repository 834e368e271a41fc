package calciscreen.screening.rules;

import java.time.Instant;

/**
 * A completed or in-progress dialysis Procedure, performed from {@code start} to {@code end} ({@code start == end}
 * for performedDateTime; {@link Instant#MAX} while an in-progress period has no end). It counts when that interval
 * overlaps the lookback window.
 */
public record DialysisProcedure(Instant start, Instant end, String source) {

    public boolean overlaps(Instant from, Instant to) {
        return !start.isAfter(to) && !end.isBefore(from);
    }
}
