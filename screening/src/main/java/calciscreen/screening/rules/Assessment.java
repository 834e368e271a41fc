package calciscreen.screening.rules;

import calciscreen.model.CanonicalUrls;
import calciscreen.model.resources.RiskTier;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The outcome of evaluating the rule set for one patient at one time.
 *
 * <p>A deceased patient keeps score and tier (so the RiskAssessment shows them) but {@link #flagActive()} is false:
 * "a deceased patient gets no active Flag: an existing one becomes inactive" (screening-rules.md, "Patient").
 *
 * @param rulesUrl    the rule-set canonical URL ({@link CanonicalUrls#RULES_CALCIPHYLAXIS})
 * @param rulesVersion the rule-set version (from {@link RuleConfig#version()})
 * @param evaluatedAt the evaluation time the rules were given (never read from a clock)
 * @param score       the sum of the points of the rules that fired
 * @param tier        the tier of the score
 * @param deceased    whether the patient is deceased
 * @param results     one result per rule, R1..R12 in order
 * @param notes       data-quality notes (skipped resources and why)
 */
public record Assessment(String rulesUrl, String rulesVersion, Instant evaluatedAt, int score, RiskTier tier,
                         boolean deceased, List<RuleResult> results, List<DataNote> notes) {

    public Assessment {
        Objects.requireNonNull(rulesUrl, "rulesUrl");
        Objects.requireNonNull(rulesVersion, "rulesVersion");
        Objects.requireNonNull(evaluatedAt, "evaluatedAt");
        Objects.requireNonNull(tier, "tier");
        results = List.copyOf(results);
        notes = List.copyOf(notes);
    }

    /** {@code http://calciscreen.example/fhir/rules/calciphylaxis|1.0.0}: RiskAssessment.method, the notes. */
    public String rulesCanonical() {
        return rulesUrl + "|" + rulesVersion;
    }

    /** Whether the patient's Flag must be active: tier moderate or high, and the patient is not deceased. */
    public boolean flagActive() {
        return !deceased && tier.flags();
    }

    /** The Flag priority code for an active Flag: PM for moderate, PH for high. */
    public Optional<String> flagPriority() {
        if (!flagActive()) {
            return Optional.empty();
        }
        return Optional.of(tier == RiskTier.HIGH ? CanonicalUrls.FLAG_PRIORITY_HIGH : CanonicalUrls.FLAG_PRIORITY_MEDIUM);
    }

    /** The rules that fired, in rule order. */
    public List<RuleResult> fired() {
        return results.stream().filter(RuleResult::fired).toList();
    }

    public RuleResult result(RuleId rule) {
        return results.stream().filter(r -> r.rule() == rule).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no result for " + rule));
    }

    /**
     * Every resource that scored, {@code Type/id} without version, in rule order, without duplicates: the evidence for
     * Flag.extension:flag-detail and RiskAssessment.basis. The Patient itself (R8) is the Flag's subject and is not
     * listed.
     */
    public Set<String> evidenceResourceIds() {
        Set<String> ids = new LinkedHashSet<>();
        for (RuleResult r : results) {
            if (r.fired()) {
                for (String s : r.sources()) {
                    if (!s.startsWith("Patient/")) {
                        ids.add(s);
                    }
                }
            }
        }
        return ids;
    }
}
