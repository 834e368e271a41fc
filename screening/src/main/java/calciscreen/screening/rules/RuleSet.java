package calciscreen.screening.rules;

import calciscreen.model.CanonicalUrls;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The calciphylaxis risk rule set: a pure function {@code (PatientContext, Instant) -> Assessment}. No clock, no I/O,
 * thread-safe; build one per configuration and reuse it.
 */
public final class RuleSet {

    private final RuleConfig config;
    private final List<Rule> rules;

    public RuleSet(RuleConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        this.rules = CalciphylaxisRules.v1();
    }

    /** Rule set v1.0.0 with the defaults of screening-rules.md. */
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
        Evaluation evaluation = new Evaluation(patient, at, config);
        List<RuleResult> results = new ArrayList<>(rules.size());
        int score = 0;
        for (Rule rule : rules) {
            RuleResult result = rule.apply(evaluation);
            results.add(result);
            score += result.points();
        }
        return new Assessment(CanonicalUrls.RULES_CALCIPHYLAXIS, config.version(), at, score, config.tierOf(score),
                patient.deceased(), results, evaluation.notes());
    }
}
