package calciscreen.screening.rules;

import java.util.List;
import java.util.Optional;

/**
 * The corrected total calcium R2 and R4 read (docs/screening-rules.md, "Corrected calcium").
 *
 * @param calcium        the counting total (or lab-reported corrected) calcium it rests on
 * @param albumin        the albumin used for the Payne correction, if one was
 * @param value          the corrected value in {@code unit}: the unit as measured when no arithmetic was involved,
 *                       else mg/dL
 * @param unit           UCUM unit of {@code value}
 * @param canonicalValue the corrected value in mg/dL (for the product, and for units without their own threshold)
 */
record CorrectedCalcium(LabValue calcium, Optional<LabValue> albumin, double value, String unit,
                        double canonicalValue) implements Reason.Measured {

    /** The latest total calcium of the window, Payne-corrected with the latest albumin when there is one. */
    static CorrectedCalcium of(LabValue calcium, Optional<LabValue> albumin, RuleConfig.Thresholds t) {
        if (calcium.labCorrected() || albumin.isEmpty()) {
            return new CorrectedCalcium(calcium, Optional.empty(), calcium.value(), calcium.unit(),
                    calcium.canonicalValue());
        }
        // Payne 1973: corrected = total + 0.8 x (4.0 - albumin g/dL), in mg/dL
        double corrected = Decimals.round6(calcium.canonicalValue()
                + t.payneFactor() * (t.payneReferenceAlbuminGPerDl() - albumin.get().canonicalValue()));
        return new CorrectedCalcium(calcium, albumin, corrected, "mg/dL", corrected);
    }

    /** How it was obtained, as the notes name it. */
    @Override
    public String label() {
        if (calcium.labCorrected()) {
            return "albumin-corrected calcium (lab-reported)";
        }
        if (albumin.isEmpty()) {
            return "total calcium (no albumin in lookback, uncorrected)";
        }
        return "corrected calcium (Payne, total " + Format.number(calcium.value()) + " " + calcium.unit()
                + ", albumin " + Format.number(albumin.get().canonicalValue()) + " g/dL)";
    }

    /** The calcium, then the albumin it was corrected with. */
    List<String> sources() {
        return albumin.isEmpty() ? List.of(calcium.source()) : List.of(calcium.source(), albumin.get().source());
    }

    Measurement measurement() {
        return albumin.isEmpty() ? calcium.measurement()
                : new Measurement("corrected calcium", value, unit, Optional.of(calcium.at()));
    }
}
