package calciscreen.model.resources;

import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What makes two calciphylaxis RiskAssessments the same result: tier, score, evidence set and rule set
 * (docs/architecture.md: a write happens only when tier, score or evidence changed; a new rule-set version is a new result).
 * Occurrence time, notes and narrative are left out.
 *
 * <p>{@code basis} is sorted, without duplicates, each reference as {@code Type/id}, so
 * {@code RiskAssessmentBuilder.semanticState(existing).equals(AssessmentState.of(...))} says "nothing changed".
 */
public record AssessmentState(Optional<RiskTier> tier, Optional<Integer> score, List<String> basis,
                              Optional<String> ruleSet) {

    public AssessmentState {
        Objects.requireNonNull(tier, "tier");
        Objects.requireNonNull(score, "score");
        Objects.requireNonNull(ruleSet, "ruleSet");
        basis = List.copyOf(basis);
    }

    /** The state {@link RiskAssessmentBuilder} writes for these values. */
    public static AssessmentState of(RiskTier tier, int score, Collection<String> basis, String ruleSetCanonical) {
        return new AssessmentState(Optional.of(tier), Optional.of(score), Fhir.normalisedSorted(basis),
                Optional.of(RuleSetId.parse(ruleSetCanonical).canonical()));
    }
}
