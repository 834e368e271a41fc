package calciscreen.model.units;

/** The result of converting a measured value to its analyte's canonical unit. Never null, never thrown. */
public sealed interface Conversion {

    /**
     * A converted value: {@code value} in {@code unit} as measured (unit as its UCUM code), and {@code canonicalValue}
     * in {@code canonicalUnit}, computed exactly (BigDecimal) and rounded half-up to {@link Ucum#SCALE} decimals.
     */
    record Converted(double value, String unit, double canonicalValue, String canonicalUnit) implements Conversion {
    }

    /** A value that cannot be converted (unknown unit, unit not accepted for the analyte, no number), and why. */
    record NotConverted(String reason) implements Conversion {
    }
}
