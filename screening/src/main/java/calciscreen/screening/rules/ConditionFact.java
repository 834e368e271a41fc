package calciscreen.screening.rules;

import calciscreen.model.terminology.Concept;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * A Condition in one or more of the rules' value sets, with its status already read. Refuted and entered-in-error
 * Conditions never become facts.
 *
 * @param concepts  the value sets its code is in
 * @param status    its clinical status
 * @param abatement when it abated, if abatement[x] says so ({@link Instant#MIN} when abatement is stated without a
 *                  date we can place, e.g. abatementString: treated as past)
 * @param source    {@code Condition/<id>}
 */
public record ConditionFact(Set<Concept> concepts, Status status, Optional<Instant> abatement, String source) {

    public ConditionFact {
        concepts = Set.copyOf(concepts);
    }

    /** screening-rules.md, "Condition status". */
    public enum Status {
        /** clinicalStatus active, recurrence or relapse. */
        CURRENT,
        /** No clinicalStatus: current unless abatement[x] is in the past. */
        ABSENT,
        /** clinicalStatus inactive, remission or resolved: counts for R12 only. */
        PAST
    }

    /** Counts for every rule but R12 at {@code at}. */
    public boolean isCurrent(Instant at) {
        return switch (status) {
            case CURRENT -> true;
            case ABSENT -> abatement.map(a -> a.isAfter(at)).orElse(true);
            case PAST -> false;
        };
    }

    public boolean is(Concept concept) {
        return concepts.contains(concept);
    }
}
