package calciscreen.screening.worklist;

import calciscreen.model.CanonicalUrls;
import calciscreen.screening.audit.ReadAudits;
import calciscreen.screening.rules.RuleId;
import calciscreen.screening.signin.SignInProperties;
import calciscreen.screening.signin.SignedInPeople;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.ResponseBody;

/**
 * The clinicians' worklist: the page ({@code /worklist}, static HTML + JS under {@code static/worklist/}) and the two
 * JSON documents it reads, as the signed-in person (with their access token, never the screening's). The page polls
 * {@code /worklist/api/flags} to update without a reload. A patient view opens only for a patient with a
 * calciphylaxis-risk Flag (active or past), unless the person's role allows any patient; one outside their reach gets
 * the answer of one that does not exist. Reads are audited: every patient view, and the worklist once per
 * {@code calciscreen.signin.worklist-audit-every} per session.
 */
@Controller
public class WorklistController {

    private static final Logger log = LoggerFactory.getLogger(WorklistController.class);
    private static final Pattern FHIR_ID = Pattern.compile("[A-Za-z0-9\\-.]{1,64}");

    static final String AUDITED_AT = "calciscreen.worklist-audited-at";
    static final String NOT_FOUND = "no such patient in the calciscreen worklist";

    private final Worklist worklist;
    private final PatientView patients;
    private final SignedInPeople people;
    private final ReadAudits audits;
    private final SignInProperties signIn;

    public WorklistController(Worklist worklist, PatientView patients, SignedInPeople people, ReadAudits audits,
                              SignInProperties signIn) {
        this.worklist = worklist;
        this.patients = patients;
        this.people = people;
        this.audits = audits;
        this.signIn = signIn;
    }

    @GetMapping({"/worklist", "/worklist/"})
    public String page() {
        return "forward:/worklist/index.html";
    }

    public record Rows(String generatedAt, int count, List<WorklistRow> rows, List<Map<String, String>> rules) {}

    @GetMapping(value = "/worklist/api/flags", produces = MediaType.APPLICATION_JSON_VALUE)
    @ResponseBody
    public ResponseEntity<Rows> flags(HttpServletRequest request, HttpServletResponse response) {
        long started = System.nanoTime();
        List<WorklistRow> rows = worklist.rows(people.fhir(request, response));
        auditWorklist(request, rows);
        log.debug("event=worklist_read flags={} took_ms={}", rows.size(),
                Duration.ofNanos(System.nanoTime() - started).toMillis());
        List<Map<String, String>> rules = Arrays.stream(RuleId.values())
                .map(r -> Map.of("id", r.name(), "title", r.title())).toList();
        return ResponseEntity.ok().cacheControl(CacheControl.noStore())
                .body(new Rows(Instant.now().toString(), rows.size(), rows, rules));
    }

    @GetMapping(value = "/worklist/api/patients/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    @ResponseBody
    public ResponseEntity<Object> patient(@PathVariable("id") String id, HttpServletRequest request,
                                          HttpServletResponse response) {
        if (!FHIR_ID.matcher(id).matches()) {
            return ResponseEntity.badRequest().body(Map.of("error", "not a FHIR id"));
        }
        IGenericClient client = people.fhir(request, response);
        Optional<PatientView.View> view = people.mayOpenAnyPatient() || flagged(client, id)
                ? patients.of(client, id) : Optional.empty();
        if (view.isEmpty()) {
            return ResponseEntity.status(404).cacheControl(CacheControl.noStore()).body(Map.of("error", NOT_FOUND));
        }
        audits.read(reader(), id, "calciscreen patient view");
        return ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(view.get());
    }

    /** Whether the patient has a calciphylaxis-risk Flag of the screening's, in any status, that the person can read. */
    private static boolean flagged(IGenericClient client, String patientId) {
        org.hl7.fhir.r4.model.Bundle found = client.search().byUrl("Flag?patient=Patient/" + patientId
                        + "&identifier=" + CanonicalUrls.SCREENING_IDENTIFIER_SYSTEM + "|&_count=1&_elements=code")
                .returnBundle(org.hl7.fhir.r4.model.Bundle.class).execute();
        return found.getEntry().stream().anyMatch(e -> e.getResource() instanceof org.hl7.fhir.r4.model.Flag flag
                && Worklist.isOurs(flag));
    }

    /** The worklist read, audited at most once per interval per session (the page polls every few seconds). */
    private void auditWorklist(HttpServletRequest request, List<WorklistRow> rows) {
        HttpSession session = request.getSession(false);
        Instant now = Instant.now();
        Object last = session == null ? null : session.getAttribute(AUDITED_AT);
        if (last instanceof Instant at && at.plus(signIn.worklistAuditEvery()).isAfter(now)) {
            return;
        }
        audits.query(reader(), Worklist.QUERY, rows.stream().map(WorklistRow::patientId).distinct().toList(),
                "calciscreen worklist");
        if (session != null) {
            session.setAttribute(AUDITED_AT, now);
        }
    }

    private ReadAudits.Reader reader() {
        SignedInPeople.Person person = people.signedIn().orElseThrow();
        return new ReadAudits.Reader(person.acting(), person.subject(), person.clientId());
    }

    @ExceptionHandler(RuntimeException.class)
    @ResponseBody
    public ResponseEntity<Map<String, String>> failed(RuntimeException e) {
        log.warn("event=worklist_read_failed error={} detail=\"{}\"", e.getClass().getSimpleName(),
                String.valueOf(e.getMessage()).replace('"', '\'').lines().findFirst().orElse(""));
        return ResponseEntity.status(502).contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("error", "the FHIR server could not be read; the worklist retries"));
    }
}
