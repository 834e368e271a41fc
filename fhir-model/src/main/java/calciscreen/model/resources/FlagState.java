package calciscreen.model.resources;

import calciscreen.model.CanonicalUrls;
import calciscreen.model.terminology.Code;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.hl7.fhir.r4.model.Flag;

/**
 * What makes two calciphylaxis-risk Flags the same to a clinician: status, priority code and the evidence set.
 * Periods, narrative, author, rule set and the RiskAssessment reference are left out.
 *
 * <p>{@code evidence} is sorted, without duplicates and without the RiskAssessment (a flag-detail to a
 * {@code RiskAssessment/..}), each reference as {@code Type/id} (no base, no version), so
 * {@code FlagBuilder.semanticState(existing).equals(FlagState.of(tier, evidence))} says "nothing changed".
 *
 * @param status       active or inactive
 * @param priorityCode {@code PM} or {@code PH}; empty when the Flag has no priority
 * @param evidence     the evidence references, normalised and sorted
 */
public record FlagState(Flag.FlagStatus status, Optional<String> priorityCode, List<String> evidence) {

    public FlagState {
        Objects.requireNonNull(priorityCode, "priorityCode");
        evidence = List.copyOf(evidence);
    }

    /** The state {@link FlagBuilder} writes for this tier (null or LOW: inactive) and evidence. */
    public static FlagState of(RiskTier tierOrNull, Collection<String> evidence) {
        boolean active = tierOrNull != null && tierOrNull.flags();
        return new FlagState(active ? Flag.FlagStatus.ACTIVE : Flag.FlagStatus.INACTIVE,
                active ? tierOrNull.flagPriority().map(Code::code) : Optional.empty(),
                evidenceOnly(evidence));
    }

    public boolean active() {
        return status == Flag.FlagStatus.ACTIVE;
    }

    static List<String> evidenceOnly(Collection<String> references) {
        return Fhir.normalisedSorted(references.stream().filter(r -> !Fhir.isOfType(r, "RiskAssessment")).toList());
    }

    static boolean isFlagPriority(String system) {
        return CanonicalUrls.FLAG_PRIORITY_SYSTEM.equals(system);
    }
}
