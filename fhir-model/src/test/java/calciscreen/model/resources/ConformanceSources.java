package calciscreen.model.resources;

import static calciscreen.model.CanonicalUrls.CALCIPHYLAXIS_RISK_CODE;
import static calciscreen.model.CanonicalUrls.CALCIPHYLAXIS_RISK_DISPLAY;
import static calciscreen.model.CanonicalUrls.FLAG_DETAIL_EXTENSION;
import static calciscreen.model.CanonicalUrls.FLAG_PRIORITY_EXTENSION;
import static calciscreen.model.CanonicalUrls.RISK_PROBABILITY_VALUE_SET;
import static calciscreen.model.CanonicalUrls.RISK_SCORE_EXTENSION;
import static calciscreen.model.CanonicalUrls.RULE_CRITERION_EXTENSION;
import static calciscreen.model.CanonicalUrls.RULE_RESULT_EXTENSION;
import static calciscreen.model.CanonicalUrls.RULE_SET_EXTENSION;
import static calciscreen.model.CanonicalUrls.SCREENING_FLAG_SYSTEM;
import static calciscreen.model.CanonicalUrls.SCREENING_IDENTIFIER_SYSTEM;

import calciscreen.model.CanonicalUrls;
import calciscreen.model.terminology.Code;
import calciscreen.model.terminology.DialysisStatus;
import calciscreen.model.terminology.FlagActionKind;
import calciscreen.model.terminology.FlagActionReason;
import java.util.List;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.ElementDefinition;
import org.hl7.fhir.r4.model.ElementDefinition.ConstraintSeverity;
import org.hl7.fhir.r4.model.ElementDefinition.DiscriminatorType;
import org.hl7.fhir.r4.model.ElementDefinition.SlicingRules;
import org.hl7.fhir.r4.model.Enumerations.BindingStrength;
import org.hl7.fhir.r4.model.Enumerations.FHIRVersion;
import org.hl7.fhir.r4.model.Enumerations.PublicationStatus;
import org.hl7.fhir.r4.model.MetadataResource;
import org.hl7.fhir.r4.model.StructureDefinition;
import org.hl7.fhir.r4.model.StructureDefinition.ExtensionContextType;
import org.hl7.fhir.r4.model.StructureDefinition.StructureDefinitionKind;
import org.hl7.fhir.r4.model.StructureDefinition.TypeDerivationRule;
import org.hl7.fhir.r4.model.UriType;
import org.hl7.fhir.r4.model.ValueSet;

/**
 * The source of our conformance resources: CodeSystems in full, StructureDefinitions as differentials only.
 * {@link ConformanceGenerator} adds the snapshots and writes the JSON under src/main/resources/conformance.
 */
final class ConformanceSources {

    static final String VERSION = "0.1.0";
    /** Fixed, so regenerating gives byte-identical files; move it when the content changes. */
    static final String DATE = "2026-12-02";
    static final String PUBLISHER = "calciscreen";
    static final String CORE = "http://hl7.org/fhir/StructureDefinition/";
    static final String CORE_QUANTITY_COMPARATOR = "http://hl7.org/fhir/ValueSet/quantity-comparator";

    private ConformanceSources() {
    }

    /** In {@link Conformance#FILES} order. */
    static List<MetadataResource> all() {
        return List.of(screeningFlagCodeSystem(), dialysisStatusCodeSystem(), flagActionCodeSystem(),
                flagActionReasonCodeSystem(), flagActionInputCodeSystem(), flagActionReasonValueSet(),
                riskScoreExtension(), ruleSetExtension(), ruleCriterionExtension(), ruleResultExtension(), flagProfile(),
                riskAssessmentProfile());
    }

    // ---- code systems ----

    static CodeSystem screeningFlagCodeSystem() {
        CodeSystem cs = codeSystem("screening-flag", SCREENING_FLAG_SYSTEM, "ScreeningFlag", "calciscreen screening flags",
                "The codes of the Flags the calciscreen screening writes.");
        cs.addConcept().setCode(CALCIPHYLAXIS_RISK_CODE).setDisplay(CALCIPHYLAXIS_RISK_DISPLAY)
                .setDefinition("The patient's data meet the calciphylaxis risk screening rule set at a moderate or "
                        + "high tier. A screening heuristic pointing a clinician at the patient, not a diagnosis.");
        return cs;
    }

