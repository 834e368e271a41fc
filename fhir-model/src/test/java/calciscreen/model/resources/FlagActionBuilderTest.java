package calciscreen.model.resources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import calciscreen.model.CanonicalUrls;
import calciscreen.model.terminology.FlagActionKind;
import calciscreen.model.terminology.FlagActionReason;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.r4.model.Task;
import org.junit.jupiter.api.Test;

class FlagActionBuilderTest {

    static final Instant AT = Instant.parse("2025-03-02T09:00:00Z");
    static final ActingPerson DR = ActingPerson.ofReference("Practitioner/7", "Dr A. Clinician");

    static FlagActionBuilder action(FlagActionKind kind) {
        return FlagActionBuilder.of(kind).flag("Flag/12").patient("Patient/" + Examples.PATIENT).by(DR).at(AT)
                .reviewedAgainst(RiskTier.HIGH, List.of("Observation/12", "Condition/5", "RiskAssessment/77"),
                        List.of("R5", "R1"));
    }

    @Test
    void reviewIsACompletedTaskFocusedOnTheFlagNamingThePerson() {
        Task task = action(FlagActionKind.REVIEWED).note("discussed with nephrologist").plan("PTH repeat in 2 weeks")
                .build();
        assertThat(task.getStatus()).isEqualTo(Task.TaskStatus.COMPLETED);
        assertThat(task.getIntent()).isEqualTo(Task.TaskIntent.ORDER);
        assertThat(task.getCode().getCodingFirstRep().getSystem()).isEqualTo(CanonicalUrls.FLAG_ACTION_SYSTEM);
        assertThat(task.getCode().getCodingFirstRep().getCode()).isEqualTo("reviewed");
        assertThat(task.getFocus().getReference()).isEqualTo("Flag/12");
        assertThat(task.getFor().getReference()).isEqualTo("Patient/123");
        assertThat(task.getOwner().getReference()).isEqualTo("Practitioner/7");
        assertThat(task.getRequester().getReference()).isEqualTo("Practitioner/7");
        assertThat(task.getOwner().getDisplay()).isEqualTo("Dr A. Clinician");
        assertThat(task.getAuthoredOn().toInstant()).isEqualTo(AT);
        assertThat(task.getNoteFirstRep().getText()).isEqualTo("discussed with nephrologist");
        assertThat(task.hasRestriction()).isFalse();
        assertThat(task.getText().getDivAsString()).contains("Reviewed", "Dr A. Clinician", "PTH repeat in 2 weeks");
    }

    @Test
    void whatWasReviewedAgainstReadsBack() {
        FlagAction read = FlagAction.of(action(FlagActionKind.REVIEWED).plan("PTH repeat in 2 weeks").build())
                .orElseThrow();
        assertThat(read.kind()).isEqualTo(FlagActionKind.REVIEWED);
        assertThat(read.flagId()).contains("12");
        assertThat(read.patientId()).isEqualTo("123");
        assertThat(read.by()).isEqualTo(DR);
        assertThat(read.at()).isEqualTo(AT);
        assertThat(read.tier()).isEqualTo(RiskTier.HIGH);
        assertThat(read.evidence()).containsExactly("Condition/5", "Observation/12");
        assertThat(read.rules()).containsExactly("R1", "R5");
        assertThat(read.fingerprint()).isEqualTo(FlagActionBuilder.fingerprint(List.of("Observation/12", "Condition/5")));
        assertThat(read.plan()).contains("PTH repeat in 2 weeks");
        assertThat(read.snoozeUntil()).isEmpty();
    }

