package calciscreen.screening;

import calciscreen.screening.rules.RuleConfig;
import calciscreen.screening.rules.RuleConfig.Thresholds;
import calciscreen.screening.rules.RuleConfig.UnitThreshold;
import calciscreen.screening.rules.RuleId;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
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

    public record Limits(
            @DefaultValue("10.2") double correctedCalciumMgDl,
            @DefaultValue("2.55") double correctedCalciumMmolL,
            @DefaultValue("5.29") double ionizedCalciumMgDl,
            @DefaultValue("1.32") double ionizedCalciumMmolL,
            @DefaultValue("5.5") double phosphateMgDl,
            @DefaultValue("1.78") double phosphateMmolL,
            @DefaultValue("55") double calciumPhosphateProduct,
            @DefaultValue("585") double pthPgMl,
            @DefaultValue("62.0") double pthPmolL,
            @DefaultValue("3.0") double albuminGDl,
            @DefaultValue("30") double albuminGL,
            @DefaultValue("30") double bmi) {}

    public RuleConfig toRuleConfig() {
        RuleConfig defaults = RuleConfig.v1();
        Map<RuleId, Integer> merged = new EnumMap<>(defaults.points());
        if (points != null) {
            merged.putAll(points);
        }
        Limits l = thresholds;
        Thresholds t = new Thresholds(
                UnitThreshold.of(l.correctedCalciumMgDl(), "mg/dL").alsoIn(l.correctedCalciumMmolL(), "mmol/L"),
                UnitThreshold.of(l.ionizedCalciumMgDl(), "mg/dL").alsoIn(l.ionizedCalciumMmolL(), "mmol/L"),
                UnitThreshold.of(l.phosphateMgDl(), "mg/dL").alsoIn(l.phosphateMmolL(), "mmol/L"),
                l.calciumPhosphateProduct(),
                UnitThreshold.of(l.pthPgMl(), "pg/mL").alsoIn(l.pthPgMl(), "ng/L").alsoIn(l.pthPmolL(), "pmol/L"),
                UnitThreshold.of(l.albuminGDl(), "g/dL").alsoIn(l.albuminGL(), "g/L"),
                UnitThreshold.of(l.bmi(), "kg/m2"),
                defaults.thresholds().payneReferenceAlbuminGPerDl(),
                defaults.thresholds().payneFactor());
        return new RuleConfig(version, lookback, t, merged,
                new RuleConfig.Tiers(tiers.moderateAtLeast(), tiers.highAtLeast()));
    }
}
