package calciscreen.screening.rules;

import java.time.Instant;

/** A counting dialysis-status Observation (SNOMED 105502003 or our dialysis-status CodeSystem) and its answer. */
public record DialysisStatusReport(Instant at, boolean onDialysis, String source) {
}
