package calciscreen.model.resources;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import ca.uhn.fhir.validation.ValidationResult;
import calciscreen.model.CanonicalUrls;
import calciscreen.model.terminology.FlagActionKind;
import calciscreen.model.terminology.FlagActionReason;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.PrePopulatedValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Flag;
import org.hl7.fhir.r4.model.RiskAssessment;
import org.hl7.fhir.r4.model.Task;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The built resources against our profiles, with HAPI's instance validator and only local definitions (core R4,
 * the common code systems, ours from {@link Conformance}): no terminology server.
 */
class ProfileValidationTest {

    static final FhirContext R4 = FhirContext.forR4Cached();
    static FhirValidator validator;

    @BeforeAll
    static void validatorWithOurConformanceResources() {
        PrePopulatedValidationSupport ours = new PrePopulatedValidationSupport(R4);
        Conformance.load(R4).forEach(ours::addResource);
        ValidationSupportChain chain = new ValidationSupportChain(
                new DefaultProfileValidationSupport(R4),
                new InMemoryTerminologyServerValidationSupport(R4),
                new CommonCodeSystemsTerminologyService(R4),
                new SnapshotGeneratingValidationSupport(R4),
                ours);
        validator = R4.newValidator().registerValidatorModule(new FhirInstanceValidator(chain));
    }

    @ParameterizedTest(name = "active {0} Flag")
    @EnumSource(value = RiskTier.class, names = {"MODERATE", "HIGH"})
    void activeFlagConformsToOurProfile(RiskTier tier) {
        assertThat(errors(Examples.activeFlag(tier))).isEmpty();
    }

    @Test
    void inactiveFlagConformsToOurProfile() {
        assertThat(errors(Examples.inactiveFlag())).isEmpty();
    }

    @ParameterizedTest(name = "{0} RiskAssessment")
    @EnumSource(RiskTier.class)
    void riskAssessmentConformsToOurProfile(RiskTier tier) {
        RiskAssessment ra = Examples.riskAssessment(tier, tier == RiskTier.HIGH ? 9 : 6).performer(Examples.DEVICE)
                .build();
        assertThat(errors(ra)).isEmpty();
    }

    @Test
    void riskAssessmentWithRuleResultsButNoCriteriaConforms() {
        List<RuleOutcome> bare = Examples.RULE_RESULTS.stream().map(r -> new RuleOutcome(r.rule(), r.title(),
                r.fired(), r.points(), r.reason(), List.of())).toList();
        assertThat(errors(Examples.riskAssessment(RiskTier.HIGH, 9).ruleResults(bare).build())).isEmpty();
    }

    @Test
    void aRuleResultWithoutItsReasonFails() {
        RiskAssessment ra = Examples.riskAssessment(RiskTier.HIGH, 9).build();
        ra.getExtension().get(1).getExtension().removeIf(e -> "reason".equals(e.getUrl()));
        assertThat(errors(ra)).isNotEmpty();
    }

    @Test
    void aRuleCriterionWithAnOperatorOutsideTheComparatorsFails() {
        RiskAssessment ra = Examples.riskAssessment(RiskTier.HIGH, 9).build();
        ra.getExtension().get(1).getExtensionByUrl(CanonicalUrls.RULE_CRITERION_EXTENSION)
                .getExtensionByUrl("operator").setValue(new CodeType("="));
        assertThat(errors(ra)).isNotEmpty();
    }

    @Test
    void riskAssessmentWithoutNotesOrBasisConforms() {
        assertThat(errors(Examples.riskAssessment(RiskTier.LOW, 0).basis(List.of()).notes(List.of()).build()))
                .isEmpty();
    }

    @Test
    void screeningDeviceIsAValidR4Device() {
        assertThat(errors(ScreeningDevice.build("0.1.0", Examples.RULES))).isEmpty();
    }

    @ParameterizedTest(name = "{0} flag action")
    @EnumSource(FlagActionKind.class)
    void everyFlagActionIsAValidR4TaskWithOurCodes(FlagActionKind kind) {
        FlagActionBuilder action = FlagActionBuilderTest.action(kind)
                .reason(Optional.of(FlagActionReason.ALREADY_MANAGED), "followed in clinic").note("seen").plan("repeat");
        if (kind == FlagActionKind.SNOOZED) {
            action.snoozeUntil(FlagActionBuilderTest.AT.plus(Duration.ofDays(7)));
        }
        assertThat(errors(action.build())).isEmpty();
    }

    @Test
    void aFlagActionWithACodeOutsideOurCodeSystemFails() {
        Task task = FlagActionBuilderTest.action(FlagActionKind.REVIEWED).build();
        task.getCode().getCodingFirstRep().setCode("acknowledged");
        assertThat(errors(task)).isNotEmpty();
    }