    static CodeSystem dialysisStatusCodeSystem() {
        CodeSystem cs = codeSystem("dialysis-status", DialysisStatus.SYSTEM, "DialysisStatus", "Dialysis status",
                "The code of an Observation saying whether the patient is on dialysis (valueBoolean, or a value "
                        + "coding); read by screening rule R1.");
        cs.addConcept().setCode(DialysisStatus.ON_DIALYSIS.code()).setDisplay(DialysisStatus.ON_DIALYSIS.display())
                .setDefinition("Whether the patient is on maintenance dialysis (haemodialysis or peritoneal "
                        + "dialysis) at the time of the Observation.");
        return cs;
    }

    static CodeSystem flagActionCodeSystem() {
        CodeSystem cs = codeSystem("flag-action", CanonicalUrls.FLAG_ACTION_SYSTEM, "FlagAction",
                "Actions on a calciscreen Flag", "What a clinician did about a calciphylaxis-risk Flag: the code of "
                        + "the Task that records it (focus the Flag).");
        for (FlagActionKind kind : FlagActionKind.values()) {
            cs.addConcept().setCode(kind.code().code()).setDisplay(kind.code().display())
                    .setDefinition(kind.definition());
        }
        return cs;
    }

    static CodeSystem flagActionReasonCodeSystem() {
        CodeSystem cs = codeSystem("flag-action-reason", CanonicalUrls.FLAG_ACTION_REASON_SYSTEM, "FlagActionReason",
                "Reasons for setting a calciscreen Flag aside", "Why a clinician dismissed or snoozed a "
                        + "calciphylaxis-risk Flag, or overrode its CDS Hooks card.");
        for (FlagActionReason reason : FlagActionReason.values()) {
            cs.addConcept().setCode(reason.code().code()).setDisplay(reason.code().display())
                    .setDefinition(reason.definition());
        }
        return cs;
    }

    static CodeSystem flagActionInputCodeSystem() {
        CodeSystem cs = codeSystem("flag-action-input", CanonicalUrls.FLAG_ACTION_INPUT_SYSTEM, "FlagActionInput",
                "Inputs of a calciscreen flag action", "The Task.input types of a flag action: what the Flag looked "
                        + "like when the person acted, and what they planned.");
        String[] definitions = {
            "The tier of the Flag when the person acted (valueCodeableConcept, risk-probability).",
            "One resource that scored when the person acted (valueReference); repeats.",
            "sha256: and the hex SHA-256 of the sorted evidence references joined by newlines (valueString).",
            "One rule that had fired (R1..R12, valueString); repeats.",
            "What the clinician plans (valueString), e.g. 'PTH repeat in 2 weeks'.",
            "The uuid of the CDS Hooks card the feedback is about (valueString)."};
        for (int i = 0; i < FlagActionBuilder.INPUTS.size(); i++) {
            Code input = FlagActionBuilder.INPUTS.get(i);
            cs.addConcept().setCode(input.code()).setDisplay(input.display()).setDefinition(definitions[i]);
        }
        return cs;
    }

    static ValueSet flagActionReasonValueSet() {
        ValueSet vs = new ValueSet();
        vs.setId("flag-action-reason");
        vs.setUrl(CanonicalUrls.FLAG_ACTION_REASON_VALUE_SET);
        vs.setVersion(VERSION);
        vs.setName("FlagActionReason");
        vs.setTitle("Reasons for setting a calciscreen Flag aside");
        vs.setStatus(PublicationStatus.ACTIVE);
        vs.setExperimental(false);
        vs.setDateElement(new DateTimeType(DATE));
        vs.setPublisher(PUBLISHER);
        vs.setDescription("The reasons the worklist offers for a dismissal or a snooze, and the CDS Hooks card offers "
                + "as overrideReasons: every code of " + CanonicalUrls.FLAG_ACTION_REASON_SYSTEM + ".");
        vs.getCompose().addInclude().setSystem(CanonicalUrls.FLAG_ACTION_REASON_SYSTEM);
        return vs;
    }

    private static CodeSystem codeSystem(String id, String url, String name, String title, String description) {
        CodeSystem cs = new CodeSystem();
        cs.setId(id);
        cs.setUrl(url);
        cs.setVersion(VERSION);
        cs.setName(name);
        cs.setTitle(title);
        cs.setStatus(PublicationStatus.ACTIVE);
        cs.setExperimental(false);
        cs.setDateElement(new DateTimeType(DATE));
        cs.setPublisher(PUBLISHER);
        cs.setDescription(description);
        cs.setCaseSensitive(true);
        cs.setContent(CodeSystem.CodeSystemContentMode.COMPLETE);
        return cs;
    }

    // ---- extensions ----

