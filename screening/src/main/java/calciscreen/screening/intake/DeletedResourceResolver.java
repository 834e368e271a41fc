package calciscreen.screening.intake;

import calciscreen.screening.context.PatientReferences;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.IdType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A delete notification names only the deleted resource; its patient is in the resource's last version,
 * which the server still keeps in {@code _history}. Resolved off the request thread; a failure here is caught
 * by the next reconciliation, which reads the same history.
 */
class DeletedResourceResolver implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DeletedResourceResolver.class);

    private final IGenericClient client;
    private final PatientQueue queue;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "screening-deletes");
        t.setDaemon(true);
        return t;
    });

    DeletedResourceResolver(IGenericClient client, PatientQueue queue) {
        this.client = client;
        this.queue = queue;
    }

    public void resolveLater(String type, String id) {
        executor.execute(() -> {
            try {
                patientOfDeleted(type, id).ifPresentOrElse(
                        patient -> {
                            if (!queue.offer(patient)) {
                                log.warn("event=delete_not_queued reason=queue_full resource={}/{}", type, id);
                            }
                        },
                        () -> log.info("event=delete_without_patient resource={}/{}", type, id));
            } catch (RuntimeException e) {
                log.warn("event=delete_resolution_failed resource={}/{} reason=\"{}\"", type, id, e.getMessage());
            }
        });
    }

    /** The patient of the newest version of {@code type/id} that still has a body. */
    public Optional<String> patientOfDeleted(String type, String id) {
        Bundle history = client.history().onInstance(new IdType(type, id)).returnBundle(Bundle.class)
                .count(5).execute();
        for (BundleEntryComponent entry : history.getEntry()) {
            if (entry.hasResource()) {
                Optional<String> patient = PatientReferences.patientOf(entry.getResource());
                if (patient.isPresent()) {
                    return patient;
                }
            }
        }
        return Optional.empty();
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
