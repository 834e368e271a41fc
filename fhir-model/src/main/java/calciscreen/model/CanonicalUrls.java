package calciscreen.model;

/**
 * The canonical URLs and codes calciscreen owns or writes (docs/architecture.md, "Canonical URLs and codes calciscreen owns").
 *
 * <p>{@code .example} is a reserved top-level domain: these URLs identify, they never resolve.
 * The base is a constant here; a deployment that configures another base passes it to {@link #under(String, String)}.
 */
public final class CanonicalUrls {

    /** Default base of every URL we own. */
    public static final String BASE = "http://calciscreen.example/fhir";

    /** CodeSystem of the Flag code. */
    public static final String SCREENING_FLAG_SYSTEM = BASE + "/CodeSystem/screening-flag";
    public static final String CALCIPHYLAXIS_RISK_CODE = "calciphylaxis-risk";
    public static final String CALCIPHYLAXIS_RISK_DISPLAY = "Calciphylaxis risk";

    /** Our CodeSystem for "is the patient on dialysis" Observations (docs/screening-rules.md, R1). */
    public static final String DIALYSIS_STATUS_SYSTEM = BASE + "/CodeSystem/dialysis-status";

    /** Our CodeSystem of what a clinician (or the EHR's CDS feedback) did about a Flag: Task.code (docs/flag-actions.md). */
    public static final String FLAG_ACTION_SYSTEM = BASE + "/CodeSystem/flag-action";
    /** Our CodeSystem of why a Flag was dismissed, snoozed or a card overridden: Task.reasonCode, CDS overrideReasons. */
    public static final String FLAG_ACTION_REASON_SYSTEM = BASE + "/CodeSystem/flag-action-reason";
    /** The ValueSet of every {@link #FLAG_ACTION_REASON_SYSTEM} code: the list the worklist and the CDS card offer. */
    public static final String FLAG_ACTION_REASON_VALUE_SET = BASE + "/ValueSet/flag-action-reason";
    /** Our CodeSystem of the Task.input types of a flag action: what the Flag was reviewed against, the plan. */
    public static final String FLAG_ACTION_INPUT_SYSTEM = BASE + "/CodeSystem/flag-action-input";
    /** Identifier system of a flag action's Task: a caller-chosen id (the CDS card's uuid + outcome) made idempotent. */
    public static final String FLAG_ACTION_IDENTIFIER_SYSTEM = BASE + "/sid/flag-action";

    /**
     * Identifier system of the patient a CDS Hooks card was about ({@code context.patientId}, the EHR's id): the
     * groupIdentifier of every CDS feedback Task, and {@code Task.for} when that Patient is not on this server.
     */
    public static final String CDS_PATIENT_IDENTIFIER_SYSTEM = BASE + "/sid/cds-patient";

    /** Rule set identity: {@code RULES_CALCIPHYLAXIS|RULES_VERSION} (docs/screening-rules.md, "Identity"). */
    public static final String RULES_CALCIPHYLAXIS = BASE + "/rules/calciphylaxis";
    public static final String RULES_VERSION = "1.0.0";

    /** Identifier system of every Flag and RiskAssessment the screening writes. */
    public static final String SCREENING_IDENTIFIER_SYSTEM = BASE + "/sid/screening";
    /** Identifier value (under {@link #SCREENING_IDENTIFIER_SYSTEM}) of the Device that authors the Flags. */
    public static final String SCREENING_DEVICE_IDENTIFIER_VALUE = "device/calciscreen-screening";

    /**
     * The family of our rule sets: RiskAssessment.method codes are rule-set names in this system
     * ({@code RULES_SYSTEM|calciphylaxis}, version in {@code Coding.version}), so {@code RULES_SYSTEM + "/" + code}
     * is {@link #RULES_CALCIPHYLAXIS}.
     */
    public static final String RULES_SYSTEM = BASE + "/rules";

    /** Our profiles and extensions (fhir-model/src/main/resources/conformance/). */
    public static final String FLAG_PROFILE = BASE + "/StructureDefinition/calciphylaxis-risk-flag";
    public static final String RISK_ASSESSMENT_PROFILE = BASE + "/StructureDefinition/calciphylaxis-risk-assessment";
    /** Extension on RiskAssessment.prediction: the numeric score (valueInteger). */
    public static final String RISK_SCORE_EXTENSION = BASE + "/StructureDefinition/risk-score";
    /** Extension on Flag: the rule set that produced it (valueCanonical {@code <rules url>|<version>}). */
    public static final String RULE_SET_EXTENSION = BASE + "/StructureDefinition/rule-set";
    /**
     * Extension on RiskAssessment, one per rule that fired or could not decide: the rule (Coding), fired, points, the
     * reason, and each criterion met ({@link #RULE_CRITERION_EXTENSION}); see {@code resources.RuleOutcome}.
     */
    public static final String RULE_RESULT_EXTENSION = BASE + "/StructureDefinition/rule-result";
    /** Within {@link #RULE_RESULT_EXTENSION}: one criterion met, its text and, for a value, value, operator, limit. */
    public static final String RULE_CRITERION_EXTENSION = BASE + "/StructureDefinition/rule-criterion";

    /** HL7 core extensions and code systems the Flag and RiskAssessment use. */
    public static final String FLAG_PRIORITY_EXTENSION = "http://hl7.org/fhir/StructureDefinition/flag-priority";
    public static final String FLAG_DETAIL_EXTENSION = "http://hl7.org/fhir/StructureDefinition/flag-detail";
    public static final String FLAG_PRIORITY_SYSTEM = "http://terminology.hl7.org/CodeSystem/flag-priority-code";
    public static final String FLAG_PRIORITY_MEDIUM = "PM";
    public static final String FLAG_PRIORITY_HIGH = "PH";
    public static final String FLAG_CATEGORY_SYSTEM = "http://terminology.hl7.org/CodeSystem/flag-category";
    public static final String FLAG_CATEGORY_CLINICAL = "clinical";
    public static final String RISK_PROBABILITY_SYSTEM = "http://terminology.hl7.org/CodeSystem/risk-probability";
    /** The R4 value set of {@link #RISK_PROBABILITY_SYSTEM}; our RiskAssessment profile binds qualitativeRisk to it. */
    public static final String RISK_PROBABILITY_VALUE_SET = "http://hl7.org/fhir/ValueSet/risk-probability";

    private CanonicalUrls() {
    }

    /** {@code <RULES_CALCIPHYLAXIS>|<version>}, the value of RiskAssessment.method and the notes. */
    public static String rulesCanonical(String version) {
        return RULES_CALCIPHYLAXIS + "|" + version;
    }

    /** The identifier value of a patient's one Flag and one RiskAssessment: {@code calciphylaxis-risk/<patient id>}. */
    public static String screeningIdentifierValue(String patientLogicalId) {
        if (patientLogicalId == null || patientLogicalId.isBlank()) {
            throw new IllegalArgumentException("a patient logical id is required");
        }
        return CALCIPHYLAXIS_RISK_CODE + "/" + patientLogicalId;
    }

    /** A URL under another base, for deployments that configure their own: {@code under("https://x/fhir", "/sid/screening")}. */
    public static String under(String base, String path) {
        String b = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        return b + (path.startsWith("/") ? path : "/" + path);
    }
}
