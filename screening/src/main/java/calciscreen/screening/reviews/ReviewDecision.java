package calciscreen.screening.reviews;

import calciscreen.model.resources.FlagAction;
import calciscreen.model.resources.RiskTier;
import calciscreen.model.terminology.FlagActionKind;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Whether a Flag needs a clinician's look, and whether an overridden CDS card stays quiet: pure functions of the Flag
 * (or the assessment) as it is now, the actions taken on it and the time. No Spring, no HTTP, no clock.
 *
 * <p>The last worklist action (reviewed, snoozed, dismissed) holds while nothing it saw has changed: the tier is not
 * higher and nothing scores that did not then. A lab that does not score is not on the Flag, so it changes nothing. A
 * snooze also ends at its date, at most {@code maxSnooze} after it was taken.
 */
public final class ReviewDecision {

    /** Newest first; ties by Task id, so the answer never depends on the order the server returned them in. */
    static final Comparator<FlagAction> NEWEST_FIRST = Comparator.comparing(FlagAction::at).reversed()
            .thenComparing(FlagAction::taskId, Comparator.reverseOrder());

    private final Duration maxSnooze;
    private final Duration overriddenCardQuietFor;

    /**
     * @param maxSnooze              the longest a snooze holds (a longer one asked for ends at this)
     * @param overriddenCardQuietFor how long an overridden CDS card stays hidden while nothing changes; zero: an
     *                               overridden card is shown again at the next call
     */
    public ReviewDecision(Duration maxSnooze, Duration overriddenCardQuietFor) {
        if (maxSnooze == null || maxSnooze.isNegative() || maxSnooze.isZero()) {
            throw new IllegalArgumentException("the maximum snooze must be positive");
        }
        if (overriddenCardQuietFor == null || overriddenCardQuietFor.isNegative()) {
            throw new IllegalArgumentException("the quiet time of an overridden card must not be negative");
        }
        this.maxSnooze = maxSnooze;
        this.overriddenCardQuietFor = overriddenCardQuietFor;
    }

    public Duration maxSnooze() {
        return maxSnooze;
    }

    /** The state of the Flag's row: the actions may include other Flags' and CDS feedback, which are left out. */
    public RowState stateOf(FlagNow flag, Collection<FlagAction> actions, Instant now) {
        Objects.requireNonNull(flag, "flag");
        Optional<FlagAction> last = actions.stream()
                .filter(a -> !a.kind().fromCds() && a.flagId().filter(flag.flagId()::equals).isPresent())
                .min(NEWEST_FIRST);
        if (last.isEmpty()) {
            return new RowState.NeedsLook(RowState.Why.NEW, "New: nobody has reviewed this Flag yet", List.of(),
                    Optional.empty());
        }
        FlagAction action = last.get();
        Optional<RowState.NeedsLook> back = changedSince(action, flag.tier(), flag.evidence());
        if (back.isPresent()) {
            return back.get();
        }
        return switch (action.kind()) {
            case REVIEWED -> new RowState.Reviewed(action);
            case DISMISSED -> new RowState.Dismissed(action);
            case SNOOZED -> {
                Instant until = snoozeEnd(action);
                yield now.isBefore(until) ? new RowState.Snoozed(action, until)
                        : new RowState.NeedsLook(RowState.Why.SNOOZE_ENDED, "Back: the snooze by " + who(action)
                        + " ended on " + day(until), List.of(), Optional.of(action));
            }
            default -> throw new IllegalStateException("not a worklist action: " + action.kind());
        };
    }

    /** When a snooze ends: the date asked for, capped at {@code maxSnooze} after it was taken. */
    public Instant snoozeEnd(FlagAction snooze) {
        Instant cap = snooze.at().plus(maxSnooze);
        Instant asked = snooze.snoozeUntil().orElse(cap);
        return asked.isBefore(cap) ? asked : cap;
    }

    /**
     * The override that keeps a CDS card hidden for this patient, if any: the latest card feedback on the patient is
     * an override, it is younger than the quiet time, and the tier is not higher and nothing scores now that did not
     * then. An accepted card after an override shows the card again.
     */
    public Optional<FlagAction> quietingOverride(String patientId, RiskTier tier, Collection<String> evidence,
                                                 Collection<FlagAction> actions, Instant now) {
        if (overriddenCardQuietFor.isZero()) {
            return Optional.empty();
        }
        return actions.stream().filter(a -> a.kind().fromCds() && a.patientId().equals(patientId))
                .min(NEWEST_FIRST)
                .filter(a -> a.kind() == FlagActionKind.CARD_OVERRIDDEN)
                .filter(a -> now.isBefore(a.at().plus(overriddenCardQuietFor)))
                .filter(a -> changedSince(a, tier, List.copyOf(evidence)).isEmpty());
    }

    /** Why the Flag needs a look again since this action, or empty when nothing it saw has changed. */
    static Optional<RowState.NeedsLook> changedSince(FlagAction action, RiskTier tier, List<String> evidence) {
        if (tier.compareTo(action.tier()) > 0) {
            return Optional.of(new RowState.NeedsLook(RowState.Why.TIER_ROSE, "Back: the tier rose from "
                    + name(action.tier()) + " to " + name(tier) + " since " + verb(action) + " by " + who(action)
                    + " on " + day(action.at()), List.of(), Optional.of(action)));
        }
        List<String> fresh = action.evidenceNotSeenIn(evidence);
        if (!fresh.isEmpty()) {
            return Optional.of(new RowState.NeedsLook(RowState.Why.NEW_EVIDENCE, "Back: new evidence ("
                    + String.join(", ", fresh) + ") since " + verb(action) + " by " + who(action) + " on "
                    + day(action.at()), fresh, Optional.of(action)));
        }
        return Optional.empty();
    }

    private static String verb(FlagAction action) {
        return switch (action.kind()) {
            case REVIEWED -> "reviewed";
            case SNOOZED -> "snoozed";
            case DISMISSED -> "dismissed";
            case CARD_ACCEPTED -> "the card was accepted";
            case CARD_OVERRIDDEN -> "the card was overridden";
        };
    }

    private static String who(FlagAction action) {
        return action.by().shown();
    }

    private static String name(RiskTier tier) {
        return tier.name().toLowerCase(Locale.ROOT);
    }

    private static String day(Instant at) {
        return LocalDate.ofInstant(at, ZoneOffset.UTC).toString();
    }
}
