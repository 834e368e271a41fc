package calciscreen.model.resources;

import static calciscreen.model.resources.Examples.DEVICE;
import static calciscreen.model.resources.Examples.EVALUATED;
import static calciscreen.model.resources.Examples.EVIDENCE;
import static calciscreen.model.resources.Examples.RISK_ASSESSMENT;
import static calciscreen.model.resources.Examples.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import calciscreen.model.CanonicalUrls;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.r4.model.CanonicalType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Flag;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FlagBuilderTest {

    @Nested
    class TheActiveFlag {

        final Flag flag = Examples.activeFlag(RiskTier.HIGH);

        @Test
        void isIdentifiedByTheScreeningSystemAndThePatient() {
            assertThat(flag.getIdentifier()).singleElement().satisfies(id -> {
                assertThat(id.getSystem()).isEqualTo("http://calciscreen.example/fhir/sid/screening");
                assertThat(id.getValue()).isEqualTo("calciphylaxis-risk/123");
            });
            assertThat(flag.hasId()).as("the writer sets the id").isFalse();
        }

        @Test
        void isActiveClinicalCalciphylaxisRiskOfThePatient() {
            assertThat(flag.getStatus()).isEqualTo(Flag.FlagStatus.ACTIVE);
            assertThat(flag.getCategory()).singleElement().satisfies(c -> assertThat(c.getCoding()).singleElement()
                    .satisfies(coding -> assertCoding(coding, "http://terminology.hl7.org/CodeSystem/flag-category",
                            "clinical", "Clinical")));
            assertThat(flag.getCode().getCoding()).singleElement().satisfies(coding -> assertCoding(coding,
                    "http://calciscreen.example/fhir/CodeSystem/screening-flag", "calciphylaxis-risk",
                    "Calciphylaxis risk"));
            assertThat(flag.getCode().getText()).isEqualTo("Calciphylaxis risk");
            assertThat(flag.getSubject().getReference()).isEqualTo("Patient/123");
        }

        @Test
        void startsWhenItFirstBecameActiveAndHasNoEnd() {
            assertThat(flag.getPeriod().getStartElement().getValueAsString()).isEqualTo("2025-02-01T08:00:00.000Z");
            assertThat(flag.getPeriod().hasEnd()).isFalse();
        }

        @Test
        void carriesItsPriority() {
            List<Extension> priority = flag.getExtensionsByUrl("http://hl7.org/fhir/StructureDefinition/flag-priority");
            assertThat(priority).singleElement().satisfies(e -> {
                CodeableConcept value = (CodeableConcept) e.getValue();
                assertThat(value.getCoding()).singleElement().satisfies(coding -> assertCoding(coding,
                        "http://terminology.hl7.org/CodeSystem/flag-priority-code", "PH", "High priority"));
                assertThat(value.getText()).isEqualTo("High priority");
            });
        }

        @Test
        void detailsTheRiskAssessmentThenEveryEvidenceResource() {
            assertThat(flag.getExtensionsByUrl("http://hl7.org/fhir/StructureDefinition/flag-detail"))
                    .extracting(e -> ((Reference) e.getValue()).getReference())
                    .containsExactly("RiskAssessment/77", "Observation/12", "Condition/5", "MedicationRequest/8");
        }

        @Test
        void namesTheRuleSetTheAuthorAndTheProfile() {
            assertThat(flag.getExtensionsByUrl(CanonicalUrls.RULE_SET_EXTENSION)).singleElement()
                    .satisfies(e -> assertThat(((CanonicalType) e.getValue()).getValue())
                            .isEqualTo("http://calciscreen.example/fhir/rules/calciphylaxis|1.0.0"));
            assertThat(flag.getAuthor().getReference()).isEqualTo(DEVICE);
            assertThat(flag.getMeta().getProfile()).extracting(p -> p.getValue())
                    .containsExactly("http://calciscreen.example/fhir/StructureDefinition/calciphylaxis-risk-flag");
        }

        @Test
        void hasAGeneratedNarrative() {
            assertThat(flag.getText().getStatus().toCode()).isEqualTo("generated");
            assertThat(flag.getText().getDivAsString()).contains("Calciphylaxis risk", "high priority",
                    "2025-02-01T08:00:00Z", "3 resources");
        }

        @Test
        void hasNothingElse() {
            assertThat(flag.getExtension()).hasSize(1 + 4 + 1);
            assertThat(flag.hasEncounter()).isFalse();
            assertThat(flag.hasContained()).isFalse();
            assertThat(flag.hasModifierExtension()).isFalse();
        }
    }

    @ParameterizedTest(name = "{0} -> status {1}, priority {2}")
    @CsvSource(nullValues = "none", value = {
            "HIGH,     active,   PH, High priority",
            "MODERATE, active,   PM, Medium priority"})
    void priorityFollowsTheTier(RiskTier tier, String status, String code, String display) {
        Flag flag = Examples.activeFlag(tier);
        assertThat(flag.getStatus().toCode()).isEqualTo(status);
        Coding priority = ((CodeableConcept) flag.getExtensionByUrl(CanonicalUrls.FLAG_PRIORITY_EXTENSION).getValue())
                .getCodingFirstRep();
        assertThat(priority.getCode()).isEqualTo(code);
        assertThat(priority.getDisplay()).isEqualTo(display);
    }

    @Nested
    class TheInactiveFlag {

        final Flag flag = Examples.inactiveFlag();

        @Test
        void isInactiveWithItsEndAndKeepsItsStart() {
            assertThat(flag.getStatus()).isEqualTo(Flag.FlagStatus.INACTIVE);
            assertThat(flag.getPeriod().getStartElement().getValueAsString()).isEqualTo("2025-02-01T08:00:00.000Z");
            assertThat(flag.getPeriod().getEndElement().getValueAsString()).isEqualTo("2025-03-01T10:15:30.000Z");
        }

        @Test
        void hasNoPriorityButStillItsDetailsAuthorAndIdentity() {
            assertThat(flag.getExtensionByUrl(CanonicalUrls.FLAG_PRIORITY_EXTENSION)).isNull();
            assertThat(flag.getExtensionsByUrl(CanonicalUrls.FLAG_DETAIL_EXTENSION)).hasSize(4);
            assertThat(flag.getAuthor().getReference()).isEqualTo(DEVICE);
            assertThat(flag.getIdentifierFirstRep().getValue()).isEqualTo("calciphylaxis-risk/123");
            assertThat(flag.getText().getDivAsString()).contains("inactive since 2025-03-01T10:15:30Z");
        }

        @Test
        void lowTierIsInactiveToo() {
            Flag low = Examples.flag(RiskTier.LOW).periodEnd(Optional.of(EVALUATED)).build();
            assertThat(low.getStatus()).isEqualTo(Flag.FlagStatus.INACTIVE);
            assertThat(low.getExtensionByUrl(CanonicalUrls.FLAG_PRIORITY_EXTENSION)).isNull();
        }
    }

    @Test
    void evidenceDuplicatesAndTheRiskAssessmentAreWrittenOnce() {
        Flag flag = Examples.flag(RiskTier.MODERATE)
                .evidence(List.of("Observation/12", RISK_ASSESSMENT, "Observation/12", " Condition/5 ")).build();
        assertThat(flag.getExtensionsByUrl(CanonicalUrls.FLAG_DETAIL_EXTENSION))
                .extracting(e -> ((Reference) e.getValue()).getReference())
                .containsExactly(RISK_ASSESSMENT, "Observation/12", "Condition/5");
    }

    @Test
    void refusesIncompleteOrContradictoryInput() {
        assertThatThrownBy(() -> FlagBuilder.forPatient(" ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Examples.flag(null).build()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("inactive Flag has a period.end");
        assertThatThrownBy(() -> Examples.flag(RiskTier.HIGH).periodEnd(Optional.of(EVALUATED)).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("active Flag has no period.end");
        assertThatThrownBy(() -> Examples.flag(RiskTier.HIGH).periodStart(null).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("period.start");
        assertThatThrownBy(() -> Examples.flag(RiskTier.HIGH).author(null).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("author");
        assertThatThrownBy(() -> Examples.flag(RiskTier.HIGH).riskAssessment("").build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("RiskAssessment");
        assertThatThrownBy(() -> FlagBuilder.forPatient("1").tier(RiskTier.HIGH).periodStart(STARTED)
                .riskAssessment(RISK_ASSESSMENT).author(DEVICE).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("rule set");
        assertThatThrownBy(() -> Examples.flag(null).periodEnd(Optional.of(STARTED.minusSeconds(1))).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("before");
        assertThatThrownBy(() -> Examples.flag(RiskTier.HIGH).ruleSet("http://calciscreen.example/fhir/rules/x"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Examples.flag(RiskTier.HIGH).evidence(java.util.Arrays.asList("Observation/1", null)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void identityAndMatchUrl() {
        assertThat(FlagBuilder.matchUrl("123"))
                .isEqualTo("Flag?identifier=http://calciscreen.example/fhir/sid/screening|calciphylaxis-risk/123");
        assertThat(FlagBuilder.identifier("123").getValue()).isEqualTo(CanonicalUrls.screeningIdentifierValue("123"));
    }

    @Nested
    class SemanticState {

        @Test
        void ofABuiltFlagIsWhatTheWriterWouldAskFor() {
            Flag flag = Examples.activeFlag(RiskTier.HIGH);
            FlagState state = FlagBuilder.semanticState(flag);
            assertThat(state.status()).isEqualTo(Flag.FlagStatus.ACTIVE);
            assertThat(state.priorityCode()).contains("PH");
            assertThat(state.evidence()).containsExactly("Condition/5", "MedicationRequest/8", "Observation/12");
            assertThat(state).isEqualTo(FlagState.of(RiskTier.HIGH, EVIDENCE));
            assertThat(state.active()).isTrue();
        }

        @Test
        void ignoresOrderVersionsBasesTimesNarrativeAndTheRiskAssessmentReference() {
            Flag written = Examples.activeFlag(RiskTier.MODERATE);
            Flag readBack = Examples.flag(RiskTier.MODERATE).periodStart(Instant.parse("2024-01-01T00:00:00Z"))
                    .riskAssessment("RiskAssessment/78")
                    .evidence(List.of("http://h/fhir/MedicationRequest/8/_history/2", "Condition/5",
                            "Observation/12/_history/7"))
                    .build();
            assertThat(FlagBuilder.semanticState(readBack)).isEqualTo(FlagBuilder.semanticState(written));
        }

        @Test
        void changesWithTheTierTheStatusOrTheEvidence() {
            FlagState high = FlagState.of(RiskTier.HIGH, EVIDENCE);
            assertThat(FlagState.of(RiskTier.MODERATE, EVIDENCE)).isNotEqualTo(high);
            assertThat(FlagState.of(null, EVIDENCE)).isNotEqualTo(high);
            assertThat(FlagState.of(RiskTier.HIGH, EVIDENCE.subList(0, 2))).isNotEqualTo(high);
            assertThat(FlagState.of(RiskTier.HIGH, List.of("Observation/13", "Condition/5", "MedicationRequest/8")))
                    .isNotEqualTo(high);
        }

        @Test
        void ofAnInactiveFlag() {
            FlagState state = FlagBuilder.semanticState(Examples.inactiveFlag());
            assertThat(state.status()).isEqualTo(Flag.FlagStatus.INACTIVE);
            assertThat(state.priorityCode()).isEmpty();
            assertThat(state).isEqualTo(FlagState.of(null, EVIDENCE)).isEqualTo(FlagState.of(RiskTier.LOW, EVIDENCE));
        }

        @Test
        void ofAForeignFlagWithoutExtensions() {
            FlagState state = FlagBuilder.semanticState(new Flag().setStatus(Flag.FlagStatus.ACTIVE));
            assertThat(state).isEqualTo(new FlagState(Flag.FlagStatus.ACTIVE, Optional.empty(), List.of()));
        }

        @Test
        void periodStartToKeep() {
            assertThat(FlagBuilder.periodStartOf(Examples.inactiveFlag())).contains(STARTED);
            assertThat(FlagBuilder.periodStartOf(new Flag())).isEmpty();
            assertThat(FlagBuilder.periodStartOf(null)).isEmpty();
        }
    }

    static void assertCoding(Coding coding, String system, String code, String display) {
        assertThat(coding.getSystem()).isEqualTo(system);
        assertThat(coding.getCode()).isEqualTo(code);
        assertThat(coding.getDisplay()).isEqualTo(display);
    }
}