    static StructureDefinition riskScoreExtension() {
        StructureDefinition sd = extension("risk-score", RISK_SCORE_EXTENSION, "RiskScore", "Risk score",
                "The numeric score of a calciphylaxis risk prediction: the sum of the points of the rules that fired "
                        + "(rule set v1, docs/screening-rules.md).", "RiskAssessment.prediction");
        ElementDefinition value = element(sd, "Extension.value[x]").setMin(1);
        value.addType().setCode("integer");
        value.setMinValue(new org.hl7.fhir.r4.model.IntegerType(0));
        return sd;
    }

    static StructureDefinition ruleSetExtension() {
        StructureDefinition sd = extension("rule-set", RULE_SET_EXTENSION, "RuleSet", "Screening rule set",
                "The rule set (and its version) whose evaluation produced this resource, as <url>|<version>, e.g. "
                        + CanonicalUrls.rulesCanonical(CanonicalUrls.RULES_VERSION) + ".", "Flag");
        element(sd, "Extension.value[x]").setMin(1).addType().setCode("canonical");
        return sd;
    }

    static StructureDefinition ruleResultExtension() {
        StructureDefinition sd = complexExtension("rule-result", RULE_RESULT_EXTENSION, "RuleResult", "Rule result",
                "The result of one rule of the rule set (RiskAssessment.method) that fired or could not decide: "
                        + "one per such rule, in rule order (docs/architecture.md, \"Rule results on the "
                        + "RiskAssessment\"). The notes say the same in words.",
                ExtensionContextType.ELEMENT, "RiskAssessment");
        subExtension(sd, "rule", 1, "Coding", "The rule: system the rule set's url, version its version, code its id "
                + "(R1..R12), display its name");
        subExtension(sd, "fired", 1, "boolean", "true: the rule fired; false: it could not decide (no points)");
        subExtension(sd, "points", 1, "integer", "The points awarded: 0 unless the rule fired");
        subExtension(sd, "reason", 1, "string", "The reason as the note reads, e.g. intact PTH 612 pg/mL > 585 pg/mL");
        extensionSlice(sd, "Extension.extension", "criterion", 0, "*", RULE_CRITERION_EXTENSION,
                "Each criterion the rule found met, in order");
        closeComplexExtension(sd, RULE_RESULT_EXTENSION);
        return sd;
    }

    static StructureDefinition ruleCriterionExtension() {
        StructureDefinition sd = complexExtension("rule-criterion", RULE_CRITERION_EXTENSION, "RuleCriterion",
                "Rule criterion met", "One criterion a rule found met: its text and, for a value against a "
                        + "threshold, the value, the operator and the threshold, each amount in UCUM.",
                ExtensionContextType.EXTENSION, RULE_RESULT_EXTENSION);
        subExtension(sd, "text", 1, "string", "The criterion as the note reads");
        subExtension(sd, "label", 0, "string", "What was compared, e.g. intact PTH");
        subExtension(sd, "value", 0, "Quantity", "The value as measured, in UCUM");
        ElementDefinition operator = subExtension(sd, "operator", 0, "code", "How the value compares with the limit");
        operator.getBinding().setStrength(BindingStrength.REQUIRED).setValueSet(CORE_QUANTITY_COMPARATOR)
                .setDescription("< <= >= > (a rule's comparison)");
        subExtension(sd, "limit", 0, "Quantity", "The threshold the value was compared with, in UCUM");
        closeComplexExtension(sd, RULE_CRITERION_EXTENSION);
        return sd;
    }

    private static StructureDefinition extension(String id, String url, String name, String title, String description,
                                                 String context) {
        StructureDefinition sd = extensionDefinition(id, url, name, title, description, ExtensionContextType.ELEMENT,
                context);
        element(sd, "Extension").setShort(title).setDefinition(description).setMax("1");
        element(sd, "Extension.extension").setMax("0");
        element(sd, "Extension.url").setFixed(new UriType(url));
        return sd;
    }

    /** A complex extension, repeatable: then {@link #subExtension}s, then {@link #closeComplexExtension}. */
    private static StructureDefinition complexExtension(String id, String url, String name, String title,
                                                        String description, ExtensionContextType contextType,
                                                        String context) {
        StructureDefinition sd = extensionDefinition(id, url, name, title, description, contextType, context);
        element(sd, "Extension").setShort(title).setDefinition(description).setMax("*");
        slicedByUrl(element(sd, "Extension.extension"));
        return sd;
    }

