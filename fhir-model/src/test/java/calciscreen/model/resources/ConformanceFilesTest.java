package calciscreen.model.resources;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import calciscreen.model.CanonicalUrls;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.ElementDefinition;
import org.hl7.fhir.r4.model.MetadataResource;
import org.hl7.fhir.r4.model.StructureDefinition;
import org.junit.jupiter.api.Test;

class ConformanceFilesTest {

    static final FhirContext R4 = FhirContext.forR4Cached();

    @Test
    void committedFilesAreWhatTheGeneratorMakes() throws IOException {
        Map<String, String> generated = ConformanceGenerator.generate(R4);
        if (Boolean.getBoolean("calciscreen.conformance.write")) {
            ConformanceGenerator.write(generated, ConformanceGenerator.OUTPUT);
        }
        assertThat(generated.keySet()).containsExactlyElementsOf(Conformance.FILES);
        for (Map.Entry<String, String> file : generated.entrySet()) {
            String committed = Files.readString(ConformanceGenerator.OUTPUT.resolve(file.getKey()),
                    StandardCharsets.UTF_8);
            assertThat(committed)
                    .as("%s differs from ConformanceSources: regenerate with -Dcalciscreen.conformance.write=true",
                            file.getKey())
                    .isEqualTo(file.getValue());
        }
    }

    @Test
    void everyResourceLoadsFromTheClasspathWithAStableIdAndOurUrl() {
        List<MetadataResource> all = Conformance.load(R4);
        assertThat(all).extracting(r -> r.fhirType() + "/" + r.getIdElement().getIdPart()).containsExactly(
                "CodeSystem/screening-flag", "CodeSystem/dialysis-status", "CodeSystem/flag-action",
                "CodeSystem/flag-action-reason", "CodeSystem/flag-action-input", "ValueSet/flag-action-reason",
                "StructureDefinition/risk-score", "StructureDefinition/rule-set",
                "StructureDefinition/rule-criterion", "StructureDefinition/rule-result",
                "StructureDefinition/calciphylaxis-risk-flag", "StructureDefinition/calciphylaxis-risk-assessment");
        assertThat(all).extracting(MetadataResource::getUrl).containsExactly(
                CanonicalUrls.SCREENING_FLAG_SYSTEM, CanonicalUrls.DIALYSIS_STATUS_SYSTEM,
                CanonicalUrls.FLAG_ACTION_SYSTEM, CanonicalUrls.FLAG_ACTION_REASON_SYSTEM,
                CanonicalUrls.FLAG_ACTION_INPUT_SYSTEM, CanonicalUrls.FLAG_ACTION_REASON_VALUE_SET,
                CanonicalUrls.RISK_SCORE_EXTENSION, CanonicalUrls.RULE_SET_EXTENSION,
                CanonicalUrls.RULE_CRITERION_EXTENSION, CanonicalUrls.RULE_RESULT_EXTENSION,
                CanonicalUrls.FLAG_PROFILE, CanonicalUrls.RISK_ASSESSMENT_PROFILE);
        assertThat(all).allSatisfy(r -> assertThat(r.getUrl()).startsWith(CanonicalUrls.BASE + "/"));
    }

    @Test
    void codeSystemsAreCompleteWithTheCodesWeWrite() {
        CodeSystem flag = (CodeSystem) Conformance.load(R4, Conformance.SCREENING_FLAG_CODE_SYSTEM);
        assertThat(flag.getContent()).isEqualTo(CodeSystem.CodeSystemContentMode.COMPLETE);
        assertThat(flag.getConcept()).singleElement().satisfies(c -> {
            assertThat(c.getCode()).isEqualTo("calciphylaxis-risk");
            assertThat(c.getDisplay()).isEqualTo("Calciphylaxis risk");
        });
        CodeSystem dialysis = (CodeSystem) Conformance.load(R4, Conformance.DIALYSIS_STATUS_CODE_SYSTEM);
        assertThat(dialysis.getContent()).isEqualTo(CodeSystem.CodeSystemContentMode.COMPLETE);
        assertThat(dialysis.getConcept()).singleElement().satisfies(c -> {
            assertThat(c.getCode()).isEqualTo("dialysis-status");
            assertThat(c.getDisplay()).isEqualTo("Dialysis status");
        });
    }

    @Test
    void structureDefinitionsHaveDifferentialAndSnapshotAndConstrainTheirBase() {
        for (String file : List.of(Conformance.RISK_SCORE_EXTENSION, Conformance.RULE_SET_EXTENSION,
                Conformance.RULE_CRITERION_EXTENSION, Conformance.RULE_RESULT_EXTENSION, Conformance.FLAG_PROFILE, Conformance.RISK_ASSESSMENT_PROFILE)) {
            StructureDefinition sd = (StructureDefinition) Conformance.load(R4, file);
            assertThat(sd.getDerivation()).as(file).isEqualTo(StructureDefinition.TypeDerivationRule.CONSTRAINT);
            assertThat(sd.getDifferential().getElement()).as(file).isNotEmpty();
            assertThat(sd.getSnapshot().getElement()).as(file).hasSizeGreaterThan(sd.getDifferential().getElement().size());
            assertThat(sd.getFhirVersion().toCode()).isEqualTo("4.0.1");
        }
    }

