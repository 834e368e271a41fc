package calciscreen.screening.intake;

import calciscreen.model.resources.OperationOutcomes;
import calciscreen.screening.ScreeningProperties;
import calciscreen.screening.context.PatientRecordCache;
import calciscreen.screening.context.PatientReferences;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import java.util.Optional;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The rest-hook endpoint. HAPI delivers a notification with payload as {@code PUT {endpoint}/{Type}/{id}},
 * a delete as {@code DELETE {endpoint}/{Type}/{id}}, and one without payload as an empty {@code POST {endpoint}}.
 * A notification is only a hint of which patient changed: a payload is recorded as a claim for the patient it
 * names and the patient is queued; the claim counts only as the server's own copy of the version it names, read back
 * with the patient's other claims in one batch when its screening starts ({@link ClaimedVersions}; one the server
 * does not have, or of another patient, is dropped and counted, and the patient is read in full).
 * A full queue answers 503 so that the server delivers again later.
 */
@RestController
class NotificationController {

    private static final Logger log = LoggerFactory.getLogger(NotificationController.class);
    private static final String OUTCOME_503 = OperationOutcomes.errorJson(IssueType.TRANSIENT,
            "screening queue is full; deliver again later");

    private final FhirContext fhir;
    private final PatientQueue queue;
    private final DeletedResourceResolver deletes;
    private final Reconciler reconciler;
    private final IntakeMetrics metrics;
    private final PatientRecordCache records;
    private final ClaimedVersions claims;

    NotificationController(FhirContext fhir, PatientQueue queue, DeletedResourceResolver deletes,
                                  Reconciler reconciler, IntakeMetrics metrics,
                                  PatientRecordCache records, ClaimedVersions claims) {
        this.records = records;
        this.claims = claims;
        this.fhir = fhir;
        this.queue = queue;
        this.deletes = deletes;
        this.reconciler = reconciler;
        this.metrics = metrics;
    }

    @PutMapping(ScreeningProperties.NOTIFY_PATH + "/{type}/{id}")
    public ResponseEntity<String> changed(@PathVariable String type, @PathVariable String id,
                                          @RequestBody(required = false) String body) {
        metrics.notification("update");
        Optional<String> patient = Optional.empty();
        Resource claimed = null;
        if (body != null && !body.isBlank()) {
            try {
                IBaseResource payload = fhir.newJsonParser().parseResource(body);
                if (!(payload instanceof Resource resource && type.equals(resource.fhirType())
                        && id.equals(resource.getIdElement().getIdPart()))) {
                    metrics.unverified();
                    log.warn("event=notification_dropped reason=not_as_stored type={} id={}", type, id);
                    return ResponseEntity.ok().build();
                }
                // a claim, checked against the server's copy when the patient's screening starts (ClaimedVersions)
                claimed = resource;
                patient = PatientReferences.patientOf(resource);
            } catch (DataFormatException e) {
                log.warn("event=notification_unreadable type={} id={} reason=\"{}\"", type, id, e.getMessage());
            }
        }
        if (patient.isEmpty()) {
            if ("Patient".equals(type)) {
                patient = Optional.of(id);
            } else {
                log.info("event=notification_without_patient type={} id={}", type, id);
                return ResponseEntity.ok().build();
            }
        }
        if (claimed != null) {
            claims.claim(patient.get(), claimed); // before the patient is queued, so that its run checks it
        } else {
            records.invalidate(patient.get()); // nothing to check: the patient is read again
        }
        ResponseEntity<String> answer = enqueue(patient.get(), type + "/" + id);
        if (!answer.getStatusCode().is2xxSuccessful() && claimed != null) {
            claims.withdraw(patient.get(), claimed);
        }
        return answer;
    }

    @DeleteMapping(ScreeningProperties.NOTIFY_PATH + "/{type}/{id}")
    public ResponseEntity<String> deleted(@PathVariable String type, @PathVariable String id) {
        metrics.notification("delete");
        if ("Patient".equals(type)) {
            records.invalidate(id);
            return enqueue(id, type + "/" + id);
        }
        // the notification carries no body: the patient is read from the resource's last version
        deletes.resolveLater(type, id);
        return ResponseEntity.ok().build();
    }

    @PostMapping(ScreeningProperties.NOTIFY_PATH)
    public ResponseEntity<String> withoutPayload() {
        metrics.notification("empty");
        reconciler.requestRun();
        return ResponseEntity.ok().build();
    }

    private ResponseEntity<String> enqueue(String patientId, String source) {
        if (queue.offer(patientId, Optional.empty())) {
            log.debug("event=notification_queued patient={} source={}", patientId, source);
            return ResponseEntity.ok().build();
        }
        metrics.rejected();
        log.warn("event=notification_refused reason=queue_full patient={} source={}", patientId, source);
        return ResponseEntity.status(503).header("Retry-After", "5")
                .contentType(MediaType.valueOf(OperationOutcomes.FHIR_JSON)).body(OUTCOME_503);
    }
}
