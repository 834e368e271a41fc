package calciscreen.screening.reviews;

import calciscreen.model.CanonicalUrls;
import calciscreen.model.resources.ActingPerson;
import calciscreen.model.resources.FlagAction;
import calciscreen.model.resources.FlagActionBuilder;
import calciscreen.model.resources.FlagBuilder;
import calciscreen.model.terminology.FlagActionKind;
import calciscreen.model.terminology.FlagActionReason;
import calciscreen.screening.context.SearchPages;
import calciscreen.screening.flags.RuleResults;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.Flag;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.RiskAssessment;
import org.hl7.fhir.r4.model.Task;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads and writes flag actions through the FHIR REST API with the client it is given (the signed-in person's):
 * a Flag's Tasks ({@code Task?focus=Flag/..}), the row states of the active Flags, and a new action.
 */
public class FlagActions {

    private static final Logger log = LoggerFactory.getLogger(FlagActions.class);
    static final int PAGE = 500;
    static final int CHUNK = 100;
    static final String WORKLIST_KINDS = String.join(",", List.of(FlagActionKind.REVIEWED, FlagActionKind.SNOOZED,
            FlagActionKind.DISMISSED).stream().map(k -> k.code().system() + "|" + k.code().code()).toList());

    private final ReviewDecision decision;

    public FlagActions(ReviewDecision decision) {
        this.decision = decision;
    }

    public ReviewDecision decision() {
        return decision;
    }

    /** What a clinician asks for: the kind and what goes with it (the controller has checked the shape). */
    public record Request(FlagActionKind kind, Optional<FlagActionReason> reason, String reasonText, String note,
                         String plan, Optional<Instant> snoozeUntil) {}

    /** The request does not fit (a snooze past the maximum, a reason missing): a 400 with this sentence. */
    public static final class Refused extends RuntimeException {
        public Refused(String message) {
            super(message);
        }
    }

    /** The Flag is not there, not ours, not active, or not visible to this person: all one answer (404). */
    public static final class NoSuchFlag extends RuntimeException {
        public NoSuchFlag(String flagId) {
            super("no active calciphylaxis-risk Flag/" + flagId);
        }
    }

    /** Records the action on the Flag as a Task (as the person), and answers the Flag's new state. */
    public RowState act(IGenericClient client, ActingPerson person, String flagId, Request request, Instant now) {
        Flag flag = activeFlag(client, flagId);
        FlagNow current = FlagNow.of(flag);
        request.snoozeUntil().ifPresent(until -> {
            if (!until.isAfter(now)) {
                throw new Refused("a snooze ends in the future");
            }
            if (until.isAfter(now.plus(decision.maxSnooze()))) {
                throw new Refused("a snooze lasts at most " + decision.maxSnooze().toDays() + " days");
            }
        });
        FlagActionBuilder builder = FlagActionBuilder.of(request.kind()).flag("Flag/" + current.flagId())
                .patient("Patient/" + current.patientId()).by(person).at(now)
                .reviewedAgainst(current.tier(), current.evidence(), rulesFired(client, current.patientId()))
                .reason(request.reason(), request.reasonText()).note(request.note()).plan(request.plan());
        request.snoozeUntil().ifPresent(builder::snoozeUntil);
        Task task;
        try {
            task = builder.build();
        } catch (IllegalStateException | IllegalArgumentException e) {
            throw new Refused(e.getMessage().replace("flag action: ", ""));
        }
        Task created = (Task) client.create().resource(task).execute().getResource();
        FlagAction action = FlagAction.of(created != null ? created : task).orElseThrow();
        log.info("event=flag_action action={} flag={} patient={} task={} tier={}", request.kind().code().code(),
                current.flagId(), current.patientId(), action.taskId(), current.tier());
        return decision.stateOf(current, List.of(action), now);
    }

    /** The state of every active calciphylaxis-risk Flag the client can read, by Flag id. */
    public Map<String, RowState> states(IGenericClient client, Instant now) {
        List<FlagNow> flags = new ArrayList<>();
        for (Resource r : SearchPages.all(client, "Flag?status=active&identifier="
                + CanonicalUrls.SCREENING_IDENTIFIER_SYSTEM + "|&_count=" + PAGE)) {
            if (r instanceof Flag f && f.getStatus() == Flag.FlagStatus.ACTIVE
                    && f.getCode().getCoding().stream().anyMatch(FlagBuilder.FLAG_CODE::matches)) {
                flags.add(FlagNow.of(f));
            }
        }
        List<FlagAction> actions = actionsOn(client, flags.stream().map(FlagNow::flagId).toList());
        Map<String, List<FlagAction>> byFlag = actions.stream().filter(a -> a.flagId().isPresent())
                .collect(Collectors.groupingBy(a -> a.flagId().get()));
        Map<String, RowState> states = new LinkedHashMap<>();
        for (FlagNow flag : flags) {
            states.put(flag.flagId(), decision.stateOf(flag, byFlag.getOrDefault(flag.flagId(), List.of()), now));
        }
        return states;
    }

    /** The worklist actions (reviewed, snoozed, dismissed) on these Flags, a hundred Flags per search. */
    public List<FlagAction> actionsOn(IGenericClient client, Collection<String> flagIds) {
        List<String> ids = List.copyOf(flagIds);
        List<FlagAction> actions = new ArrayList<>();
        for (int i = 0; i < ids.size(); i += CHUNK) {
            String focus = ids.subList(i, Math.min(ids.size(), i + CHUNK)).stream().map(id -> "Flag/" + id)
                    .collect(Collectors.joining(","));
            for (Resource r : SearchPages.all(client,
                    "Task?focus=" + focus + "&code=" + WORKLIST_KINDS + "&_count=" + PAGE)) {
                if (r instanceof Task t) {
                    FlagAction.of(t).ifPresent(actions::add);
                }
            }
        }
        return actions;
    }

    /** Everything done about one Flag, newest first (the history a row shows). */
    public List<FlagAction> history(IGenericClient client, String flagId) {
        activeOrPastFlag(client, flagId);
        return actionsOn(client, List.of(flagId)).stream().sorted(ReviewDecision.NEWEST_FIRST).toList();
    }

    private Flag activeFlag(IGenericClient client, String flagId) {
        Flag flag = activeOrPastFlag(client, flagId);
        if (flag.getStatus() != Flag.FlagStatus.ACTIVE) {
            throw new NoSuchFlag(flagId);
        }
        return flag;
    }

    private static Flag activeOrPastFlag(IGenericClient client, String flagId) {
        Flag flag;
        try {
            flag = client.read().resource(Flag.class).withId(flagId).execute();
        } catch (ResourceNotFoundException | ResourceGoneException | ForbiddenOperationException e) {
            throw new NoSuchFlag(flagId);
        }
        boolean ours = flag.getCode().getCoding().stream().anyMatch(FlagBuilder.FLAG_CODE::matches);
        if (!ours || !flag.getSubject().getReferenceElement().hasIdPart()) {
            throw new NoSuchFlag(flagId);
        }
        return flag;
    }

    /** The rules that fired, from the patient's RiskAssessment (its rule results; a legacy one's notes). */
    private static List<String> rulesFired(IGenericClient client, String patientId) {
        List<String> rules = new ArrayList<>();
        for (Resource r : SearchPages.all(client,
                "RiskAssessment?identifier=" + CanonicalUrls.SCREENING_IDENTIFIER_SYSTEM
                + "|" + CanonicalUrls.screeningIdentifierValue(patientId) + "&_elements=extension,note")) {
            if (r instanceof RiskAssessment ra) {
                rules.addAll(RuleResults.firedRules(ra));
            }
        }
        return rules;
    }
}
