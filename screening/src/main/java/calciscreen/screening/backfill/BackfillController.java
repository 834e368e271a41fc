package calciscreen.screening.backfill;

import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /screening/backfill} re-screens every patient (202, progress at {@code GET /screening/backfill});
 * {@code POST /screening/backfill?patient=123} re-screens one; {@code ?restart=true} starts over instead of resuming.
 */
@RestController
class BackfillController {

    private final Backfill backfill;

    BackfillController(Backfill backfill) {
        this.backfill = backfill;
    }

    @PostMapping("/screening/backfill")
    public ResponseEntity<Object> start(@RequestParam(required = false) String patient,
                                        @RequestParam(defaultValue = "false") boolean restart) {
        if (patient != null) {
            if (!patient.matches("[A-Za-z0-9\\-.]{1,64}")) {
                return ResponseEntity.badRequest().body(Map.of("error", "patient must be a FHIR logical id"));
            }
            return backfill.screenOne(patient)
                    ? ResponseEntity.accepted().body(Map.of("patient", patient, "status", "queued"))
                    : ResponseEntity.status(503).body(Map.of("error", "queue full; try again"));
        }
        boolean started = backfill.start(restart);
        return ResponseEntity.status(started ? 202 : 409).body(backfill.progress());
    }

    @GetMapping("/screening/backfill")
    public Backfill.Progress progress() {
        return backfill.progress();
    }
}
