package calciscreen.screening.reviews;

import calciscreen.model.resources.ActingPerson;
import calciscreen.model.resources.FlagAction;
import calciscreen.model.terminology.FlagActionKind;
import calciscreen.model.terminology.FlagActionReason;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * What a clinician does about a Flag from the worklist: review, snooze, dismiss ({@code POST
 * /worklist/api/flags/{id}/review|snooze|dismiss}, JSON), and what the page reads to show it: the reasons and the
 * state of every active Flag ({@code GET /worklist/api/reviews}), one Flag's history. Each action is a Task written
 * as the signed-in person; the Flag is never touched.
 */
@RestController
public class FlagActionController {

    private static final Logger log = LoggerFactory.getLogger(FlagActionController.class);
    private static final Pattern FHIR_ID = Pattern.compile("[A-Za-z0-9\\-.]{1,64}");

    private final FlagActions actions;
    private final SignedInSeam signIn;
    private final Clock clock;

    public FlagActionController(FlagActions actions, SignedInSeam signIn, Clock clock) {
        this.actions = actions;
        this.signIn = signIn;
        this.clock = clock;
    }

    /** The body of an action: every field optional as far as JSON goes; what the kind needs is checked. */
    public record ActionBody(String reason, String reasonText, String note, String plan, String until) {}

    public record Reason(String system, String code, String display) {}

    public record State(String flagId, String filter, String why, String text, String by, String at, String until,
                        String reason, String note, String plan, List<String> newEvidence) {}

    public record Reviews(String generatedAt, long maxSnoozeDays, List<Reason> reasons, Map<String, State> states) {}

