package calciscreen.screening.rules;

/**
 * The laboratory analytes the rules read. Within one analyte, mass and molar codes compete together and the latest
 * counting value wins. Lab-reported albumin-corrected calcium is a {@link #CALCIUM_TOTAL} value flagged
 * {@link LabValue#labCorrected()}, so it competes with total calcium on time.
 */
public enum Analyte {
    CALCIUM_TOTAL(calciscreen.model.units.Analyte.CALCIUM, "corrected calcium"),
    CALCIUM_IONIZED(calciscreen.model.units.Analyte.CALCIUM, "ionized calcium"),
    PHOSPHATE(calciscreen.model.units.Analyte.PHOSPHATE, "phosphate"),
    PTH(calciscreen.model.units.Analyte.PTH, "intact PTH"),
    ALBUMIN(calciscreen.model.units.Analyte.ALBUMIN, "albumin"),
    BMI(calciscreen.model.units.Analyte.BMI, "BMI");

    private final calciscreen.model.units.Analyte units;
    private final String label;

    Analyte(calciscreen.model.units.Analyte units, String label) {
        this.units = units;
        this.label = label;
    }

    /** The unit family (canonical unit, accepted units and factors) in fhir-model. */
    public calciscreen.model.units.Analyte units() {
        return units;
    }

    public String label() {
        return label;
    }
}
