package calciscreen.screening.reviews;

import calciscreen.model.resources.FlagBuilder;
import calciscreen.model.resources.FlagState;
import calciscreen.model.resources.RiskTier;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.hl7.fhir.r4.model.Flag;

/**
 * A calciphylaxis-risk Flag as it is now, as far as a review cares: its tier and the evidence that scores.
 *
 * @param flagId    the Flag's logical id
 * @param patientId the Patient's logical id
 * @param tier      MODERATE or HIGH for an active Flag, LOW for an inactive one
 * @param evidence  the scoring evidence (flag-detail without the RiskAssessment), normalised and sorted
 * @param raised    Flag.period.start
 */
public record FlagNow(String flagId, String patientId, RiskTier tier, List<String> evidence, Optional<Instant> raised) {

    public FlagNow {
        Objects.requireNonNull(flagId, "flagId");
        Objects.requireNonNull(patientId, "patientId");
        Objects.requireNonNull(tier, "tier");
        evidence = List.copyOf(evidence);
        Objects.requireNonNull(raised, "raised");
    }

    /** The Flag as the screening wrote it (see {@link FlagBuilder}). */
    public static FlagNow of(Flag flag) {
        FlagState state = FlagBuilder.semanticState(flag);
        RiskTier tier = !state.active() ? RiskTier.LOW
                : state.priorityCode().filter("PH"::equals).isPresent() ? RiskTier.HIGH : RiskTier.MODERATE;
        return new FlagNow(flag.getIdElement().getIdPart(), flag.getSubject().getReferenceElement().getIdPart(), tier,
                state.evidence(), FlagBuilder.periodStartOf(flag));
    }
}
