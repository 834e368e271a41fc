package calciscreen.screening.rules;

import java.util.Optional;

/**
 * The corrected total calcium R2 and R4 read.
 *
 * @param calcium     the counting total (or lab-reported corrected) calcium it rests on
 * @param albumin     the albumin used for the Payne correction, if one was
 * @param value       the corrected value in {@code unit}: the unit as measured when no arithmetic was involved, else
 *                    mg/dL
 * @param unit        UCUM unit of {@code value}
 * @param mgPerDl     the corrected value in mg/dL (for the product, and for units without their own threshold)
 * @param measurement "corrected calcium", value, unit, and the calcium's time
 */
record CorrectedCalcium(CountedLab calcium, Optional<CountedLab> albumin, double value, String unit, double mgPerDl,
                        Optional<Measurement> measurement) {

    /** How it was obtained, for the notes (made when a reason is read, not at every evaluation). */
    String how() {
        LabValue ca = calcium.value;
        if (ca.labCorrected()) {
            return "albumin-corrected calcium (lab-reported)";
        }
        if (albumin.isEmpty()) {
            return "total calcium (no albumin in lookback, uncorrected)";
        }
        return "corrected calcium (Payne, total " + Format.number(ca.value()) + " " + ca.unit()
                + ", albumin " + Format.number(albumin.get().value.canonicalValue()) + " g/dL)";
    }
}
