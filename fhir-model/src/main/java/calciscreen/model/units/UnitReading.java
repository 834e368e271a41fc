package calciscreen.model.units;

/** What {@link Ucum#read} makes of a Quantity's unit: a recognised UCUM unit, or why not. Never null, never thrown. */
public sealed interface UnitReading {

    /** A unit we know, as its UCUM code (e.g. {@code mg/dL}), and the spelling it was read from. */
    record Recognized(String ucum, String asWritten) implements UnitReading {
    }

    /** A unit we cannot read, with the reason (for the RiskAssessment note). */
    record Unrecognized(String reason) implements UnitReading {
    }
}
