package calciscreen.screening.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A {@link RuleConfig.UnitThreshold} ready for comparing: its limits rounded to 6 decimals once per rule set, the
 * limit in the measured unit found among a few units (the canonical unit first, as
 * {@link RuleConfig.UnitThreshold#limitIn} does). {@link #compare} gives what {@code UnitThreshold.compare} gives.
 */
final class Limit {

    private final String[] units;
    private final double[] limits;
    private final double canonical;

    Limit(RuleConfig.UnitThreshold t) {
        List<String> u = new ArrayList<>();
        List<Double> l = new ArrayList<>();
        u.add(t.unit());
        l.add(t.value());
        for (Map.Entry<String, Double> other : t.sameLimitIn().entrySet()) {
            if (!other.getKey().equals(t.unit())) { // limitIn reads the canonical unit's own value first
                u.add(other.getKey());
                l.add(other.getValue());
            }
        }
        units = u.toArray(String[]::new);
        limits = new double[units.length];
        for (int i = 0; i < limits.length; i++) {
            limits[i] = Decimals.round6(l.get(i));
        }
        canonical = Decimals.round6(t.value());
    }

    /** Sign of (lab value - limit): in the lab's unit when the threshold has a limit in it, else canonical. */
    int compare(CountedLab v) {
        String unit = v.value.unit();
        for (int i = 0; i < units.length; i++) {
            if (units[i].equals(unit)) {
                return Double.compare(v.value6, limits[i]);
            }
        }
        return Double.compare(v.canonical6, canonical);
    }

    /** As {@link #compare(CountedLab)}, for a value computed at evaluation (the Payne-corrected calcium). */
    int compare(double measured, String unit, double canonicalValue) {
        for (int i = 0; i < units.length; i++) {
            if (units[i].equals(unit)) {
                return Double.compare(Decimals.round6(measured), limits[i]);
            }
        }
        return Double.compare(Decimals.round6(canonicalValue), canonical);
    }

    /** The lab thresholds of a configuration, ready for comparing. */
    record Limits(Limit correctedCalciumAbove, Limit ionizedCalciumAbove, Limit phosphateAbove, Limit pthAbove,
                  Limit albuminBelow, Limit bmiAtLeast) {

        static Limits of(RuleConfig.Thresholds t) {
            return new Limits(new Limit(t.correctedCalciumAbove()), new Limit(t.ionizedCalciumAbove()),
                    new Limit(t.phosphateAbove()), new Limit(t.pthAbove()), new Limit(t.albuminBelow()),
                    new Limit(t.bmiAtLeast()));
        }
    }
}
