package calciscreen.screening.reviews;

import static org.assertj.core.api.Assertions.assertThat;

import calciscreen.model.resources.FlagAction;
import calciscreen.model.resources.RiskTier;
import calciscreen.model.terminology.FlagActionKind;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FlagActionFiguresTest {

    static final Instant T0 = Instant.parse("2025-03-01T00:00:00Z");

    static FlagActionFigures.RaisedFlag flag(String id, RiskTier tier, List<String> rules) {
        return new FlagActionFigures.RaisedFlag(id, tier, Optional.of(T0), rules);
    }

    static FlagAction action(FlagActionKind kind, String flagId, Duration after, RiskTier tier, List<String> rules) {
        var b = ReviewDecisionTest.action(kind, tier, ReviewDecisionTest.EVIDENCE, T0.plus(after));
        b.reviewedAgainst(tier, ReviewDecisionTest.EVIDENCE, rules);
        if (!kind.fromCds()) {
            b.flag("Flag/" + flagId);
        }
        return ReviewDecisionTest.read(b);
    }

    @Test
    void countsFlagsAndActionsPerTierAndRule() {
        FlagActionFigures f = FlagActionFigures.of(List.of(flag("1", RiskTier.HIGH, List.of("R1", "R5")),
                flag("2", RiskTier.MODERATE, List.of("R1")), flag("3", RiskTier.LOW, List.of())),
                List.of(action(FlagActionKind.REVIEWED, "1", Duration.ofHours(2), RiskTier.HIGH, List.of("R1", "R5")),
                        action(FlagActionKind.DISMISSED, "2", Duration.ofHours(4), RiskTier.MODERATE, List.of("R1"))));
        assertThat(f.raisedByTier()).isEqualTo(Map.of("high", 1, "moderate", 1, "inactive", 1));
        assertThat(f.raisedByRule()).isEqualTo(Map.of("R1", 2, "R5", 1));
        assertThat(f.actionsByKindTier()).isEqualTo(Map.of("reviewed|high", 1, "dismissed|moderate", 1));
        assertThat(f.actionsByKindRule()).isEqualTo(Map.of("reviewed|R1", 1, "reviewed|R5", 1, "dismissed|R1", 1));
    }

    @Test
    void overrideRateIsPerRuleAmongCardFeedback() {
        FlagActionFigures f = FlagActionFigures.of(List.of(), List.of(
                action(FlagActionKind.CARD_OVERRIDDEN, "1", Duration.ZERO, RiskTier.HIGH, List.of("R1", "R5")),
                action(FlagActionKind.CARD_ACCEPTED, "1", Duration.ZERO, RiskTier.HIGH, List.of("R1")),
                action(FlagActionKind.CARD_OVERRIDDEN, "1", Duration.ZERO, RiskTier.HIGH, List.of("R1")),
                action(FlagActionKind.CARD_ACCEPTED, "1", Duration.ZERO, RiskTier.HIGH, List.of("R1"))));
        assertThat(f.overrideRateByRule()).isEqualTo(Map.of("R1", 0.5, "R5", 1.0));
        assertThat(f.firstReview()).isEmpty();
    }

    @Test
    void timeToFirstReviewTakesEachFlagsFirstActionAndGivesMedianAndP90() {
        List<FlagActionFigures.RaisedFlag> flags = new ArrayList<>();
        List<FlagAction> actions = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            flags.add(flag(String.valueOf(i), RiskTier.MODERATE, List.of("R1")));
            actions.add(action(FlagActionKind.REVIEWED, String.valueOf(i), Duration.ofHours(i), RiskTier.MODERATE,
                    List.of("R1")));
            actions.add(action(FlagActionKind.SNOOZED, String.valueOf(i), Duration.ofHours(100 + i), RiskTier.MODERATE,
                    List.of("R1")));
        }
        FlagActionFigures f = FlagActionFigures.of(flags, actions);
        assertThat(f.firstReview()).hasSize(10);
        assertThat(f.firstReviewQuantile(0.5)).contains(5 * 3600.0);
        assertThat(f.firstReviewQuantile(0.9)).contains(9 * 3600.0);
        assertThat(FlagActionFigures.of(flags, List.of()).firstReviewQuantile(0.5)).isEmpty();
    }
}
