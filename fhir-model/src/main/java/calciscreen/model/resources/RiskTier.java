package calciscreen.model.resources;

import static calciscreen.model.CanonicalUrls.FLAG_PRIORITY_HIGH;
import static calciscreen.model.CanonicalUrls.FLAG_PRIORITY_MEDIUM;
import static calciscreen.model.CanonicalUrls.FLAG_PRIORITY_SYSTEM;
import static calciscreen.model.CanonicalUrls.RISK_PROBABILITY_SYSTEM;

import calciscreen.model.terminology.Code;
import java.util.Optional;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;

/**
 * The tier of a screening result as the written resources say it (docs/screening-rules.md, "Points and tiers"): the
 * {@code RiskAssessment.prediction.qualitativeRisk} code, and the Flag priority when the tier flags.
 *
 * <p>Displays are those of the HL7 code systems: risk-probability {@code low} "Low likelihood", {@code moderate}
 * "Moderate likelihood", {@code high} "High likelihood"; flag-priority {@code PM} "Medium priority", {@code PH}
 * "High priority".
 */
public enum RiskTier {

    /** Below the moderate threshold: a RiskAssessment, but no active Flag. */
    LOW(new Code(RISK_PROBABILITY_SYSTEM, "low", "Low likelihood"), null),
    MODERATE(new Code(RISK_PROBABILITY_SYSTEM, "moderate", "Moderate likelihood"),
            new Code(FLAG_PRIORITY_SYSTEM, FLAG_PRIORITY_MEDIUM, "Medium priority")),
    HIGH(new Code(RISK_PROBABILITY_SYSTEM, "high", "High likelihood"),
            new Code(FLAG_PRIORITY_SYSTEM, FLAG_PRIORITY_HIGH, "High priority"));

    private final Code riskProbability;
    private final Code flagPriority;

    RiskTier(Code riskProbability, Code flagPriority) {
        this.riskProbability = riskProbability;
        this.flagPriority = flagPriority;
    }

    /** The {@code risk-probability} code of RiskAssessment.prediction.qualitativeRisk. */
    public Code riskProbability() {
        return riskProbability;
    }

    /** The {@code flag-priority-code} of the Flag's priority extension; empty for {@link #LOW}. */
    public Optional<Code> flagPriority() {
        return Optional.ofNullable(flagPriority);
    }

    /** Whether this tier keeps the patient's Flag active (moderate and high). */
    public boolean flags() {
        return flagPriority != null;
    }

    /** The tier whose risk-probability code one of the concept's codings carries. */
    public static Optional<RiskTier> ofRiskProbability(CodeableConcept concept) {
        if (concept == null) {
            return Optional.empty();
        }
        for (Coding coding : concept.getCoding()) {
            for (RiskTier tier : values()) {
                if (tier.riskProbability.matches(coding)) {
                    return Optional.of(tier);
                }
            }
        }
        return Optional.empty();
    }

    /** The tier whose flag-priority code one of the concept's codings carries (never {@link #LOW}). */
    public static Optional<RiskTier> ofFlagPriority(CodeableConcept concept) {
        if (concept == null) {
            return Optional.empty();
        }
        for (Coding coding : concept.getCoding()) {
            for (RiskTier tier : values()) {
                if (tier.flagPriority != null && tier.flagPriority.matches(coding)) {
                    return Optional.of(tier);
                }
            }
        }
        return Optional.empty();
    }
}
