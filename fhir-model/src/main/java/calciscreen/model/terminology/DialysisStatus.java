package calciscreen.model.terminology;

/**
 * Our CodeSystem {@code http://calciscreen.example/fhir/CodeSystem/dialysis-status}: the code of an Observation that
 * says whether the patient is on dialysis (docs/screening-rules.md, R1). The answer is {@code valueBoolean} or a value
 * coding; any code of this system is accepted as the Observation code.
 */
public final class DialysisStatus {

    public static final String SYSTEM = CodeSystems.DIALYSIS_STATUS;
    public static final Code ON_DIALYSIS = new Code(SYSTEM, "dialysis-status", "Dialysis status");

    private DialysisStatus() {
    }
}
