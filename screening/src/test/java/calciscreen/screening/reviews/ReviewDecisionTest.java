package calciscreen.screening.reviews;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import calciscreen.model.resources.ActingPerson;
import calciscreen.model.resources.FlagAction;
import calciscreen.model.resources.FlagActionBuilder;
import calciscreen.model.resources.RiskTier;
import calciscreen.model.terminology.FlagActionKind;
import calciscreen.model.terminology.FlagActionReason;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReviewDecisionTest {

    static final Instant RAISED = Instant.parse("2025-03-01T08:00:00Z");
    static final Instant ACTED = Instant.parse("2025-03-02T09:00:00Z");
    static final Instant LATER = Instant.parse("2025-03-05T09:00:00Z");
    static final ActingPerson DR = ActingPerson.ofReference("Practitioner/7", "Dr A. Clinician");
    static final List<String> EVIDENCE = List.of("Condition/5", "Observation/12");

    final ReviewDecision decision = new ReviewDecision(Duration.ofDays(30), Duration.ofDays(90));

    static FlagNow flag(RiskTier tier, List<String> evidence) {
        return new FlagNow("12", "3", tier, evidence, Optional.of(RAISED));
    }

    static FlagActionBuilder action(FlagActionKind kind, RiskTier tier, List<String> evidence, Instant at) {
        FlagActionBuilder b = FlagActionBuilder.of(kind).patient("Patient/3").by(DR).at(at)
                .reviewedAgainst(tier, evidence, List.of("R1", "R5"));
        if (!kind.fromCds()) {
            b.flag("Flag/12");
        }
        return switch (kind) {
            case SNOOZED -> b.snoozeUntil(at.plus(Duration.ofDays(14))).reason(Optional.empty(), "on leave");
            case DISMISSED, CARD_OVERRIDDEN -> b.reason(Optional.of(FlagActionReason.ALREADY_MANAGED), null);
            default -> b;
        };
    }

    static FlagAction read(FlagActionBuilder b) {
        return FlagAction.of(b.build()).orElseThrow();
    }

    static FlagAction acted(FlagActionKind kind) {
        return read(action(kind, RiskTier.MODERATE, EVIDENCE, ACTED));
    }

    @Test
    void aFlagNobodyActedOnNeedsALook() {
        RowState state = decision.stateOf(flag(RiskTier.MODERATE, EVIDENCE), List.of(), LATER);
        assertThat(state).isInstanceOfSatisfying(RowState.NeedsLook.class,
                s -> assertThat(s.why()).isEqualTo(RowState.Why.NEW));
        assertThat(state.filter()).isEqualTo("needs-look");
    }

    @Test
    void reviewedStaysReviewedWhileNothingScoresAnew() {
        RowState state = decision.stateOf(flag(RiskTier.MODERATE, EVIDENCE), List.of(acted(FlagActionKind.REVIEWED)),
                LATER);
        assertThat(state).isInstanceOfSatisfying(RowState.Reviewed.class,
                s -> assertThat(s.action().by().shown()).isEqualTo("Dr A. Clinician"));
    }

    @Test
    void newScoringEvidenceSinceTheReviewNeedsALookAndSaysWhich() {
        RowState state = decision.stateOf(flag(RiskTier.MODERATE, List.of("Condition/5", "Observation/12",
                "Observation/40")), List.of(acted(FlagActionKind.REVIEWED)), LATER);
        assertThat(state).isInstanceOfSatisfying(RowState.NeedsLook.class, s -> {
            assertThat(s.why()).isEqualTo(RowState.Why.NEW_EVIDENCE);
            assertThat(s.newEvidence()).containsExactly("Observation/40");
            assertThat(s.text()).isEqualTo("Back: new evidence (Observation/40) since reviewed by Dr A. Clinician on "
                    + "2025-03-02");
        });
    }

    @Test
    void snoozedHoldsUntilItsDateThenComesBack() {
        List<FlagAction> actions = List.of(acted(FlagActionKind.SNOOZED));
        assertThat(decision.stateOf(flag(RiskTier.MODERATE, EVIDENCE), actions, LATER))
                .isInstanceOfSatisfying(RowState.Snoozed.class,
                        s -> assertThat(s.until()).isEqualTo(ACTED.plus(Duration.ofDays(14))));
        assertThat(decision.stateOf(flag(RiskTier.MODERATE, EVIDENCE), actions, ACTED.plus(Duration.ofDays(14))))
                .isInstanceOfSatisfying(RowState.NeedsLook.class, s -> {
                    assertThat(s.why()).isEqualTo(RowState.Why.SNOOZE_ENDED);
                    assertThat(s.text()).isEqualTo("Back: the snooze by Dr A. Clinician ended on 2025-03-16");
                });
    }

    @Test
    void aSnoozeLongerThanTheMaximumEndsAtTheMaximum() {
        FlagAction long_ = read(action(FlagActionKind.SNOOZED, RiskTier.MODERATE, EVIDENCE, ACTED)
                .snoozeUntil(ACTED.plus(Duration.ofDays(90))));
        assertThat(decision.snoozeEnd(long_)).isEqualTo(ACTED.plus(Duration.ofDays(30)));
        assertThat(decision.stateOf(flag(RiskTier.MODERATE, EVIDENCE), List.of(long_), ACTED.plus(Duration.ofDays(31))))
                .isInstanceOf(RowState.NeedsLook.class);
    }

    @Test
    void snoozedComesBackWhenTheTierRises() {
        RowState state = decision.stateOf(flag(RiskTier.HIGH, EVIDENCE), List.of(acted(FlagActionKind.SNOOZED)),
                LATER);
        assertThat(state).isInstanceOfSatisfying(RowState.NeedsLook.class, s -> {
            assertThat(s.why()).isEqualTo(RowState.Why.TIER_ROSE);
            assertThat(s.text()).isEqualTo("Back: the tier rose from moderate to high since snoozed by Dr A. Clinician "
                    + "on 2025-03-02");
            assertThat(s.last()).isPresent();
        });
    }

    @Test
    void dismissedComesBackWithANewDiagnosisAndStaysQuietOtherwise() {
        List<FlagAction> dismissed = List.of(acted(FlagActionKind.DISMISSED));
        assertThat(decision.stateOf(flag(RiskTier.MODERATE, EVIDENCE), dismissed, LATER))
                .isInstanceOf(RowState.Dismissed.class);
        assertThat(decision.stateOf(flag(RiskTier.MODERATE, List.of("Condition/5", "Condition/77", "Observation/12")),
                dismissed, LATER)).isInstanceOfSatisfying(RowState.NeedsLook.class,
                s -> assertThat(s.newEvidence()).containsExactly("Condition/77"));
    }

    @Test
    void aLabThatNoLongerScoresOrATierThatFellKeepsItQuiet() {
        List<FlagAction> dismissed = List.of(read(action(FlagActionKind.DISMISSED, RiskTier.HIGH, EVIDENCE, ACTED)));
        assertThat(decision.stateOf(flag(RiskTier.MODERATE, List.of("Condition/5")), dismissed, LATER))
                .isInstanceOf(RowState.Dismissed.class);
    }

    @Test
    void theLatestActionCountsAndOtherFlagsAndCardsDoNot() {
        FlagAction snoozed = acted(FlagActionKind.SNOOZED);
        FlagAction reviewedLater = read(action(FlagActionKind.REVIEWED, RiskTier.MODERATE, EVIDENCE,
                ACTED.plusSeconds(3600)));
        FlagAction otherFlag = read(action(FlagActionKind.DISMISSED, RiskTier.MODERATE, EVIDENCE, LATER)
                .flag("Flag/99"));
        FlagAction card = read(action(FlagActionKind.CARD_OVERRIDDEN, RiskTier.MODERATE, EVIDENCE, LATER));
        assertThat(decision.stateOf(flag(RiskTier.MODERATE, EVIDENCE), List.of(otherFlag, snoozed, card,
                reviewedLater), LATER)).isInstanceOf(RowState.Reviewed.class);
    }

    @Test
    void anOverriddenCardStaysQuietUntilTheTierRisesOrNewEvidenceScores() {
        List<FlagAction> overridden = List.of(acted(FlagActionKind.CARD_OVERRIDDEN));
        assertThat(decision.quietingOverride("3", RiskTier.MODERATE, EVIDENCE, overridden, LATER)).isPresent();
        assertThat(decision.quietingOverride("3", RiskTier.MODERATE, List.of("Observation/12"), overridden, LATER))
                .isPresent();
        assertThat(decision.quietingOverride("3", RiskTier.HIGH, EVIDENCE, overridden, LATER)).isEmpty();
        assertThat(decision.quietingOverride("3", RiskTier.MODERATE, List.of("Condition/5", "Observation/13"),
                overridden, LATER)).isEmpty();
        assertThat(decision.quietingOverride("4", RiskTier.MODERATE, EVIDENCE, overridden, LATER)).isEmpty();
    }

    @Test
    void anOverrideQuietsForTheConfiguredTimeOnlyAndAnAcceptedCardEndsIt() {
        List<FlagAction> overridden = List.of(acted(FlagActionKind.CARD_OVERRIDDEN));
        assertThat(decision.quietingOverride("3", RiskTier.MODERATE, EVIDENCE, overridden,
                ACTED.plus(Duration.ofDays(90)))).isEmpty();
        assertThat(new ReviewDecision(Duration.ofDays(30), Duration.ZERO)
                .quietingOverride("3", RiskTier.MODERATE, EVIDENCE, overridden, LATER)).isEmpty();
        FlagAction acceptedLater = read(action(FlagActionKind.CARD_ACCEPTED, RiskTier.MODERATE, EVIDENCE,
                ACTED.plusSeconds(60)));
        assertThat(decision.quietingOverride("3", RiskTier.MODERATE, EVIDENCE,
                List.of(overridden.get(0), acceptedLater), LATER)).isEmpty();
        assertThat(decision.quietingOverride("3", RiskTier.MODERATE, EVIDENCE,
                List.of(overridden.get(0), acted(FlagActionKind.REVIEWED)), LATER)).isPresent();
    }

    @Test
    void theMaximumSnoozeIsPositive() {
        assertThatThrownBy(() -> new ReviewDecision(Duration.ZERO, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
