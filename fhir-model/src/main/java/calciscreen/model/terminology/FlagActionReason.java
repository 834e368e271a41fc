package calciscreen.model.terminology;

import calciscreen.model.CanonicalUrls;
import java.util.Arrays;
import java.util.Optional;
import org.hl7.fhir.r4.model.CodeableConcept;

/**
 * Why a clinician dismissed or snoozed a calciphylaxis-risk Flag, or overrode its CDS card
 * ({@link CanonicalUrls#FLAG_ACTION_REASON_SYSTEM}; the ValueSet {@link CanonicalUrls#FLAG_ACTION_REASON_VALUE_SET}
 * holds them all). One list for the worklist and for the card's {@code overrideReasons}, so the two are counted
 * alike. Free text goes beside the code ({@code Task.reasonCode.text}), never instead of a list for statistics.
 */
public enum FlagActionReason {

    ALREADY_MANAGED("already-managed", "Risk already known and managed",
            "The team already knows this risk and manages it (e.g. under nephrology or wound care follow-up)."),
    RISK_FACTORS_ADDRESSED("risk-factors-addressed", "Risk factors being addressed",
            "The scoring risk factors are being corrected (binder, calcimimetic, dialysate, warfarin switched)."),
    DATA_NOT_REPRESENTATIVE("data-not-representative", "Evidence not representative",
            "The scoring values are wrong or not representative (haemolysed or mislabelled sample, old diagnosis "
                    + "recorded as current, wrong patient)."),
    GOALS_OF_CARE("goals-of-care", "Not in line with goals of care",
            "Further work-up does not fit the patient's goals of care (palliative or end-of-life care)."),
    NOT_CLINICALLY_RELEVANT("not-clinically-relevant", "Not clinically relevant",
            "In the clinician's judgement the screening does not apply to this patient."),
    OTHER("other", "Other reason", "Another reason, given in the free text.");

    private final Code code;
    private final String definition;

    FlagActionReason(String code, String display, String definition) {
        this.code = new Code(CanonicalUrls.FLAG_ACTION_REASON_SYSTEM, code, display);
        this.definition = definition;
    }

    public Code code() {
        return code;
    }

    public String definition() {
        return definition;
    }

    /** The reason whose code one of the concept's codings carries. */
    public static Optional<FlagActionReason> of(CodeableConcept concept) {
        if (concept == null) {
            return Optional.empty();
        }
        return concept.getCoding().stream()
                .flatMap(c -> Arrays.stream(values()).filter(r -> r.code.matches(c)))
                .findFirst();
    }

    /** The reason with this code in our system, e.g. {@code goals-of-care}. */
    public static Optional<FlagActionReason> ofCode(String code) {
        return Arrays.stream(values()).filter(r -> r.code.code().equals(code)).findFirst();
    }
}