    @Test
    void flagWithoutIdentifierFails() {
        Flag flag = Examples.activeFlag(RiskTier.HIGH);
        flag.getIdentifier().clear();
        assertThat(errors(flag)).anyMatch(m -> m.contains("Flag.identifier"));
    }

    @Test
    void flagWithAnotherIdentifierSystemFails() {
        Flag flag = Examples.activeFlag(RiskTier.HIGH);
        flag.getIdentifierFirstRep().setSystem("http://elsewhere.example/ids");
        assertThat(errors(flag)).anyMatch(m -> m.contains(CanonicalUrls.SCREENING_IDENTIFIER_SYSTEM));
    }

    @Test
    void flagWithoutSubjectFails() {
        Flag flag = Examples.activeFlag(RiskTier.HIGH);
        flag.setSubject(null);
        assertThat(errors(flag)).anyMatch(m -> m.contains("Flag.subject"));
    }

    @Test
    void flagWithoutAuthorFails() {
        Flag flag = Examples.activeFlag(RiskTier.MODERATE);
        flag.setAuthor(null);
        assertThat(errors(flag)).anyMatch(m -> m.contains("Flag.author"));
    }

    @Test
    void flagWithAnotherCodeFails() {
        Flag flag = Examples.activeFlag(RiskTier.MODERATE);
        flag.setCode(new CodeableConcept(new Coding("http://snomed.info/sct", "403783002", "Calciphylaxis")));
        assertThat(errors(flag)).anyMatch(m -> m.contains("Flag.code"));
    }

    @Test
    void activeFlagWithoutPriorityFails() {
        Flag flag = Examples.activeFlag(RiskTier.HIGH);
        flag.getExtension().removeIf(e -> CanonicalUrls.FLAG_PRIORITY_EXTENSION.equals(e.getUrl()));
        assertThat(errors(flag)).anyMatch(m -> m.contains("cs-flag-1"));
    }

    @Test
    void inactiveFlagWithoutEndFails() {
        Flag flag = Examples.inactiveFlag();
        flag.getPeriod().setEnd(null);
        assertThat(errors(flag)).anyMatch(m -> m.contains("cs-flag-2"));
    }

    @Test
    void flagWithoutPeriodStartFails() {
        Flag flag = Examples.inactiveFlag();
        flag.getPeriod().setStart(null);
        assertThat(errors(flag)).anyMatch(m -> m.contains("Flag.period.start"));
    }

    @Test
    void riskAssessmentWithoutScoreFails() {
        RiskAssessment ra = Examples.riskAssessment(RiskTier.HIGH, 9).build();
        ra.getPredictionFirstRep().getExtension().clear();
        assertThat(errors(ra)).anyMatch(m -> m.contains("RiskAssessment.prediction"));
    }

    @Test
    void riskAssessmentThatIsNotFinalFails() {
        RiskAssessment ra = Examples.riskAssessment(RiskTier.HIGH, 9).build();
        ra.setStatus(RiskAssessment.RiskAssessmentStatus.PRELIMINARY);
        assertThat(errors(ra)).anyMatch(m -> m.contains("RiskAssessment.status"));
    }

    @Test
    void riskAssessmentWithAQualitativeRiskOutsideRiskProbabilityFails() {
        RiskAssessment ra = Examples.riskAssessment(RiskTier.HIGH, 9).build();
        ra.getPredictionFirstRep().setQualitativeRisk(new CodeableConcept(
                new Coding(CanonicalUrls.RISK_PROBABILITY_SYSTEM, "very-high", "Very high")));
        assertThat(errors(ra)).isNotEmpty();
    }

    @Test
    void riskAssessmentWithoutSubjectFails() {
        RiskAssessment ra = Examples.riskAssessment(RiskTier.HIGH, 9).build();
        ra.setSubject(null);
        assertThat(errors(ra)).anyMatch(m -> m.contains("RiskAssessment.subject"));
    }

    /** "LOCATION: message" of every error (and fatal) message; warnings and information are printed, not failed. */
    static List<String> errors(IBaseResource resource) {
        ValidationResult result = validator.validateWithResult(resource);
        List<SingleValidationMessage> messages = result.getMessages();
        messages.stream().filter(m -> m.getSeverity().ordinal() < ResultSeverityEnum.ERROR.ordinal())
                .forEach(m -> System.out.println("[" + m.getSeverity() + "] " + resource.fhirType() + " "
                        + m.getLocationString() + ": " + m.getMessage()));
        return messages.stream().filter(m -> m.getSeverity().ordinal() >= ResultSeverityEnum.ERROR.ordinal())
                .map(m -> m.getLocationString() + ": " + m.getMessage()).collect(Collectors.toList());
    }
}