    /** A simple sub-extension {@code name} of one value of {@code type}; returns its value[x] element. */
    private static ElementDefinition subExtension(StructureDefinition sd, String name, int min, String type,
                                                  String shortText) {
        String slice = "Extension.extension:" + name;
        ElementDefinition ed = sd.getDifferential().addElement();
        ed.setId(slice);
        ed.setPath("Extension.extension");
        ed.setSliceName(name);
        ed.setShort(shortText);
        ed.setMin(min).setMax("1");
        element(sd, slice + ".extension", "Extension.extension.extension").setMax("0");
        element(sd, slice + ".url", "Extension.extension.url").setFixed(new UriType(name));
        ElementDefinition value = element(sd, slice + ".value[x]", "Extension.extension.value[x]").setMin(1);
        value.addType().setCode(type);
        return value;
    }

    private static void closeComplexExtension(StructureDefinition sd, String url) {
        element(sd, "Extension.url").setFixed(new UriType(url));
        element(sd, "Extension.value[x]").setMax("0");
    }

    private static StructureDefinition extensionDefinition(String id, String url, String name, String title,
                                                           String description, ExtensionContextType contextType,
                                                           String context) {
        StructureDefinition sd = structureDefinition(id, url, name, title, description);
        sd.setKind(StructureDefinitionKind.COMPLEXTYPE);
        sd.setType("Extension");
        sd.setBaseDefinition(CORE + "Extension");
        sd.addContext().setType(contextType).setExpression(context);
        return sd;
    }

    // ---- profiles ----

    static StructureDefinition flagProfile() {
        StructureDefinition sd = structureDefinition("calciphylaxis-risk-flag", CanonicalUrls.FLAG_PROFILE,
                "CalciphylaxisRiskFlag", "Calciphylaxis risk Flag",
                "The one Flag per patient the calciscreen screening writes: active while the calciphylaxis risk "
                        + "tier is moderate or high, inactive (with period.end) once it falls below.");
        resourceProfile(sd, "Flag");

        ElementDefinition root = element(sd, "Flag");
        constraint(root, "cs-flag-1", "An active calciphylaxis-risk Flag carries its priority",
                "status = 'active' implies extension('" + FLAG_PRIORITY_EXTENSION + "').exists()", sd);
        constraint(root, "cs-flag-2", "An inactive calciphylaxis-risk Flag says when it ended (period.end)",
                "status = 'inactive' implies period.end.exists()", sd);
        constraint(root, "cs-flag-3", "An active calciphylaxis-risk Flag has not ended (no period.end)",
                "status = 'active' implies period.end.empty()", sd);

        slicedByUrl(element(sd, "Flag.extension"));
        extensionSlice(sd, "Flag.extension", "priority", 0, "1", FLAG_PRIORITY_EXTENSION,
                "PM (medium) for a moderate tier, PH (high) for a high tier; absent when inactive");
        extensionSlice(sd, "Flag.extension", "detail", 1, "*", FLAG_DETAIL_EXTENSION,
                "The RiskAssessment, then every resource that scored");
        extensionSlice(sd, "Flag.extension", "ruleSet", 1, "1", RULE_SET_EXTENSION,
                "The rule set that produced the Flag");

        element(sd, "Flag.identifier").setMin(1).setMax("1")
                .setShort("calciphylaxis-risk/<patient id> in the screening identifier system");
        element(sd, "Flag.identifier.system").setMin(1).setFixed(new UriType(SCREENING_IDENTIFIER_SYSTEM));
        element(sd, "Flag.identifier.value").setMin(1);
        element(sd, "Flag.category").setMin(1).setMax("1")
                .setPattern(concept(FlagBuilder.CATEGORY_CLINICAL.system(), FlagBuilder.CATEGORY_CLINICAL.code()));
        element(sd, "Flag.code").setPattern(concept(SCREENING_FLAG_SYSTEM, CALCIPHYLAXIS_RISK_CODE));
        element(sd, "Flag.subject").addType().setCode("Reference").addTargetProfile(CORE + "Patient");
        element(sd, "Flag.period").setMin(1);
        element(sd, "Flag.period.start").setMin(1).setShort("When the Flag first became active");
        element(sd, "Flag.author").setMin(1).setShort("The screening Device")
                .addType().setCode("Reference").addTargetProfile(CORE + "Device");
        return sd;
    }

