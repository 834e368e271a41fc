package calciscreen.screening.worklist;

import calciscreen.screening.rules.RuleId;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
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
 * JSON documents it reads. The page polls {@code /worklist/api/flags} to update without a reload.
 */
@Controller
public class WorklistController {

    private static final Logger log = LoggerFactory.getLogger(WorklistController.class);
    private static final Pattern FHIR_ID = Pattern.compile("[A-Za-z0-9\\-.]{1,64}");

    private final Worklist worklist;
    private final PatientView patients;

    public WorklistController(Worklist worklist, PatientView patients) {
        this.worklist = worklist;
        this.patients = patients;
    }

    @GetMapping({"/worklist", "/worklist/"})
    public String page() {
        return "forward:/worklist/index.html";
    }

    public record Rows(String generatedAt, int count, List<WorklistRow> rows, List<Map<String, String>> rules) {}

    @GetMapping(value = "/worklist/api/flags", produces = MediaType.APPLICATION_JSON_VALUE)
    @ResponseBody
    public ResponseEntity<Rows> flags() {
        long started = System.nanoTime();
        List<WorklistRow> rows = worklist.rows();
        log.debug("event=worklist_read flags={} took_ms={}", rows.size(),
                Duration.ofNanos(System.nanoTime() - started).toMillis());
        List<Map<String, String>> rules = Arrays.stream(RuleId.values())
                .map(r -> Map.of("id", r.name(), "title", r.title())).toList();
        return ResponseEntity.ok().cacheControl(CacheControl.noStore())
                .body(new Rows(Instant.now().toString(), rows.size(), rows, rules));
    }

    @GetMapping(value = "/worklist/api/patients/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    @ResponseBody
    public ResponseEntity<Object> patient(@PathVariable("id") String id) {
        if (!FHIR_ID.matcher(id).matches()) {
            return ResponseEntity.badRequest().body(Map.of("error", "not a FHIR id"));
        }
        return patients.of(id).<ResponseEntity<Object>>map(v -> ResponseEntity.ok().cacheControl(CacheControl.noStore())
                        .body(v))
                .orElseGet(() -> ResponseEntity.status(404).body(Map.of("error", "no Patient/" + id + " on the FHIR server")));
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
