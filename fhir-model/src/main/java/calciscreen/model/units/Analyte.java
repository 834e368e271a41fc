package calciscreen.model.units;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Optional;

/**
 * The measured quantities the rules read, each with its canonical unit and the other units accepted, with the exact
 * factor to the canonical unit (docs/screening-rules.md, "Units"). Units are UCUM codes as {@link Ucum} normalises them.
 */
public enum Analyte {
    /** Calcium, total or ionized: mg/dL; mmol/L x 4.008 (molar mass 40.08 g/mol); mEq/L x 2.004 (divalent). */
    CALCIUM(Ucum.MG_PER_DL, Map.of(Ucum.MG_PER_DL, "1", Ucum.MMOL_PER_L, "4.008", Ucum.MEQ_PER_L, "2.004")),
    /** Phosphate (as phosphorus): mg/dL; mmol/L x 3.097 (atomic mass of P 30.97 g/mol). */
    PHOSPHATE(Ucum.MG_PER_DL, Map.of(Ucum.MG_PER_DL, "1", Ucum.MMOL_PER_L, "3.097")),
    /** Intact PTH: pg/mL; ng/L x 1; pmol/L x 9.43 (PTH 1-84, 9.43 kDa). */
    PTH(Ucum.PG_PER_ML, Map.of(Ucum.PG_PER_ML, "1", Ucum.NG_PER_L, "1", Ucum.PMOL_PER_L, "9.43")),
    /** Albumin: g/dL; g/L x 0.1. */
    ALBUMIN(Ucum.G_PER_DL, Map.of(Ucum.G_PER_DL, "1", Ucum.G_PER_L, "0.1")),
    /** Body mass index: kg/m2 (kg/m^2 is a spelling of the same unit). */
    BMI(Ucum.KG_PER_M2, Map.of(Ucum.KG_PER_M2, "1"));

    private final String canonicalUnit;
    private final Map<String, BigDecimal> factors;

    Analyte(String canonicalUnit, Map<String, String> factors) {
        this.canonicalUnit = canonicalUnit;
        this.factors = factors.entrySet().stream()
                .collect(java.util.stream.Collectors.toUnmodifiableMap(Map.Entry::getKey, e -> new BigDecimal(e.getValue())));
    }

    public String canonicalUnit() {
        return canonicalUnit;
    }

    /** The factor from {@code ucumUnit} to the canonical unit, if that unit is accepted for this analyte. */
    public Optional<BigDecimal> factorFrom(String ucumUnit) {
        return Optional.ofNullable(factors.get(ucumUnit));
    }

    /**
     * The units accepted for this analyte: the canonical unit first, then the others alphabetically, so that a message
     * listing them reads the same at every run ({@code Map.of} iterates in an order that changes from JVM to JVM).
     */
    public java.util.Set<String> acceptedUnits() {
        java.util.Set<String> units = new java.util.LinkedHashSet<>();
        units.add(canonicalUnit);
        factors.keySet().stream().sorted().forEach(units::add);
        return java.util.Collections.unmodifiableSet(units);
    }
}
