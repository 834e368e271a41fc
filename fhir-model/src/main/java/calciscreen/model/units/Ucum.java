package calciscreen.model.units;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;
import java.util.Map;
import org.hl7.fhir.r4.model.Quantity;

/**
 * Reads the unit of a FHIR Quantity and converts values to the analyte's canonical unit (docs/screening-rules.md, "Units").
 *
 * <p>The unit is the UCUM {@code code} when {@code system} is {@code http://unitsofmeasure.org}; otherwise (or when
 * that code is missing) the {@code unit} string, if it is a known spelling (case-insensitive). Anything else is
 * {@link UnitReading.Unrecognized}. Known spellings cover the units of the "Units" table only: this is not a general
 * UCUM parser.
 */
public final class Ucum {

    public static final String SYSTEM = "http://unitsofmeasure.org";

    public static final String MG_PER_DL = "mg/dL";
    public static final String MMOL_PER_L = "mmol/L";
    /** UCUM spells milliequivalents {@code meq}; {@code mEq/L} is accepted as a spelling. */
    public static final String MEQ_PER_L = "meq/L";
    public static final String PG_PER_ML = "pg/mL";
    public static final String NG_PER_L = "ng/L";
    public static final String PMOL_PER_L = "pmol/L";
    public static final String G_PER_DL = "g/dL";
    public static final String G_PER_L = "g/L";
    public static final String KG_PER_M2 = "kg/m2";

    /** Decimal places canonical values are rounded to, so that thresholds compare without floating-point noise. */
    public static final int SCALE = 6;

    /** Lower-cased spelling -> UCUM code. */
    private static final Map<String, String> SPELLINGS = Map.ofEntries(
            Map.entry("mg/dl", MG_PER_DL),
            Map.entry("mmol/l", MMOL_PER_L),
            Map.entry("meq/l", MEQ_PER_L),
            Map.entry("pg/ml", PG_PER_ML),
            Map.entry("ng/l", NG_PER_L),
            Map.entry("pmol/l", PMOL_PER_L),
            Map.entry("g/dl", G_PER_DL),
            Map.entry("g/l", G_PER_L),
            Map.entry("kg/m2", KG_PER_M2),
            Map.entry("kg/m^2", KG_PER_M2),
            Map.entry("kg/m\u00b2", KG_PER_M2));

    private Ucum() {
    }

    /** The unit of a Quantity as a UCUM code we know, or why not. */
    public static UnitReading read(Quantity quantity) {
        if (quantity == null) {
            return new UnitReading.Unrecognized("no quantity");
        }
        boolean ucumSystem = quantity.hasSystem() && SYSTEM.equals(quantity.getSystem().trim());
        if (ucumSystem && quantity.hasCode()) {
            return lookup(quantity.getCode(), "UCUM code");
        }
        if (quantity.hasUnit()) {
            return lookup(quantity.getUnit(), "unit");
        }
        if (quantity.hasCode()) {
            return new UnitReading.Unrecognized("unit code '" + quantity.getCode() + "' of system '"
                    + (quantity.hasSystem() ? quantity.getSystem() : "(none)") + "' is not UCUM and there is no unit text");
        }
        return new UnitReading.Unrecognized("no unit");
    }

    /** The UCUM code of a known spelling, if it is one. */
    public static UnitReading lookup(String spelling, String what) {
        if (spelling == null || spelling.isBlank()) {
            return new UnitReading.Unrecognized("empty " + what);
        }
        String ucum = SPELLINGS.get(spelling.trim().toLowerCase(Locale.ROOT));
        return ucum == null
                ? new UnitReading.Unrecognized("unknown " + what + " '" + spelling + "'")
                : new UnitReading.Recognized(ucum, spelling);
    }

    /** Converts a Quantity's value to the analyte's canonical unit, exactly, or says why it cannot. */
    public static Conversion toCanonical(Analyte analyte, Quantity quantity) {
        if (quantity == null || !quantity.hasValue()) {
            return new Conversion.NotConverted("no numeric value");
        }
        UnitReading unit = read(quantity);
        if (unit instanceof UnitReading.Unrecognized u) {
            return new Conversion.NotConverted(u.reason());
        }
        return convert(analyte, quantity.getValue(), ((UnitReading.Recognized) unit).ucum());
    }

    /** Converts {@code value ucumUnit} to the analyte's canonical unit, exactly, or says why it cannot. */
    public static Conversion convert(Analyte analyte, BigDecimal value, String ucumUnit) {
        if (value == null) {
            return new Conversion.NotConverted("no numeric value");
        }
        var factor = analyte.factorFrom(ucumUnit);
        if (factor.isEmpty()) {
            return new Conversion.NotConverted("unit '" + ucumUnit + "' is not accepted for "
                    + analyte.name().toLowerCase(Locale.ROOT) + " (accepted: " + analyte.acceptedUnits() + ")");
        }
        double measured = value.doubleValue();
        BigDecimal canonical = value.multiply(factor.get()).setScale(SCALE, RoundingMode.HALF_UP);
        double canonicalValue = canonical.doubleValue();
        if (!Double.isFinite(measured) || !Double.isFinite(canonicalValue)) {
            return new Conversion.NotConverted("value " + value.toPlainString() + " is out of range");
        }
        return new Conversion.Converted(measured, ucumUnit, canonicalValue, analyte.canonicalUnit());
    }

    /** Rounds half-up to {@link #SCALE} decimals, the precision every threshold comparison is made at. */
    public static double round(double value) {
        if (!Double.isFinite(value)) {
            return value;
        }
        return BigDecimal.valueOf(value).setScale(SCALE, RoundingMode.HALF_UP).doubleValue();
    }
}
