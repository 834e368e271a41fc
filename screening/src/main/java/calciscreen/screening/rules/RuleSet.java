package calciscreen.screening.rules;

import calciscreen.model.CanonicalUrls;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The calciphylaxis risk rule set: a pure function {@code (PatientContext, Instant) -> Assessment}. No clock, no I/O,
 * thread-safe; build one per configuration and reuse it.
 */
public final class RuleSet {

    private final RuleConfig config;
    /** The points of each rule, by {@link RuleId#ordinal()}: read a dozen times per evaluation. */
    private final int[] points;

    public RuleSet(RuleConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        this.points = Arrays.stream(RuleId.values()).mapToInt(config::pointsOf).toArray();
    }

    /** Rule set v1.0.0 with the defaults of docs/screening-rules.md. */
    public static RuleSet v1() {
        return new RuleSet(RuleConfig.v1());
    }

    public RuleConfig config() {
        return config;
    }

    /**
     * Evaluates every rule for the patient at {@code at}: the lookback window is {@code [at - lookback, at]}, values
     * dated after {@code at} do not count. Never throws on the patient's data.
     */
    public Assessment evaluate(PatientContext patient, Instant at) {
        Objects.requireNonNull(patient, "patient");
        Objects.requireNonNull(at, "at");
        Evaluation evaluation = new Evaluation(patient, at, config, points);
        List<RuleResult> results = CalciphylaxisRules.v1(evaluation);
        int score = 0;
        for (RuleResult result : results) {
            score += result.points();
        }
        return new Assessment(CanonicalUrls.RULES_CALCIPHYLAXIS, config.version(), at, score, config.tierOf(score),
                patient.deceased(), results, evaluation.notes());
    }
}