    @Test
    void flagProfileSnapshotCarriesTheConstraints() {
        StructureDefinition sd = (StructureDefinition) Conformance.load(R4, Conformance.FLAG_PROFILE);
        assertThat(sd.getType()).isEqualTo("Flag");
        assertThat(sd.getBaseDefinition()).isEqualTo("http://hl7.org/fhir/StructureDefinition/Flag");
        assertThat(snapshot(sd, "Flag.identifier").getMin()).isEqualTo(1);
        assertThat(snapshot(sd, "Flag.identifier").getMax()).isEqualTo("1");
        assertThat(snapshot(sd, "Flag.identifier.system").getFixed().primitiveValue())
                .isEqualTo(CanonicalUrls.SCREENING_IDENTIFIER_SYSTEM);
        assertThat(snapshot(sd, "Flag.subject").getMin()).isEqualTo(1);
        assertThat(snapshot(sd, "Flag.subject").getTypeFirstRep().getTargetProfile())
                .extracting(t -> t.getValue()).containsExactly("http://hl7.org/fhir/StructureDefinition/Patient");
        assertThat(snapshot(sd, "Flag.author").getMin()).isEqualTo(1);
        assertThat(snapshot(sd, "Flag.period.start").getMin()).isEqualTo(1);
        assertThat(snapshot(sd, "Flag.extension:priority").getMax()).isEqualTo("1");
        assertThat(snapshot(sd, "Flag.extension:priority").getMin()).isZero();
        assertThat(snapshot(sd, "Flag.category").getPattern()).isNotNull();
        assertThat(snapshot(sd, "Flag.code").getPattern()).isNotNull();
        assertThat(snapshot(sd, "Flag").getConstraint()).extracting(ElementDefinition.ElementDefinitionConstraintComponent::getKey)
                .contains("cs-flag-1", "cs-flag-2", "cs-flag-3");
    }

    @Test
    void riskAssessmentProfileSnapshotCarriesTheConstraints() {
        StructureDefinition sd = (StructureDefinition) Conformance.load(R4, Conformance.RISK_ASSESSMENT_PROFILE);
        assertThat(snapshot(sd, "RiskAssessment.status").getFixed().primitiveValue()).isEqualTo("final");
        assertThat(snapshot(sd, "RiskAssessment.subject").getMin()).isEqualTo(1);
        assertThat(snapshot(sd, "RiskAssessment.occurrence[x]").getMin()).isEqualTo(1);
        assertThat(snapshot(sd, "RiskAssessment.occurrence[x]").getType()).extracting(t -> t.getCode())
                .containsExactly("dateTime");
        assertThat(snapshot(sd, "RiskAssessment.method").getMin()).isEqualTo(1);
        assertThat(snapshot(sd, "RiskAssessment.prediction").getMin()).isEqualTo(1);
        assertThat(snapshot(sd, "RiskAssessment.prediction").getMax()).isEqualTo("1");
        ElementDefinition risk = snapshot(sd, "RiskAssessment.prediction.qualitativeRisk");
        assertThat(risk.getMin()).isEqualTo(1);
        assertThat(risk.getBinding().getStrength().toCode()).isEqualTo("required");
        assertThat(risk.getBinding().getValueSet()).isEqualTo(CanonicalUrls.RISK_PROBABILITY_VALUE_SET);
        assertThat(snapshot(sd, "RiskAssessment.prediction.extension:riskScore").getMin()).isEqualTo(1);
        assertThat(snapshot(sd, "RiskAssessment.extension:ruleResult").getMax()).isEqualTo("*");
    }

    @Test
    void ruleResultExtensionRequiresRuleVerdictPointsAndReason() {
        StructureDefinition sd = (StructureDefinition) Conformance.load(R4, Conformance.RULE_RESULT_EXTENSION);
        assertThat(sd.getContextFirstRep().getExpression()).isEqualTo("RiskAssessment");
        for (String part : List.of("rule", "fired", "points", "reason")) {
            assertThat(snapshot(sd, "Extension.extension:" + part).getMin()).as(part).isEqualTo(1);
            assertThat(snapshot(sd, "Extension.extension:" + part + ".url").getFixed().primitiveValue()).isEqualTo(part);
        }
        assertThat(snapshot(sd, "Extension.extension:rule.value[x]").getType()).extracting(t -> t.getCode())
                .containsExactly("Coding");
        assertThat(snapshot(sd, "Extension.extension:criterion").getMax()).isEqualTo("*");
        StructureDefinition criterion = (StructureDefinition) Conformance.load(R4, Conformance.RULE_CRITERION_EXTENSION);
        assertThat(criterion.getContextFirstRep().getExpression()).isEqualTo(CanonicalUrls.RULE_RESULT_EXTENSION);
        assertThat(snapshot(criterion, "Extension.extension:value.value[x]").getType()).extracting(t -> t.getCode())
                .containsExactly("Quantity");
    }

    private static ElementDefinition snapshot(StructureDefinition sd, String id) {
        return sd.getSnapshot().getElement().stream().filter(e -> id.equals(e.getId())).findFirst()
                .orElseThrow(() -> new AssertionError(sd.getUrl() + " has no snapshot element " + id));
    }
}
