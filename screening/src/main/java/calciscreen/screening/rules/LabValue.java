package calciscreen.screening.rules;

import java.time.Instant;
import java.util.Comparator;
import java.util.Objects;
import java.util.Optional;

/**
 * One counting laboratory value (status final/amended/corrected, a numeric Quantity in an accepted unit, a time).
 *
 * @param lab            which result it is
 * @param at             the Observation's clinically relevant time (effective[x], else issued)
 * @param lastUpdated    meta.lastUpdated, the tie-breaker between values at the same time
 * @param value          the value as measured, in {@code unit}
 * @param unit           the UCUM unit as measured (e.g. mmol/L)
 * @param canonicalValue the value in the analyte's canonical unit (mg/dL, pg/mL, g/dL, kg/m2), rounded to 6 decimals
 * @param labCorrected   true for a lab-reported albumin-corrected calcium (LOINC 46099-8, 29265-6)
 * @param source         the Observation, {@code Observation/<id>} without version
 */
public record LabValue(Lab lab, Instant at, Optional<Instant> lastUpdated, double value, String unit,
                       double canonicalValue, boolean labCorrected, String source) implements Reason.Measured {

    /** Latest first: later time, then later lastUpdated, then (for determinism) source id. */
    static final Comparator<LabValue> LATEST_FIRST = Comparator.comparing(LabValue::at)
            .thenComparing(v -> v.lastUpdated().orElse(Instant.MIN))
            .thenComparing(LabValue::source)
            .reversed();

    public LabValue {
        Objects.requireNonNull(lab, "lab");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(lastUpdated, "lastUpdated");
        Objects.requireNonNull(unit, "unit");
        Objects.requireNonNull(source, "source");
    }

    @Override
    public String label() {
        return lab.label();
    }

    /** The value a rule used, as measured, for the RiskAssessment and the worklist. */
    Measurement measurement() {
        return new Measurement(lab.label(), value, unit, Optional.of(at));
    }
}
