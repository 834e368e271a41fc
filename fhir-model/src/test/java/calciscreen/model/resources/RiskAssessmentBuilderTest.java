package calciscreen.model.resources;

import static calciscreen.model.resources.Examples.EVIDENCE;
import static calciscreen.model.resources.Examples.NOTES;
import static calciscreen.model.resources.Examples.RULES;
import static calciscreen.model.resources.FlagBuilderTest.assertCoding;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import calciscreen.model.CanonicalUrls;
import java.util.List;
import org.hl7.fhir.r4.model.Annotation;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.RiskAssessment;
import org.hl7.fhir.r4.model.RiskAssessment.RiskAssessmentPredictionComponent;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RiskAssessmentBuilderTest {

    @Nested
    class TheRiskAssessment {

        final RiskAssessment ra = Examples.riskAssessment(RiskTier.MODERATE, 7).performer("Device/9").build();

        @Test
        void isTheFinalAssessmentOfThePatientIdentifiedLikeItsFlag() {
            assertThat(ra.getIdentifier()).singleElement().satisfies(id -> {
                assertThat(id.getSystem()).isEqualTo("http://calciscreen.example/fhir/sid/screening");
                assertThat(id.getValue()).isEqualTo("calciphylaxis-risk/123");
            });
            assertThat(ra.getStatus()).isEqualTo(RiskAssessment.RiskAssessmentStatus.FINAL);
            assertThat(ra.getSubject().getReference()).isEqualTo("Patient/123");
            assertThat(ra.getOccurrenceDateTimeType().getValueAsString()).isEqualTo("2025-03-01T10:15:30.000Z");
            assertThat(ra.getPerformer().getReference()).isEqualTo("Device/9");
            assertThat(ra.hasId()).isFalse();
        }

        @Test
        void methodIsTheRuleSetIdentity() {
            assertThat(ra.getMethod().getCoding()).singleElement().satisfies(c -> {
                assertCoding(c, "http://calciscreen.example/fhir/rules", "calciphylaxis", "Rule set calciphylaxis 1.0.0");
                assertThat(c.getVersion()).isEqualTo("1.0.0");
            });
            assertThat(ra.getMethod().getText()).isEqualTo("http://calciscreen.example/fhir/rules/calciphylaxis|1.0.0");
            assertThat(RiskAssessmentBuilder.ruleSetOf(ra)).map(RuleSetId::canonical).contains(RULES);
        }

        @Test
        void basisIsTheEvidenceInOrder() {
            assertThat(ra.getBasis()).extracting(Reference::getReference)
                    .containsExactly("Observation/12", "Condition/5", "MedicationRequest/8");
        }

        @Test
        void oneCalciphylaxisPredictionWithTierAndScore() {
            assertThat(ra.getPrediction()).hasSize(1);
            RiskAssessmentPredictionComponent prediction = ra.getPredictionFirstRep();
            assertThat(prediction.getOutcome().getCoding()).singleElement()
                    .satisfies(c -> assertCoding(c, "http://snomed.info/sct", "403783002", "Calciphylaxis"));
            assertThat(prediction.getQualitativeRisk().getCoding()).singleElement().satisfies(c -> assertCoding(c,
                    "http://terminology.hl7.org/CodeSystem/risk-probability", "moderate", "Moderate likelihood"));
            assertThat(prediction.getExtension()).singleElement().satisfies(e -> {
                assertThat(e.getUrl()).isEqualTo("http://calciscreen.example/fhir/StructureDefinition/risk-score");
                assertThat(((IntegerType) e.getValue()).getValue()).isEqualTo(7);
            });
            assertThat(prediction.hasProbability()).isFalse();
            assertThat(prediction.hasRelativeRisk()).isFalse();
        }

        @Test
        void oneNotePerRuleLine() {
            assertThat(ra.getNote()).extracting(Annotation::getText).containsExactlyElementsOf(NOTES);
        }

        @Test
        void oneRuleResultExtensionPerRuleResultInOrder() {
            assertThat(ra.getExtension()).extracting(Extension::getUrl).containsOnly(CanonicalUrls.RULE_RESULT_EXTENSION)
                    .hasSize(4);
            Extension r3 = ra.getExtension().get(1);
            assertThat(r3.getExtensionByUrl("rule").getValue()).isInstanceOfSatisfying(Coding.class, c -> {
                assertCoding(c, CanonicalUrls.RULES_CALCIPHYLAXIS, "R3", "Hyperphosphatemia");
                assertThat(c.getVersion()).isEqualTo("1.0.0");
            });
            assertThat(r3.getExtensionByUrl("fired").getValue().primitiveValue()).isEqualTo("true");
            assertThat(r3.getExtensionByUrl("points").getValue().primitiveValue()).isEqualTo("2");
            assertThat(r3.getExtensionByUrl("reason").getValue().primitiveValue())
                    .isEqualTo("phosphate 6.1 mg/dL > 5.5 mg/dL");
            Extension criterion = r3.getExtensionByUrl(CanonicalUrls.RULE_CRITERION_EXTENSION);
            assertThat(criterion.getExtensionByUrl("operator").getValue().primitiveValue()).isEqualTo(">");
            assertThat(criterion.getExtensionByUrl("value").getValue()).isInstanceOfSatisfying(Quantity.class, q -> {
                assertThat(q.getValue()).isEqualByComparingTo("6.1");
                assertThat(q.getSystem()).isEqualTo("http://unitsofmeasure.org");
                assertThat(q.getCode()).isEqualTo("mg/dL");
            });
            assertThat(criterion.getExtensionByUrl("limit").getValue()).isInstanceOfSatisfying(Quantity.class,
                    q -> assertThat(q.getValue().toPlainString()).isEqualTo("5.5"));
        }

        @Test
        void ruleResultsReadBackAsWritten() {
            assertThat(RiskAssessmentBuilder.ruleResultsOf(ra)).isEqualTo(Examples.RULE_RESULTS);
        }

        @Test
        void ruleResultsSurviveJson() {
            FhirContext r4 = FhirContext.forR4Cached();
            RiskAssessment parsed = r4.newJsonParser().parseResource(RiskAssessment.class,
                    r4.newJsonParser().encodeResourceToString(ra));
            assertThat(RiskAssessmentBuilder.ruleResultsOf(parsed)).isEqualTo(Examples.RULE_RESULTS);
        }

        @Test
        void narrativeSaysTierScoreRuleSetAndEveryLine() {
            assertThat(ra.getText().getStatus().toCode()).isEqualTo("generated");
            assertThat(ra.getText().getDivAsString()).contains("moderate", "score 7", RULES,
                    "R1 kidney failure", "R3 hyperphosphatemia", "R7 vitamin K antagonist");
        }

        @Test
        void declaresOurProfile() {
            assertThat(ra.getMeta().getProfile()).extracting(p -> p.getValue()).containsExactly(
                    "http://calciscreen.example/fhir/StructureDefinition/calciphylaxis-risk-assessment");
        }
    }

    @ParameterizedTest(name = "{0} -> {1} \"{2}\"")
    @CsvSource({"LOW, low, Low likelihood", "MODERATE, moderate, Moderate likelihood", "HIGH, high, High likelihood"})
    void qualitativeRiskFollowsTheTier(RiskTier tier, String code, String display) {
        RiskAssessment ra = Examples.riskAssessment(tier, 3).build();
        assertCoding(ra.getPredictionFirstRep().getQualitativeRisk().getCodingFirstRep(),
                CanonicalUrls.RISK_PROBABILITY_SYSTEM, code, display);
        assertThat(RiskAssessmentBuilder.tierOf(ra)).contains(tier);
    }

    @Test
    void narrativeEscapesWhatItIsGiven() {
        RiskAssessment ra = Examples.riskAssessment(RiskTier.HIGH, 9)
                .notes(List.of("R2 <script>alert('x')</script> & \"calcium\" > 10.2")).build();
        String div = ra.getText().getDivAsString();
        assertThat(div).doesNotContain("<script>").contains("&lt;script&gt;", "&amp;", "&gt; 10.2");
        assertThat(ra.getNoteFirstRep().getText()).isEqualTo("R2 <script>alert('x')</script> & \"calcium\" > 10.2");
    }

    @Test
    void noRuleFiredIsSaid() {
        RiskAssessment ra = Examples.riskAssessment(RiskTier.LOW, 0).notes(List.of()).basis(List.of()).build();
        assertThat(ra.getNote()).isEmpty();
        assertThat(ra.getBasis()).isEmpty();
        assertThat(ra.getText().getDivAsString()).contains("No rule fired");
        assertThat(RiskAssessmentBuilder.scoreOf(ra)).contains(0);
    }

    @Test
    void anAssessmentWithoutRuleResultsHasNone() {
        assertThat(RiskAssessmentBuilder.ruleResultsOf(Examples.riskAssessment(RiskTier.LOW, 0).ruleResults(List.of())
                .build())).isEmpty();
        assertThat(RiskAssessmentBuilder.ruleResultsOf(new RiskAssessment())).isEmpty();
        assertThat(RiskAssessmentBuilder.ruleResultsOf(null)).isEmpty();
    }

    @Test
    void aRuleResultMissingAPartOrContradictingItselfIsLeftOut() {
        RiskAssessment ra = Examples.riskAssessment(RiskTier.HIGH, 9).build();
        ra.getExtension().get(0).getExtension().removeIf(e -> "points".equals(e.getUrl()));
        ra.getExtension().get(2).getExtensionByUrl("points").setValue(new IntegerType(2)); // not fired, 2 points
        ra.getExtension().get(3).addExtension("fired", new BooleanType(false)); // said twice
        assertThat(RiskAssessmentBuilder.ruleResultsOf(ra)).extracting(RuleOutcome::rule).containsExactly("R3");
    }

    @Test
    void aComparisonNeedsAKnownOperatorAndUcumAmounts() {
        RuleOutcome.Amount pth = RuleOutcome.Amount.of(612, "pg/mL");
        assertThatThrownBy(() -> new RuleOutcome.Comparison("intact PTH", pth, "=", pth))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(RuleOutcome.Amount.of(585.0, "pg/mL").value().toPlainString()).isEqualTo("585");
        assertThat(RuleOutcome.Amount.of(100, "pg/mL").value().toPlainString()).isEqualTo("100");
        assertThat(RuleOutcome.Amount.of(10.4208, "mg/dL").value().toPlainString()).isEqualTo("10.4208");
        assertThatThrownBy(() -> new RuleOutcome("R1", "Kidney failure", false, 3, "x", List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void performerIsOptional() {
        assertThat(Examples.riskAssessment(RiskTier.LOW, 1).build().hasPerformer()).isFalse();
    }

    @Test
    void refusesIncompleteInput() {
        assertThatThrownBy(() -> Examples.riskAssessment(RiskTier.HIGH, -1).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("score");
        assertThatThrownBy(() -> Examples.riskAssessment(null, 1).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("tier");
        assertThatThrownBy(() -> Examples.riskAssessment(RiskTier.LOW, 1).occurrence(null).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("occurrence");
        assertThatThrownBy(() -> RiskAssessmentBuilder.forPatient("1").tier(RiskTier.LOW).score(1)
                .occurrence(Examples.EVALUATED).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("rule set");
        assertThatThrownBy(() -> RiskAssessmentBuilder.forPatient("1").tier(RiskTier.LOW).ruleSet(RULES)
                .occurrence(Examples.EVALUATED).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("score");
        assertThatThrownBy(() -> Examples.riskAssessment(RiskTier.LOW, 1).notes(List.of("ok", " ")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void identityAndMatchUrl() {
        assertThat(RiskAssessmentBuilder.matchUrl("123")).isEqualTo(
                "RiskAssessment?identifier=http://calciscreen.example/fhir/sid/screening|calciphylaxis-risk/123");
        assertThat(RiskAssessmentBuilder.identifier("123").getSystem())
                .isEqualTo(FlagBuilder.identifier("123").getSystem());
    }

    @Nested
    class SemanticState {

        @Test
        void ofABuiltAssessmentIsWhatTheWriterWouldAskFor() {
            AssessmentState state = RiskAssessmentBuilder.semanticState(Examples.riskAssessment(RiskTier.HIGH, 9).build());
            assertThat(state.tier()).contains(RiskTier.HIGH);
            assertThat(state.score()).contains(9);
            assertThat(state.basis()).containsExactly("Condition/5", "MedicationRequest/8", "Observation/12");
            assertThat(state.ruleSet()).contains(RULES);
            assertThat(state).isEqualTo(AssessmentState.of(RiskTier.HIGH, 9, EVIDENCE, RULES));
        }

        @Test
        void ignoresTimeNotesAndOrder() {
            RiskAssessment later = Examples.riskAssessment(RiskTier.HIGH, 9)
                    .occurrence(Examples.EVALUATED.plusSeconds(3600)).notes(List.of("other wording"))
                    .basis(List.of("MedicationRequest/8", "Observation/12", "Condition/5")).build();
            assertThat(RiskAssessmentBuilder.semanticState(later))
                    .isEqualTo(AssessmentState.of(RiskTier.HIGH, 9, EVIDENCE, RULES));
        }

        @Test
        void changesWithScoreTierEvidenceOrRuleSet() {
            AssessmentState state = AssessmentState.of(RiskTier.HIGH, 9, EVIDENCE, RULES);
            assertThat(AssessmentState.of(RiskTier.HIGH, 10, EVIDENCE, RULES)).isNotEqualTo(state);
            assertThat(AssessmentState.of(RiskTier.MODERATE, 9, EVIDENCE, RULES)).isNotEqualTo(state);
            assertThat(AssessmentState.of(RiskTier.HIGH, 9, List.of("Observation/12"), RULES)).isNotEqualTo(state);
            assertThat(AssessmentState.of(RiskTier.HIGH, 9, EVIDENCE, CanonicalUrls.rulesCanonical("1.1.0")))
                    .isNotEqualTo(state);
        }

        @Test
        void ignoresRuleResults() {
            RiskAssessment without = Examples.riskAssessment(RiskTier.HIGH, 9).ruleResults(List.of()).build();
            assertThat(RiskAssessmentBuilder.semanticState(without))
                    .isEqualTo(AssessmentState.of(RiskTier.HIGH, 9, EVIDENCE, RULES));
        }

        @Test
        void ofAForeignAssessment() {
            AssessmentState state = RiskAssessmentBuilder.semanticState(new RiskAssessment());
            assertThat(state.tier()).isEmpty();
            assertThat(state.score()).isEmpty();
            assertThat(state.basis()).isEmpty();
            assertThat(state.ruleSet()).isEmpty();
            RiskAssessment wrongScoreType = Examples.riskAssessment(RiskTier.LOW, 1).build();
            wrongScoreType.getPredictionFirstRep().getExtension().set(0,
                    new Extension(CanonicalUrls.RISK_SCORE_EXTENSION, new org.hl7.fhir.r4.model.StringType("1")));
            assertThat(RiskAssessmentBuilder.scoreOf(wrongScoreType)).isEmpty();
        }
    }
}