    @Test
    void snoozeEndsInRestrictionPeriodEndWithItsReason() {
        Instant until = AT.plus(Duration.ofDays(14));
        Task task = action(FlagActionKind.SNOOZED).snoozeUntil(until)
                .reason(Optional.of(FlagActionReason.RISK_FACTORS_ADDRESSED), "cinacalcet started").build();
        assertThat(task.getRestriction().getPeriod().getEnd().toInstant()).isEqualTo(until);
        assertThat(task.getReasonCode().getCodingFirstRep().getCode()).isEqualTo("risk-factors-addressed");
        assertThat(task.getReasonCode().getText()).isEqualTo("cinacalcet started");
        FlagAction read = FlagAction.of(task).orElseThrow();
        assertThat(read.snoozeUntil()).contains(until);
        assertThat(read.reason()).contains(FlagActionReason.RISK_FACTORS_ADDRESSED);
        assertThat(read.reasonText()).contains("cinacalcet started");
    }

    @Test
    void dismissalWithoutFreeTextShowsTheListDisplay() {
        FlagAction read = FlagAction.of(action(FlagActionKind.DISMISSED)
                .reason(Optional.of(FlagActionReason.GOALS_OF_CARE), null).build()).orElseThrow();
        assertThat(read.reason()).contains(FlagActionReason.GOALS_OF_CARE);
        assertThat(read.reasonText()).contains("Not in line with goals of care");
    }

    @Test
    void aPersonKnownOnlyByTheirSignInIsALogicalReference() {
        Task task = action(FlagActionKind.REVIEWED)
                .by(ActingPerson.ofIdentifier("https://idp.example.org", "u-42", "B. Nurse")).build();
        assertThat(task.getOwner().hasReference()).isFalse();
        assertThat(task.getOwner().getIdentifier().getSystem()).isEqualTo("https://idp.example.org");
        assertThat(task.getOwner().getIdentifier().getValue()).isEqualTo("u-42");
        assertThat(FlagAction.of(task).orElseThrow().by().shown()).isEqualTo("B. Nurse");
    }

    @Test
    void theIdentifierMakesACreateIdempotent() {
        Task task = action(FlagActionKind.CARD_OVERRIDDEN).identifier("card-1/overridden").cdsCard("card-1").build();
        assertThat(task.getIdentifierFirstRep().getSystem()).isEqualTo(CanonicalUrls.FLAG_ACTION_IDENTIFIER_SYSTEM);
        assertThat(FlagActionBuilder.matchUrl("card-1/overridden"))
                .isEqualTo("Task?identifier=" + CanonicalUrls.FLAG_ACTION_IDENTIFIER_SYSTEM + "|card-1/overridden");
        assertThat(FlagAction.of(task).orElseThrow().cdsCard()).contains("card-1");
    }

    @Test
    void cdsFeedbackMayLackTheFlagAWorklistActionMayNot() {
        Task card = FlagActionBuilder.of(FlagActionKind.CARD_OVERRIDDEN).patient("Patient/3").by(DR).at(AT)
                .reviewedAgainst(RiskTier.MODERATE, List.of("Observation/1"), List.of("R1")).cdsCard("c-1").build();
        assertThat(card.hasFocus()).isFalse();
        assertThat(FlagAction.of(card).orElseThrow().flagId()).isEmpty();
        assertThatThrownBy(() -> FlagActionBuilder.of(FlagActionKind.REVIEWED).patient("Patient/3").by(DR).at(AT)
                .reviewedAgainst(RiskTier.MODERATE, List.of(), List.of()).build())
                .hasMessageContaining("the Flag is required");
    }

    @Test
    void cdsFeedbackOnAPatientNotOnThisServerNamesTheEhrsIdLogically() {
        Task card = FlagActionBuilder.of(FlagActionKind.CARD_OVERRIDDEN).cdsPatient("ehr-77").by(DR).at(AT)
                .reviewedAgainst(RiskTier.HIGH, List.of("Observation/1"), List.of("R1")).cdsCard("c-2").build();
        assertThat(card.getFor().hasReference()).isFalse();
        assertThat(card.getFor().getIdentifier().getSystem()).isEqualTo(CanonicalUrls.CDS_PATIENT_IDENTIFIER_SYSTEM);
        assertThat(card.getGroupIdentifier().getValue()).isEqualTo("ehr-77");
        assertThat(FlagActionBuilder.cdsPatientSearch("ehr-77"))
                .isEqualTo("group-identifier=" + CanonicalUrls.CDS_PATIENT_IDENTIFIER_SYSTEM + "|ehr-77");
        assertThat(FlagAction.of(card).orElseThrow().patientId()).isEqualTo("ehr-77");
    }

