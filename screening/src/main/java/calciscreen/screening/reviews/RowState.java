package calciscreen.screening.reviews;

import calciscreen.model.resources.FlagAction;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** What the worklist shows for a Flag, given what clinicians did about it: {@link ReviewDecision#stateOf}. */
public sealed interface RowState permits RowState.NeedsLook, RowState.Reviewed, RowState.Snoozed, RowState.Dismissed {

    /** The filter the row is in: {@code needs-look}, {@code reviewed}, {@code snoozed}, {@code dismissed}. */
    String filter();

    /** The last action on the Flag, if any. */
    Optional<FlagAction> last();

    /** Why a Flag needs a look. */
    enum Why {
        /** Nobody has acted on it yet. */
        NEW,
        /** Its tier is higher than the one the last action saw. */
        TIER_ROSE,
        /** Something scores now that did not when the last action was taken. */
        NEW_EVIDENCE,
        /** The snooze is over. */
        SNOOZE_ENDED
    }

    /**
     * The Flag needs a look.
     *
     * @param why         the reason
     * @param text        the sentence the row shows ("Back: tier rose from moderate to high since dismissed by ...")
     * @param newEvidence for {@link Why#NEW_EVIDENCE}: the references that score now and did not then
     * @param last        the action it is back from (empty for {@link Why#NEW})
     */
    record NeedsLook(Why why, String text, List<String> newEvidence, Optional<FlagAction> last) implements RowState {
        public NeedsLook {
            newEvidence = List.copyOf(newEvidence);
        }

        @Override
        public String filter() {
            return "needs-look";
        }
    }

    /** Reviewed, and nothing has changed since. */
    record Reviewed(FlagAction action) implements RowState {
        @Override
        public String filter() {
            return "reviewed";
        }

        @Override
        public Optional<FlagAction> last() {
            return Optional.of(action);
        }
    }

    /** Snoozed until {@code until} (the asked end, capped at the maximum snooze), and nothing has changed since. */
    record Snoozed(FlagAction action, Instant until) implements RowState {
        @Override
        public String filter() {
            return "snoozed";
        }

        @Override
        public Optional<FlagAction> last() {
            return Optional.of(action);
        }
    }

    /** Dismissed as not applicable, and nothing has changed since. */
    record Dismissed(FlagAction action) implements RowState {
        @Override
        public String filter() {
            return "dismissed";
        }

        @Override
        public Optional<FlagAction> last() {
            return Optional.of(action);
        }
    }
}