    @GetMapping(value = "/worklist/api/reviews", produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<Object> reviews(HttpServletRequest request, HttpServletResponse response) {
        if (signIn.person(request).isEmpty()) {
            return refuse(401, "sign in to see the worklist");
        }
        Instant now = clock.instant();
        Map<String, State> states = new LinkedHashMap<>();
        actions.states(signIn.fhir(request, response), now).forEach((id, s) -> states.put(id, state(id, s)));
        return ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(new Reviews(now.toString(),
                actions.decision().maxSnooze().toDays(), reasons(), states));
    }

    @GetMapping(value = "/worklist/api/flags/{id}/actions", produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<Object> history(@PathVariable("id") String id, HttpServletRequest request,
                                          HttpServletResponse response) {
        if (signIn.person(request).isEmpty()) {
            return refuse(401, "sign in to see the worklist");
        }
        if (!FHIR_ID.matcher(id).matches()) {
            return refuse(400, "not a FHIR id");
        }
        List<State> history = actions.history(signIn.fhir(request, response), id).stream()
                .map(a -> state(id, a.kind().code().code(), a)).toList();
        return ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(Map.of("flagId", id, "actions", history));
    }

    @PostMapping(value = "/worklist/api/flags/{id}/{action}", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<Object> act(@PathVariable("id") String id, @PathVariable("action") String action,
                                      @RequestBody(required = false) ActionBody body, HttpServletRequest request,
                                      HttpServletResponse response) {
        Optional<ActingPerson> person = signIn.person(request);
        if (person.isEmpty()) {
            return refuse(401, "sign in to act on a Flag");
        }
        if (!signIn.mayAct(request)) {
            return refuse(403, "your role may read the worklist, not act on Flags");
        }
        FlagActionKind kind = switch (action) {
            case "review" -> FlagActionKind.REVIEWED;
            case "snooze" -> FlagActionKind.SNOOZED;
            case "dismiss" -> FlagActionKind.DISMISSED;
            default -> null;
        };
        if (kind == null) {
            return refuse(404, "no such action: review, snooze or dismiss");
        }
        if (!FHIR_ID.matcher(id).matches()) {
            return refuse(400, "not a FHIR id");
        }
        ActionBody b = body == null ? new ActionBody(null, null, null, null, null) : body;
        Optional<FlagActionReason> reason = Optional.empty();
        if (b.reason() != null && !b.reason().isBlank()) {
            reason = FlagActionReason.ofCode(b.reason().trim());
            if (reason.isEmpty()) {
                return refuse(400, "reason is not one of " + String.join(", ",
                        Arrays.stream(FlagActionReason.values()).map(r -> r.code().code()).toList()));
            }
        }
        Optional<Instant> until = Optional.empty();
        if (kind == FlagActionKind.SNOOZED) {
            if (b.until() == null || b.until().isBlank()) {
                return refuse(400, "a snooze needs until (a date, YYYY-MM-DD)");
            }
            try {
                until = Optional.of(LocalDate.parse(b.until().trim()).atStartOfDay(ZoneOffset.UTC).toInstant());
            } catch (DateTimeParseException e) {
                return refuse(400, "until is not a date (YYYY-MM-DD)");
            }
        } else if (b.until() != null && !b.until().isBlank()) {
            return refuse(400, "only a snooze has until");
        }
        if (kind == FlagActionKind.REVIEWED && (reason.isPresent() || (b.reasonText() != null
                && !b.reasonText().isBlank()))) {
            return refuse(400, "a review has a note and a plan, not a reason");
        }
        RowState state = actions.act(signIn.fhir(request, response), person.get(), id,
                new FlagActions.Request(kind, reason, b.reasonText(), b.note(), b.plan(), until), clock.instant());
        return ResponseEntity.status(201).cacheControl(CacheControl.noStore()).body(state(id, state));
    }

    @ExceptionHandler(FlagActions.Refused.class)
    public ResponseEntity<Object> refused(FlagActions.Refused e) {
        return refuse(400, e.getMessage());
    }

    @ExceptionHandler(FlagActions.NoSuchFlag.class)
    public ResponseEntity<Object> noFlag(FlagActions.NoSuchFlag e) {
        return refuse(404, e.getMessage());
    }

    @ExceptionHandler(org.springframework.http.converter.HttpMessageNotReadableException.class)
    public ResponseEntity<Object> unreadable(Exception e) {
        return refuse(400, "the body is not the JSON of an action");
    }

    @ExceptionHandler(RuntimeException.class)
    public ResponseEntity<Object> failed(RuntimeException e) {
        log.warn("event=flag_action_failed error={} detail=\"{}\"", e.getClass().getSimpleName(),
                String.valueOf(e.getMessage()).replace('"', '\'').lines().findFirst().orElse(""));
        return refuse(502, "the FHIR server could not be read or written; nothing was recorded, try again");
    }

    static List<Reason> reasons() {
        return Arrays.stream(FlagActionReason.values())
                .map(r -> new Reason(r.code().system(), r.code().code(), r.code().display())).toList();
    }

    static State state(String flagId, RowState s) {
        String why = s instanceof RowState.NeedsLook n ? n.why().name().toLowerCase(java.util.Locale.ROOT) : null;
        String text = s instanceof RowState.NeedsLook n ? n.text() : null;
        List<String> fresh = s instanceof RowState.NeedsLook n ? n.newEvidence() : List.of();
        String until = s instanceof RowState.Snoozed z ? z.until().toString() : null;
        Optional<FlagAction> last = s.last();
        return new State(flagId, s.filter(), why, text, last.map(a -> a.by().shown()).orElse(null),
                last.map(a -> a.at().toString()).orElse(null), until,
                last.flatMap(FlagAction::reasonText).orElse(null), last.flatMap(FlagAction::note).orElse(null),
                last.flatMap(FlagAction::plan).orElse(null), fresh);
    }

    private static State state(String flagId, String filter, FlagAction a) {
        return new State(flagId, filter, null, null, a.by().shown(), a.at().toString(),
                a.snoozeUntil().map(Instant::toString).orElse(null), a.reasonText().orElse(null),
                a.note().orElse(null), a.plan().orElse(null), List.of());
    }

    private static ResponseEntity<Object> refuse(int status, String message) {
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON).cacheControl(CacheControl.noStore())
                .body(Map.of("error", message));
    }
}
