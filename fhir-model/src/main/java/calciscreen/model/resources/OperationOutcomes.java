package calciscreen.model.resources;

import ca.uhn.fhir.context.FhirContext;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

/**
 * The one place our services build an error answer for a FHIR client: an {@code OperationOutcome} of one error
 * issue (a code and a human sentence), built with HAPI's types and encoded by HAPI's parser, never as a JSON string
 * by hand (so a sentence with quotes or a caller's text stays valid JSON).
 */
public final class OperationOutcomes {

    /** The media type of the encoded outcome. */
    public static final String FHIR_JSON = "application/fhir+json;charset=UTF-8";

    private OperationOutcomes() {
    }

    /** An OperationOutcome with one error issue. */
    public static OperationOutcome error(IssueType code, String diagnostics) {
        OperationOutcome outcome = new OperationOutcome();
        outcome.addIssue().setSeverity(IssueSeverity.ERROR).setCode(Fhir.require(code, "issue code"))
                .setDiagnostics(Fhir.require(diagnostics, "diagnostics"));
        return outcome;
    }

    /** {@link #error} as FHIR JSON, ready to be the body of an HTTP answer ({@link #FHIR_JSON}). */
    public static String errorJson(IssueType code, String diagnostics) {
        return FhirContext.forR4Cached().newJsonParser().encodeResourceToString(error(code, diagnostics));
    }
}