    @Test
    void refusesWhatDoesNotFitTheKind() {
        assertThatThrownBy(() -> action(FlagActionKind.SNOOZED).reason(Optional.empty(), "on holiday").build())
                .hasMessageContaining("a snooze has an end");
        assertThatThrownBy(() -> action(FlagActionKind.SNOOZED).snoozeUntil(AT).reason(Optional.empty(), "x").build())
                .hasMessageContaining("ends after it starts");
        assertThatThrownBy(() -> action(FlagActionKind.SNOOZED).snoozeUntil(AT.plusSeconds(60)).build())
                .hasMessageContaining("a snooze has a reason");
        assertThatThrownBy(() -> action(FlagActionKind.DISMISSED).reason(Optional.empty(), "nope").build())
                .hasMessageContaining("reason from the list");
        assertThatThrownBy(() -> action(FlagActionKind.DISMISSED).reason(Optional.of(FlagActionReason.OTHER), " ")
                .build()).hasMessageContaining("'other' needs the free text");
        assertThatThrownBy(() -> action(FlagActionKind.REVIEWED).snoozeUntil(AT.plusSeconds(60)).build())
                .hasMessageContaining("only a snooze");
        assertThatThrownBy(() -> action(FlagActionKind.REVIEWED).note("x".repeat(FlagActionBuilder.MAX_TEXT + 1)))
                .hasMessageContaining("longer than");
        assertThatThrownBy(() -> FlagActionBuilder.of(FlagActionKind.REVIEWED).flag("Patient/1"))
                .hasMessageContaining("not a Flag reference");
    }

    @Test
    void fingerprintIgnoresOrderSpellingAndTheRiskAssessment() {
        assertThat(FlagActionBuilder.fingerprint(List.of("Observation/12/_history/3", "Condition/5")))
                .isEqualTo(FlagActionBuilder.fingerprint(List.of("Condition/5", "RiskAssessment/77", "Observation/12")))
                .startsWith("sha256:");
        assertThat(FlagActionBuilder.fingerprint(List.of("Condition/5")))
                .isNotEqualTo(FlagActionBuilder.fingerprint(List.of("Condition/6")));
    }

    @Test
    void evidenceNotSeenIsWhatScoresNowAndDidNotThen() {
        FlagAction read = FlagAction.of(action(FlagActionKind.REVIEWED).build()).orElseThrow();
        assertThat(read.evidenceNotSeenIn(List.of("Condition/5", "Observation/12"))).isEmpty();
        assertThat(read.evidenceNotSeenIn(List.of("Condition/5"))).isEmpty();
        assertThat(read.evidenceNotSeenIn(List.of("Condition/5", "Observation/99", "Condition/8")))
                .containsExactly("Condition/8", "Observation/99");
    }

    @Test
    void aTaskThatIsNotACompleteFlagActionIsIgnored() {
        Task notOurs = action(FlagActionKind.REVIEWED).build();
        notOurs.getCode().getCodingFirstRep().setSystem("http://elsewhere.example/cs");
        assertThat(FlagAction.of(notOurs)).isEmpty();
        Task noTier = action(FlagActionKind.REVIEWED).build();
        noTier.getInput().removeIf(i -> FlagActionBuilder.INPUT_TIER.matches(i.getType().getCodingFirstRep()));
        assertThat(FlagAction.of(noTier)).isEmpty();
        Task cancelled = action(FlagActionKind.REVIEWED).build().setStatus(Task.TaskStatus.CANCELLED);
        assertThat(FlagAction.of(cancelled)).isEmpty();
    }
}
