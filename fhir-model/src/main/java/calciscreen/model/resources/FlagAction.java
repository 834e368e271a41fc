package calciscreen.model.resources;

import calciscreen.model.CanonicalUrls;
import calciscreen.model.terminology.Code;
import calciscreen.model.terminology.FlagActionKind;
import calciscreen.model.terminology.FlagActionReason;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Task;

/**
 * A flag action read back from its Task ({@link FlagActionBuilder} writes them): what was done, by whom, when, and
 * what the Flag looked like then.
 *
 * @param taskId      the Task's logical id ("" when not stored yet)
 * @param kind        reviewed, snoozed, dismissed, card accepted or overridden
 * @param flagId      the Flag's logical id (empty only for CDS feedback on a patient without a Flag here)
 * @param patientId   the Patient's logical id; for CDS feedback the EHR's patient id (its groupIdentifier)
 * @param by          who acted
 * @param at          Task.authoredOn
 * @param tier        the tier the person saw
 * @param evidence    the scoring evidence the person saw, normalised and sorted
 * @param fingerprint {@link FlagActionBuilder#fingerprint} of that evidence as stored
 * @param rules       the rules that had fired (R1..R12), sorted
 * @param reason      the reason from our list
 * @param reasonText  the free text of the reason (or the list's display when there was no free text)
 * @param note        the clinician's note
 * @param plan        the plan
 * @param snoozeUntil the end of a snooze
 * @param cdsCard     the CDS card's uuid for CDS feedback
 */
public record FlagAction(String taskId, FlagActionKind kind, Optional<String> flagId, String patientId, ActingPerson by,
                         Instant at, RiskTier tier, List<String> evidence, String fingerprint, List<String> rules,
                         Optional<FlagActionReason> reason, Optional<String> reasonText, Optional<String> note,
                         Optional<String> plan, Optional<Instant> snoozeUntil, Optional<String> cdsCard) {

    public FlagAction {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(flagId, "flagId");
        Objects.requireNonNull(patientId, "patientId");
        Objects.requireNonNull(by, "by");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(tier, "tier");
        evidence = List.copyOf(evidence);
        rules = List.copyOf(rules);
    }

    /**
     * The action a Task records, or empty when the Task is not one of ours or lacks what every action has (its code,
     * Flag, Patient, person, time and tier): such a Task is ignored, so a Flag it would have quieted shows as needing
     * a look rather than staying hidden. CDS feedback may lack the Flag.
     */
    public static Optional<FlagAction> of(Task task) {
        if (task == null || task.getStatus() != Task.TaskStatus.COMPLETED) {
            return Optional.empty();
        }
        Optional<FlagActionKind> kind = FlagActionKind.of(task.getCode());
        Optional<ActingPerson> by = ActingPerson.of(task.getOwner()).or(() -> ActingPerson.of(task.getRequester()));
        Instant at = task.hasAuthoredOn() ? task.getAuthoredOn().toInstant() : null;
        String flagId = idOf(task.getFocus(), "Flag");
        String patientId = kind.filter(FlagActionKind::fromCds).isPresent() && task.hasGroupIdentifier()
                && CanonicalUrls.CDS_PATIENT_IDENTIFIER_SYSTEM.equals(task.getGroupIdentifier().getSystem())
                ? task.getGroupIdentifier().getValue() : idOf(task.getFor(), "Patient");
        Optional<RiskTier> tier = Optional.empty();
        List<String> evidence = new ArrayList<>();
        List<String> rules = new ArrayList<>();
        String fingerprint = null;
        Optional<String> plan = Optional.empty();
        Optional<String> card = Optional.empty();
        for (Task.ParameterComponent input : task.getInput()) {
            if (is(input, FlagActionBuilder.INPUT_TIER) && input.getValue() instanceof CodeableConcept cc) {
                tier = RiskTier.ofRiskProbability(cc);
            } else if (is(input, FlagActionBuilder.INPUT_EVIDENCE) && input.getValue() instanceof Reference r
                    && r.hasReference()) {
                evidence.add(r.getReference());
            } else if (input.getValue() instanceof StringType s && s.hasValue()) {
                if (is(input, FlagActionBuilder.INPUT_EVIDENCE_FINGERPRINT)) {
                    fingerprint = s.getValue();
                } else if (is(input, FlagActionBuilder.INPUT_RULE)) {
                    rules.add(s.getValue());
                } else if (is(input, FlagActionBuilder.INPUT_PLAN)) {
                    plan = Optional.of(s.getValue());
                } else if (is(input, FlagActionBuilder.INPUT_CDS_CARD)) {
                    card = Optional.of(s.getValue());
                }
            }
        }
        if (kind.isEmpty() || by.isEmpty() || at == null || (flagId == null && !kind.get().fromCds())
                || patientId == null || tier.isEmpty()) {
            return Optional.empty();
        }
        Optional<Instant> until = task.hasRestriction() && task.getRestriction().getPeriod().hasEnd()
                ? Optional.of(task.getRestriction().getPeriod().getEnd().toInstant()) : Optional.empty();
        if (kind.get() == FlagActionKind.SNOOZED && until.isEmpty()) {
            return Optional.empty();
        }
        List<String> normalised = FlagState.evidenceOnly(evidence);
        CodeableConcept reason = task.hasReasonCode() ? task.getReasonCode() : null;
        return Optional.of(new FlagAction(task.getIdElement().hasIdPart() ? task.getIdElement().getIdPart() : "",
                kind.get(), Optional.ofNullable(flagId), patientId, by.get(), at, tier.get(), normalised,
                fingerprint == null ? FlagActionBuilder.fingerprint(normalised) : fingerprint,
                rules.stream().distinct().sorted().toList(), FlagActionReason.of(reason),
                Optional.ofNullable(reason).filter(CodeableConcept::hasText).map(CodeableConcept::getText),
                task.getNote().stream().filter(n -> n.hasText()).map(n -> n.getText()).findFirst(),
                plan, until, card));
    }

    /** The evidence in {@code current} that this action did not see (normalised, sorted). */
    public List<String> evidenceNotSeenIn(List<String> current) {
        List<String> now = FlagState.evidenceOnly(current);
        if (evidence.isEmpty() && !fingerprint.equals(FlagActionBuilder.fingerprint(List.of()))) {
            // only the fingerprint was kept: all of it is new unless the set is the same
            return fingerprint.equals(FlagActionBuilder.fingerprint(now)) ? List.of() : now;
        }
        return now.stream().filter(r -> !evidence.contains(r)).toList();
    }

    private static boolean is(Task.ParameterComponent input, Code type) {
        return input.hasType() && input.getType().getCoding().stream().anyMatch(type::matches);
    }

    private static String idOf(Reference reference, String type) {
        if (reference == null || !reference.hasReference()) {
            return null;
        }
        org.hl7.fhir.r4.model.IdType id = new org.hl7.fhir.r4.model.IdType(reference.getReference());
        return type.equals(id.getResourceType()) && id.hasIdPart() ? id.getIdPart() : null;
    }
}
