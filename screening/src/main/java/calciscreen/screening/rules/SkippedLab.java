package calciscreen.screening.rules;

import java.time.Instant;

/**
 * A lab Observation of a known result and time whose value could not be read (unknown unit, non-numeric value,
 * dataAbsentReason, comparator). It never counts; a rule that did not fire reports Indeterminate when such a value is
 * newer than the value the rule used (or there was none).
 */
public record SkippedLab(Lab lab, Instant at, String reason, String source) {
}