    static StructureDefinition riskAssessmentProfile() {
        StructureDefinition sd = structureDefinition("calciphylaxis-risk-assessment",
                CanonicalUrls.RISK_ASSESSMENT_PROFILE, "CalciphylaxisRiskAssessment", "Calciphylaxis RiskAssessment",
                "The one RiskAssessment per patient the calciscreen screening writes: the result of the latest "
                        + "evaluation of the calciphylaxis rule set, with the score, the tier, the evidence, and a "
                        + "rule-result extension and a note per rule that fired.");
        resourceProfile(sd, "RiskAssessment");
        slicedByUrl(element(sd, "RiskAssessment.extension"));
        extensionSlice(sd, "RiskAssessment.extension", "ruleResult", 0, "*", RULE_RESULT_EXTENSION,
                "One per rule that fired or could not decide, in rule order");
        element(sd, "RiskAssessment.identifier").setMin(1).setMax("1")
                .setShort("calciphylaxis-risk/<patient id> in the screening identifier system");
        element(sd, "RiskAssessment.identifier.system").setMin(1).setFixed(new UriType(SCREENING_IDENTIFIER_SYSTEM));
        element(sd, "RiskAssessment.identifier.value").setMin(1);
        element(sd, "RiskAssessment.status").setFixed(new org.hl7.fhir.r4.model.CodeType("final"));
        element(sd, "RiskAssessment.method").setMin(1)
                .setShort("The rule set: system|name with the version in Coding.version, the canonical as text")
                .setPattern(concept(CanonicalUrls.RULES_SYSTEM,
                        RuleSetId.parse(CanonicalUrls.rulesCanonical(CanonicalUrls.RULES_VERSION)).name()));
        element(sd, "RiskAssessment.subject").addType().setCode("Reference").addTargetProfile(CORE + "Patient");
        element(sd, "RiskAssessment.occurrence[x]").setMin(1).addType().setCode("dateTime");
        element(sd, "RiskAssessment.prediction").setMin(1).setMax("1");
        slicedByUrl(element(sd, "RiskAssessment.prediction.extension"));
        extensionSlice(sd, "RiskAssessment.prediction.extension", "riskScore", 1, "1", RISK_SCORE_EXTENSION,
                "The numeric score");
        ElementDefinition risk = element(sd, "RiskAssessment.prediction.qualitativeRisk").setMin(1);
        risk.getBinding().setStrength(BindingStrength.REQUIRED).setValueSet(RISK_PROBABILITY_VALUE_SET)
                .setDescription("low, moderate or high (risk-probability)");
        return sd;
    }

    // ---- helpers ----

    private static StructureDefinition structureDefinition(String id, String url, String name, String title,
                                                           String description) {
        StructureDefinition sd = new StructureDefinition();
        sd.setId(id);
        sd.setUrl(url);
        sd.setVersion(VERSION);
        sd.setName(name);
        sd.setTitle(title);
        sd.setStatus(PublicationStatus.ACTIVE);
        sd.setExperimental(false);
        sd.setDateElement(new DateTimeType(DATE));
        sd.setPublisher(PUBLISHER);
        sd.setDescription(description);
        sd.setFhirVersion(FHIRVersion._4_0_1);
        sd.setAbstract(false);
        sd.setDerivation(TypeDerivationRule.CONSTRAINT);
        return sd;
    }

    private static void resourceProfile(StructureDefinition sd, String type) {
        sd.setKind(StructureDefinitionKind.RESOURCE);
        sd.setType(type);
        sd.setBaseDefinition(CORE + type);
    }

    private static ElementDefinition element(StructureDefinition sd, String path) {
        return element(sd, path, path);
    }

    private static ElementDefinition element(StructureDefinition sd, String id, String path) {
        ElementDefinition ed = sd.getDifferential().addElement();
        ed.setId(id);
        ed.setPath(path);
        return ed;
    }

    private static void slicedByUrl(ElementDefinition ed) {
        ed.getSlicing().setRules(SlicingRules.OPEN).setOrdered(false)
                .addDiscriminator().setType(DiscriminatorType.VALUE).setPath("url");
    }

    private static void extensionSlice(StructureDefinition sd, String path, String sliceName, int min, String max,
                                       String extensionUrl, String shortText) {
        ElementDefinition ed = sd.getDifferential().addElement();
        ed.setId(path + ":" + sliceName);
        ed.setPath(path);
        ed.setSliceName(sliceName);
        ed.setShort(shortText);
        ed.setMin(min).setMax(max);
        ed.addType().setCode("Extension").addProfile(extensionUrl);
    }

    private static void constraint(ElementDefinition ed, String key, String human, String expression,
                                   StructureDefinition source) {
        ed.addConstraint().setKey(key).setSeverity(ConstraintSeverity.ERROR).setHuman(human).setExpression(expression)
                .setSource(source.getUrl());
    }

    private static CodeableConcept concept(String system, String code) {
        return new CodeableConcept().addCoding(new Coding().setSystem(system).setCode(code));
    }
}
