package calciscreen.screening.rules;

import calciscreen.model.resources.RiskTier;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * Every number of the rule set, immutable. {@link #v1()} gives the defaults of screening-rules.md v1.0.0; a
 * deployment binds its own (e.g. from application.yaml) and should then give it its own {@code version}.
 *
 * @param version  the rule-set version recorded on every Assessment
 * @param lookback how far back labs, BMI, dialysis procedures and dialysis-status Observations count
 * @param thresholds every clinical threshold
 * @param points   the points of every rule (all twelve required)
 * @param tiers    the tier cut-offs
 */
public record RuleConfig(String version, Duration lookback, Thresholds thresholds, Map<RuleId, Integer> points,
                         Tiers tiers) {

    public RuleConfig {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(lookback, "lookback");
        Objects.requireNonNull(thresholds, "thresholds");
        Objects.requireNonNull(points, "points");
        Objects.requireNonNull(tiers, "tiers");
        if (lookback.isNegative() || lookback.isZero()) {
            throw new IllegalArgumentException("lookback must be positive: " + lookback);
        }
        for (RuleId rule : RuleId.values()) {
            Integer p = points.get(rule);
            if (p == null || p < 0) {
                throw new IllegalArgumentException("points for " + rule + " must be given and >= 0, got " + p);
            }
        }
        points = Collections.unmodifiableMap(new EnumMap<>(points));
    }

    /** The defaults of screening-rules.md, rule set {@code http://calciscreen.example/fhir/rules/calciphylaxis|1.0.0}. */
    public static RuleConfig v1() {
        Map<RuleId, Integer> points = new EnumMap<>(RuleId.class);
        points.put(RuleId.R1, 3);  // kidney failure
        points.put(RuleId.R2, 2);  // hypercalcemia
        points.put(RuleId.R3, 2);  // hyperphosphatemia
        points.put(RuleId.R4, 1);  // calcium-phosphate product
        points.put(RuleId.R5, 2);  // hyperparathyroidism
        points.put(RuleId.R6, 1);  // hypoalbuminemia
        points.put(RuleId.R7, 2);  // vitamin K antagonist (warfarin)
        points.put(RuleId.R8, 1);  // female sex
        points.put(RuleId.R9, 1);  // diabetes mellitus
        points.put(RuleId.R10, 1); // obesity
        points.put(RuleId.R11, 1); // other exposures, counted once
        points.put(RuleId.R12, 3); // prior calciphylaxis
        return new RuleConfig("1.0.0", Duration.ofDays(90), Thresholds.v1(), points, new Tiers(5, 8));
    }

    public int pointsOf(RuleId rule) {
        return points.get(rule);
    }

    public RiskTier tierOf(int score) {
        return tiers.of(score);
    }

    /** A copy with another version, lookback, thresholds, points or tiers (for deployments and tests). */
    public RuleConfig withLookback(Duration newLookback) {
        return new RuleConfig(version, newLookback, thresholds, points, tiers);
    }

    public RuleConfig withThresholds(Thresholds newThresholds) {
        return new RuleConfig(version, lookback, newThresholds, points, tiers);
    }

    /** Tier cut-offs: {@code score >= highAtLeast} high, {@code score >= moderateAtLeast} moderate, else low. */
    public record Tiers(int moderateAtLeast, int highAtLeast) {
        public Tiers {
            if (moderateAtLeast > highAtLeast) {
                throw new IllegalArgumentException("moderate cut-off " + moderateAtLeast + " above high " + highAtLeast);
            }
        }

        public RiskTier of(int score) {
            return score >= highAtLeast ? RiskTier.HIGH : score >= moderateAtLeast ? RiskTier.MODERATE : RiskTier.LOW;
        }
    }

    /**
     * The clinical thresholds. Each lab threshold is a {@link UnitThreshold}: compared in the measurement's own unit
     * when the document gives the threshold in that unit, else in the canonical unit after conversion.
     */
    public record Thresholds(UnitThreshold correctedCalciumAbove, UnitThreshold ionizedCalciumAbove,
                             UnitThreshold phosphateAbove, double calciumPhosphateProductAtLeast,
                             UnitThreshold pthAbove, UnitThreshold albuminBelow, UnitThreshold bmiAtLeast,
                             double payneReferenceAlbuminGPerDl, double payneFactor) {

        public Thresholds {
            Objects.requireNonNull(correctedCalciumAbove, "correctedCalciumAbove");
            Objects.requireNonNull(ionizedCalciumAbove, "ionizedCalciumAbove");
            Objects.requireNonNull(phosphateAbove, "phosphateAbove");
            Objects.requireNonNull(pthAbove, "pthAbove");
            Objects.requireNonNull(albuminBelow, "albuminBelow");
            Objects.requireNonNull(bmiAtLeast, "bmiAtLeast");
        }

        public static Thresholds v1() {
            return new Thresholds(
                    // R2: corrected total calcium > 10.2 mg/dL (2.55 mmol/L)
                    UnitThreshold.of(10.2, "mg/dL").alsoIn(2.55, "mmol/L"),
                    // R2: ionized calcium > 1.32 mmol/L (5.29 mg/dL)
                    UnitThreshold.of(5.29, "mg/dL").alsoIn(1.32, "mmol/L"),
                    // R3: phosphate > 5.5 mg/dL (1.78 mmol/L)
                    UnitThreshold.of(5.5, "mg/dL").alsoIn(1.78, "mmol/L"),
                    // R4: corrected calcium (mg/dL) x phosphate (mg/dL) >= 55 mg2/dL2
                    55.0,
                    // R5: intact PTH > 585 pg/mL = 9 x the upper limit of normal (65 pg/mL); 62.0 pmol/L. KDIGO 2017
                    // CKD-MBD guideline: in CKD G5D keep intact PTH within about 2 to 9 times the assay's upper limit.
                    UnitThreshold.of(585, "pg/mL").alsoIn(585, "ng/L").alsoIn(62.0, "pmol/L"),
                    // R6: albumin < 3.0 g/dL (30 g/L)
                    UnitThreshold.of(3.0, "g/dL").alsoIn(30, "g/L"),
                    // R10: BMI >= 30 kg/m2 (WHO obesity class I)
                    UnitThreshold.of(30, "kg/m2"),
                    // Payne 1973 (BMJ 4:643): corrected = total + 0.8 x (4.0 - albumin g/dL)
                    4.0, 0.8);
        }

        public Thresholds withPthAbove(UnitThreshold newPth) {
            return new Thresholds(correctedCalciumAbove, ionizedCalciumAbove, phosphateAbove,
                    calciumPhosphateProductAtLeast, newPth, albuminBelow, bmiAtLeast, payneReferenceAlbuminGPerDl,
                    payneFactor);
        }
    }

    /**
     * One threshold, given in a canonical unit and, where the document gives it, in other units.
     *
     * @param value     the limit in {@code unit} (the analyte's canonical unit)
     * @param unit      the canonical unit, UCUM (mg/dL, pg/mL, g/dL, kg/m2)
     * @param sameLimitIn the same limit as the document states it in other UCUM units, e.g. {@code mmol/L -> 2.55}
     */
    public record UnitThreshold(double value, String unit, Map<String, Double> sameLimitIn) {

        public UnitThreshold {
            Objects.requireNonNull(unit, "unit");
            sameLimitIn = Map.copyOf(sameLimitIn);
        }

        public static UnitThreshold of(double value, String unit) {
            return new UnitThreshold(value, unit, Map.of());
        }

        public UnitThreshold alsoIn(double limit, String otherUnit) {
            Map<String, Double> more = new HashMap<>(sameLimitIn);
            more.put(otherUnit, limit);
            return new UnitThreshold(value, unit, more);
        }

        /** The limit in {@code measuredUnit}, when the document states one for that unit. */
        public OptionalDouble limitIn(String measuredUnit) {
            if (unit.equals(measuredUnit)) {
                return OptionalDouble.of(value);
            }
            Double limit = sameLimitIn.get(measuredUnit);
            return limit == null ? OptionalDouble.empty() : OptionalDouble.of(limit);
        }

        /**
         * Sign of (measurement - limit), compared in the measured unit when this threshold has a limit in it, else
         * in the canonical unit. Both sides rounded to 6 decimals first, so boundaries are exact.
         */
        public int compare(double measured, String measuredUnit, double canonical) {
            OptionalDouble own = limitIn(measuredUnit);
            return own.isPresent()
                    ? Decimals.compare(measured, own.getAsDouble())
                    : Decimals.compare(canonical, value);
        }
    }
}
