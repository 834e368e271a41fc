package calciscreen.screening.intake;

import calciscreen.model.resources.OperationOutcomes;
import calciscreen.screening.ScreeningProperties;
import calciscreen.screening.context.PatientRecordCache;
import calciscreen.screening.context.PatientReferences;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import java.util.Optional;
import org.hl7.fhir.instance.model.api.IBaseResource;
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
 * A notification is only a hint of which patient changed: a payload counts only as the server's own copy of the
 * version it names ({@link NotifiedVersions}; one the server does not have is dropped and counted), then the patient
 * is queued and its data re-read. A transaction's later notifications, whose patient is already being read with it,
 * need no read of their own ({@link #inARead}).
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
    private final NotifiedChanges notified;
    private final NotifiedVersions versions;

    NotificationController(FhirContext fhir, PatientQueue queue, DeletedResourceResolver deletes,
                                  Reconciler reconciler, IntakeMetrics metrics,
                                  PatientRecordCache records, NotifiedChanges notified, NotifiedVersions versions) {
        this.versions = versions;
        this.records = records;
        this.notified = notified;
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
        Optional<java.time.Instant> stamp = Optional.empty();
        IBaseResource resource = null;
        if (body != null && !body.isBlank()) {
            try {
                IBaseResource payload = fhir.newJsonParser().parseResource(body);
                org.hl7.fhir.r4.model.Resource claimed = payload instanceof org.hl7.fhir.r4.model.Resource named
                        && type.equals(named.fhirType()) && id.equals(named.getIdElement().getIdPart()) ? named : null;
                if (claimed != null && inARead(claimed)) {
                    return ResponseEntity.ok().build();
                }
                // only what the server stores counts: the payload names a version, the server's copy of it is used
                resource = claimed != null ? versions.asStored(claimed).orElse(null) : null;
                if (resource == null) {
                    metrics.unverified();
                    log.warn("event=notification_dropped reason=not_as_stored type={} id={}", type, id);
                    return ResponseEntity.ok().build();
                }
                patient = PatientReferences.patientOf(resource);
                stamp = Optional.ofNullable(resource.getMeta().getLastUpdated()).map(java.util.Date::toInstant);
                stamp.ifPresent(stored -> metrics.lag(java.time.Duration.between(stored, java.time.Instant.now())));
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
        // the change itself goes into the patient's cached record; without it, the patient is read again
        boolean applied = resource instanceof org.hl7.fhir.r4.model.Resource changed
                && type.equals(changed.fhirType()) && id.equals(changed.getIdElement().getIdPart())
                && records.apply(patient.get(), changed);
        if (!applied) {
            records.invalidate(patient.get());
        }
        // no stamp when applied: a screening from the cache only covers the changes applied before it started, so a
        // change of the same transaction arriving later must screen the patient again (a read covers them all)
        ResponseEntity<String> answer = enqueue(patient.get(), type + "/" + id, applied ? Optional.empty() : stamp);
        if (answer.getStatusCode().is2xxSuccessful() && resource != null) {
            notified.queued(resource); // reconciliation will find this version on its way already
        }
        return answer;
    }

    /**
     * True when the claimed change needs nothing of its own: a read of its patient that includes its transaction is
     * waiting or has started ({@link PatientQueue#alreadyReads}), so the claim is not read back from the server. Its
     * content is never used; it is remembered for reconciliation, which takes it only if it names the version the
     * server stores ({@link NotifiedChanges}). A forged claim can at most drop another patient's cached record.
     */
    private boolean inARead(org.hl7.fhir.r4.model.Resource claimed) {
        Optional<String> patient = PatientReferences.patientOf(claimed);
        java.util.Date stamp = claimed.getMeta().getLastUpdated();
        if (patient.isEmpty() || stamp == null || !queue.alreadyReads(patient.get(), stamp.toInstant())) {
            return false;
        }
        records.claimedBy(patient.get(), claimed);
        notified.queued(claimed);
        metrics.inRead();
        return true;
    }

    @DeleteMapping(ScreeningProperties.NOTIFY_PATH + "/{type}/{id}")
    public ResponseEntity<String> deleted(@PathVariable String type, @PathVariable String id) {
        metrics.notification("delete");
        if ("Patient".equals(type)) {
            records.invalidate(id);
            return enqueue(id, type + "/" + id, Optional.empty());
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

    private ResponseEntity<String> enqueue(String patientId, String source, Optional<java.time.Instant> stamp) {
        if (queue.offer(patientId, stamp)) {
            log.debug("event=notification_queued patient={} source={}", patientId, source);
            return ResponseEntity.ok().build();
        }
        metrics.rejected();
        log.warn("event=notification_refused reason=queue_full patient={} source={}", patientId, source);
        return ResponseEntity.status(503).header("Retry-After", "5")
                .contentType(MediaType.valueOf(OperationOutcomes.FHIR_JSON)).body(OUTCOME_503);
    }
}
