package calciscreen.e2e;

import calciscreen.model.CanonicalUrls;
import calciscreen.model.resources.RiskAssessmentBuilder;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Flag;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.RiskAssessment;

/** Reads what the screening wrote, by FHIR search only, as a clinician's system would. */
final class Flags {

    private final IGenericClient client;

    Flags(IGenericClient client) {
        this.client = client;
    }

    List<Flag> of(String patientId) {
        Bundle found = client.search().forResource(Flag.class)
                .where(Flag.PATIENT.hasId("Patient/" + patientId))
                .and(Flag.IDENTIFIER.exactly().systemAndIdentifier(CanonicalUrls.SCREENING_IDENTIFIER_SYSTEM,
                        CanonicalUrls.screeningIdentifierValue(patientId)))
                .returnBundle(Bundle.class).execute();
        return found.getEntry().stream().map(e -> (Flag) e.getResource()).toList();
    }

    Optional<RiskAssessment> assessmentOf(String patientId) {
        Bundle found = client.search().forResource(RiskAssessment.class)
                .where(RiskAssessment.PATIENT.hasId("Patient/" + patientId))
                .returnBundle(Bundle.class).execute();
        return found.getEntry().stream().map(e -> (RiskAssessment) e.getResource()).findFirst();
    }

    /**
     * Waits until the patient's RiskAssessment satisfies {@code condition}; fails if it never does. A change that
     * moves only the score within a tier is written up to a second later than a tier change, so an assessment read
     * the moment its Flag changes may still show the score of an earlier notification of the same transaction.
     */
    RiskAssessment awaitAssessment(String patientId, Predicate<RiskAssessment> condition, Duration timeout) {
        AtomicReference<RiskAssessment> seen = new AtomicReference<>();
        Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(100)).until(() -> {
            Optional<RiskAssessment> assessment = assessmentOf(patientId);
            assessment.filter(condition).ifPresent(seen::set);
            return seen.get() != null;
        });
        return seen.get();
    }

    /** Waits until the patient's single Flag satisfies {@code condition}; fails if it never does. */
    Flag await(String patientId, Predicate<Flag> condition, Duration timeout) {
        AtomicReference<Flag> seen = new AtomicReference<>();
        Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(100)).until(() -> {
            List<Flag> flags = of(patientId);
            if (flags.size() == 1 && condition.test(flags.get(0))) {
                seen.set(flags.get(0));
                return true;
            }
            return false;
        });
        return seen.get();
    }

    static boolean active(Flag flag) {
        return flag.getStatus() == Flag.FlagStatus.ACTIVE;
    }

    static Optional<String> priority(Flag flag) {
        Extension priority = flag.getExtensionByUrl(CanonicalUrls.FLAG_PRIORITY_EXTENSION);
        if (priority == null) {
            return Optional.empty();
        }
        return Optional.of(((org.hl7.fhir.r4.model.CodeableConcept) priority.getValue()).getCodingFirstRep().getCode());
    }

    static List<String> evidence(Flag flag) {
        return flag.getExtensionsByUrl(CanonicalUrls.FLAG_DETAIL_EXTENSION).stream()
                .map(e -> ((Reference) e.getValue()).getReference()).toList();
    }

    static int score(RiskAssessment assessment) {
        return RiskAssessmentBuilder.scoreOf(assessment)
                .orElseThrow(() -> new AssertionError("RiskAssessment without a score"));
    }

    static String qualitativeRisk(RiskAssessment assessment) {
        return assessment.getPredictionFirstRep().getQualitativeRisk().getCodingFirstRep().getCode();
    }
}
