package calciscreen.screening;

import calciscreen.model.units.Analyte;
import calciscreen.screening.rules.RuleConfig;
import calciscreen.screening.rules.RuleConfig.Thresholds;
import calciscreen.screening.rules.RuleConfig.UnitThreshold;
import calciscreen.screening.rules.RuleId;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Rule set v1's numbers under {@code calciscreen.rules}; the defaults (application.yaml) are screening-rules.md's.
 * Changing one of them is a new rule-set version: set {@code version} too, it is recorded on every RiskAssessment.
 */
@ConfigurationProperties(prefix = "calciscreen.rules", ignoreUnknownFields = false)
public record RuleProperties(
        @DefaultValue("1.0.0") String version,
        @DefaultValue("90d") Duration lookback,
        Map<RuleId, Integer> points,
        @DefaultValue Tiers tiers,
        @DefaultValue Limits thresholds) {

    public record Tiers(@DefaultValue("5") int moderateAtLeast, @DefaultValue("8") int highAtLeast) {}

    /**
     * The thresholds, each as the rule set states it: the limit in the analyte's canonical unit first, then the same
     * limit in the other units the document gives ({@code pth: 585 pg/mL, 585 ng/L, 62.0 pmol/L}). A value measured in
     * a listed unit is compared with that unit's limit, any other after conversion to the canonical unit. Checked
     * when bound: a unit that is not a UCUM code the analyte accepts, or a canonical unit not first, fails the start.
     */
    public record Limits(
            @DefaultValue({"10.2 mg/dL", "2.55 mmol/L"}) List<Limit> correctedCalcium,
            @DefaultValue({"5.29 mg/dL", "1.32 mmol/L"}) List<Limit> ionizedCalcium,
            @DefaultValue({"5.5 mg/dL", "1.78 mmol/L"}) List<Limit> phosphate,
            @DefaultValue("55 mg2/dL2") Limit calciumPhosphateProduct,
            @DefaultValue({"585 pg/mL", "585 ng/L", "62.0 pmol/L"}) List<Limit> pth,
            @DefaultValue({"3.0 g/dL", "30 g/L"}) List<Limit> albumin,
            @DefaultValue("30 kg/m2") List<Limit> bmi) {

        /** The unit of the calcium-phosphate product (R4). */
        static final String PRODUCT_UNIT = "mg2/dL2";

        public Limits {
            correctedCalcium = checked("corrected-calcium", Analyte.CALCIUM, correctedCalcium);
            ionizedCalcium = checked("ionized-calcium", Analyte.CALCIUM, ionizedCalcium);
            phosphate = checked("phosphate", Analyte.PHOSPHATE, phosphate);
            pth = checked("pth", Analyte.PTH, pth);
            albumin = checked("albumin", Analyte.ALBUMIN, albumin);
            bmi = checked("bmi", Analyte.BMI, bmi);
            if (calciumPhosphateProduct == null || !PRODUCT_UNIT.equals(calciumPhosphateProduct.unit())) {
                throw new IllegalArgumentException("calciscreen.rules.thresholds.calcium-phosphate-product: give it in "
                        + PRODUCT_UNIT + ", e.g. 55 " + PRODUCT_UNIT + "; got " + calciumPhosphateProduct);
            }
        }

        private static List<Limit> checked(String key, Analyte analyte, List<Limit> limits) {
            String where = "calciscreen.rules.thresholds." + key + ": ";
            if (limits == null || limits.isEmpty()) {
                throw new IllegalArgumentException(where + "give the limit in " + analyte.canonicalUnit());
            }
            if (!limits.get(0).unit().equals(analyte.canonicalUnit())) {
                throw new IllegalArgumentException(where + "the first limit must be in " + analyte.canonicalUnit()
                        + ", the canonical unit; got " + limits.get(0));
            }
            Set<String> seen = new HashSet<>();
            for (Limit limit : limits) {
                if (analyte.factorFrom(limit.unit()).isEmpty()) {
                    throw new IllegalArgumentException(where + "'" + limit.unit() + "' is not a UCUM unit of "
                            + analyte.name().toLowerCase(Locale.ROOT) + " (accepted: " + analyte.acceptedUnits() + ")");
                }
                if (!seen.add(limit.unit())) {
                    throw new IllegalArgumentException(where + limit.unit() + " is given twice");
                }
            }
            return List.copyOf(limits);
        }

        private static UnitThreshold threshold(List<Limit> limits) {
            UnitThreshold t = UnitThreshold.of(limits.get(0).value(), limits.get(0).unit());
            for (Limit other : limits.subList(1, limits.size())) {
                t = t.alsoIn(other.value(), other.unit());
            }
            return t;
        }
    }

    /**
     * One limit as configured: a decimal and a UCUM unit, {@code 585 pg/mL} (bound from that text).
     *
     * @param value the limit
     * @param unit  its UCUM unit, case as UCUM writes it
     */
    public record Limit(double value, String unit) {

        /** {@code "585 pg/mL"}: the number, a space, the unit. */
        public static Limit valueOf(String text) {
            String t = text == null ? "" : text.trim();
            int space = t.indexOf(' ');
            try {
                if (space > 0) {
                    return new Limit(Double.parseDouble(t.substring(0, space)), t.substring(space + 1).trim());
                }
            } catch (NumberFormatException e) {
                // said below
            }
            throw new IllegalArgumentException("a threshold is a number and a UCUM unit, e.g. '585 pg/mL'; got '"
                    + text + "'");
        }

        @Override
        public String toString() {
            return value + " " + unit;
        }
    }

    public RuleConfig toRuleConfig() {
        RuleConfig defaults = RuleConfig.v1();
        Map<RuleId, Integer> merged = new EnumMap<>(defaults.points());
        if (points != null) {
            merged.putAll(points);
        }
        Limits l = thresholds;
        Thresholds t = new Thresholds(Limits.threshold(l.correctedCalcium()), Limits.threshold(l.ionizedCalcium()),
                Limits.threshold(l.phosphate()), l.calciumPhosphateProduct().value(), Limits.threshold(l.pth()),
                Limits.threshold(l.albumin()), Limits.threshold(l.bmi()),
                defaults.thresholds().payneReferenceAlbuminGPerDl(), defaults.thresholds().payneFactor());
        return new RuleConfig(version, lookback, t, merged,
                new RuleConfig.Tiers(tiers.moderateAtLeast(), tiers.highAtLeast()));
    }
}
