package calciscreen.screening.reviews;

import calciscreen.model.resources.FlagAction;
import calciscreen.model.resources.RiskTier;
import calciscreen.model.terminology.FlagActionKind;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The figures a clinical safety committee asks for, computed from the Flags and their Tasks (pure: no I/O): Flags
 * raised per tier and per rule, actions per kind and tier and per kind and rule, the CDS override rate per rule, and
 * the time from a Flag being raised to its first worklist action (median and 90th percentile).
 *
 * @param raisedByTier       calciphylaxis-risk Flags by current tier ({@code high}, {@code moderate}, {@code inactive})
 * @param raisedByRule       Flags whose current assessment fired the rule
 * @param actionsByKindTier  "kind|tier" -> Tasks (tier the person saw)
 * @param actionsByKindRule  "kind|rule" -> Tasks (rules that had fired)
 * @param overrideRateByRule rule -> overridden / (accepted + overridden) CDS feedback on cards where it fired
 * @param firstReview        seconds from raised to the first worklist action, one per Flag acted on, sorted
 */
public record FlagActionFigures(Map<String, Integer> raisedByTier, Map<String, Integer> raisedByRule,
                                Map<String, Integer> actionsByKindTier, Map<String, Integer> actionsByKindRule,
                                Map<String, Double> overrideRateByRule, List<Double> firstReview) {

    /** A Flag as the figures need it: current tier (LOW when inactive), when raised, the rules that fired now. */
    public record RaisedFlag(String flagId, RiskTier tier, Optional<Instant> raised, Collection<String> rules) {}

    public static FlagActionFigures of(Collection<RaisedFlag> flags, Collection<FlagAction> actions) {
        Map<String, Integer> byTier = new TreeMap<>();
        Map<String, Integer> byRule = new TreeMap<>();
        Map<String, Instant> raisedAt = new TreeMap<>();
        for (RaisedFlag flag : flags) {
            byTier.merge(flag.tier() == RiskTier.LOW ? "inactive" : name(flag.tier()), 1, Integer::sum);
            flag.rules().forEach(rule -> byRule.merge(rule, 1, Integer::sum));
            flag.raised().ifPresent(at -> raisedAt.put(flag.flagId(), at));
        }
        Map<String, Integer> byKindTier = new TreeMap<>();
        Map<String, Integer> byKindRule = new TreeMap<>();
        Map<String, int[]> cards = new TreeMap<>();
        Map<String, Instant> firstAction = new TreeMap<>();
        for (FlagAction action : actions) {
            String kind = action.kind().code().code();
            byKindTier.merge(kind + "|" + name(action.tier()), 1, Integer::sum);
            action.rules().forEach(rule -> byKindRule.merge(kind + "|" + rule, 1, Integer::sum));
            if (action.kind().fromCds()) {
                boolean overridden = action.kind() == FlagActionKind.CARD_OVERRIDDEN;
                action.rules().forEach(rule -> {
                    int[] counts = cards.computeIfAbsent(rule, r -> new int[2]);
                    counts[overridden ? 1 : 0]++;
                });
            } else {
                action.flagId().ifPresent(id -> firstAction.merge(id, action.at(),
                        (a, b) -> a.isBefore(b) ? a : b));
            }
        }
        Map<String, Double> rate = new TreeMap<>();
        cards.forEach((rule, counts) -> rate.put(rule, counts[1] / (double) (counts[0] + counts[1])));
        List<Double> waits = new ArrayList<>();
        firstAction.forEach((flag, at) -> {
            Instant raised = raisedAt.get(flag);
            if (raised != null && !at.isBefore(raised)) {
                waits.add((double) Duration.between(raised, at).toSeconds());
            }
        });
        waits.sort(null);
        return new FlagActionFigures(byTier, byRule, byKindTier, byKindRule, rate, List.copyOf(waits));
    }

    /** The q-quantile (0..1) of the time to first review in seconds, nearest rank; empty when no Flag was acted on. */
    public Optional<Double> firstReviewQuantile(double q) {
        if (firstReview.isEmpty()) {
            return Optional.empty();
        }
        int rank = (int) Math.ceil(q * firstReview.size());
        return Optional.of(firstReview.get(Math.max(0, Math.min(firstReview.size(), rank) - 1)));
    }

    private static String name(RiskTier tier) {
        return tier.name().toLowerCase(Locale.ROOT);
    }
}
