package calciscreen.screening.rules;

import calciscreen.model.terminology.Concept;
import java.util.List;
import java.util.Set;

/**
 * An active MedicationRequest (active, on-hold) or MedicationStatement (active, intended) whose drug is in one or
 * more of the rules' value sets.
 *
 * @param concepts the value sets its drug is in (WARFARIN, GLUCOCORTICOID_SYSTEMIC, IRON_DEXTRAN, ALBUMIN_INFUSION)
 * @param sources  the request or statement, then the referenced Medication when it is a separate resource
 */
public record MedicationFact(Set<Concept> concepts, List<String> sources) {

    public MedicationFact {
        concepts = Set.copyOf(concepts);
        sources = List.copyOf(sources);
    }

    public boolean is(Concept concept) {
        return concepts.contains(concept);
    }
}
