package calciscreen.screening.rules;

import calciscreen.model.units.Analyte;

/**
 * The laboratory results the rules read. Within one, mass and molar codes compete together and the latest counting
 * value wins. Total and ionized calcium are one {@link Analyte} (the same units) but two results. A lab-reported
 * albumin-corrected calcium is a {@link #CALCIUM_TOTAL} value flagged {@link LabValue#labCorrected()}, so it competes
 * with total calcium on time.
 */
public enum Lab {
    CALCIUM_TOTAL(Analyte.CALCIUM, "corrected calcium"),
    CALCIUM_IONIZED(Analyte.CALCIUM, "ionized calcium"),
    PHOSPHATE(Analyte.PHOSPHATE, "phosphate"),
    PTH(Analyte.PTH, "intact PTH"),
    ALBUMIN(Analyte.ALBUMIN, "albumin"),
    BMI(Analyte.BMI, "BMI");

    private final Analyte analyte;
    private final String label;

    Lab(Analyte analyte, String label) {
        this.analyte = analyte;
        this.label = label;
    }

    /** What is measured, with its canonical unit, the units accepted and their factors (fhir-model). */
    public Analyte analyte() {
        return analyte;
    }

    /** As notes and reasons name it, e.g. "intact PTH". */
    public String label() {
        return label;
    }
}
