package calciscreen.model.terminology;

import calciscreen.model.CanonicalUrls;
import java.util.Arrays;
import java.util.Optional;
import org.hl7.fhir.r4.model.CodeableConcept;

/**
 * What a clinician did about a calciphylaxis-risk Flag, as the code of the Task that records it
 * ({@link CanonicalUrls#FLAG_ACTION_SYSTEM}). The first three come from the worklist, the last two from the EHR's
 * CDS Hooks feedback on a card.
 */
public enum FlagActionKind {

    REVIEWED("reviewed", "Reviewed",
            "A clinician looked at the Flag and its evidence (optionally with a note and a plan)."),
    SNOOZED("snoozed", "Snoozed",
            "A clinician put the Flag aside until a date, with a reason; it returns then, or earlier when the tier "
                    + "rises or new scoring evidence appears."),
    DISMISSED("dismissed", "Dismissed as not applicable",
            "A clinician judged the Flag not applicable to the patient, with a reason; it returns when the tier rises "
                    + "or new scoring evidence appears."),
    CARD_ACCEPTED("card-accepted", "CDS card accepted",
            "The EHR reported that a clinician accepted the calciphylaxis-risk CDS Hooks card."),
    CARD_OVERRIDDEN("card-overridden", "CDS card overridden",
            "The EHR reported that a clinician overrode the calciphylaxis-risk CDS Hooks card, optionally with a "
                    + "reason; the card stays hidden for the patient until the tier rises or new evidence appears.");

    private final Code code;
    private final String definition;

    FlagActionKind(String code, String display, String definition) {
        this.code = new Code(CanonicalUrls.FLAG_ACTION_SYSTEM, code, display);
        this.definition = definition;
    }

    /** Whether the EHR reported it through CDS Hooks feedback (rather than a clinician on the worklist). */
    public boolean fromCds() {
        return this == CARD_ACCEPTED || this == CARD_OVERRIDDEN;
    }

    public Code code() {
        return code;
    }

    public String definition() {
        return definition;
    }

    /** The kind whose code one of the concept's codings carries. */
    public static Optional<FlagActionKind> of(CodeableConcept concept) {
        if (concept == null) {
            return Optional.empty();
        }
        return concept.getCoding().stream()
                .flatMap(c -> Arrays.stream(values()).filter(k -> k.code.matches(c)))
                .findFirst();
    }

    /** The kind with this code (the {@code code} of {@link #code()}), e.g. {@code snoozed}. */
    public static Optional<FlagActionKind> ofCode(String code) {
        return Arrays.stream(values()).filter(k -> k.code.code().equals(code)).findFirst();
    }
}
