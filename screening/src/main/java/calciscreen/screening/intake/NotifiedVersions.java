package calciscreen.screening.intake;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.util.Optional;
import org.hl7.fhir.r4.model.Resource;

/**
 * A notification's payload is a hint, never evidence: before it counts, the version it names is read from the server
 * ({@code vread} of {@code Type/id/_history/versionId}, one small request), and only what the server returns is used.
 * A payload naming no version is checked against the current one. A resource or version the server does not have
 * yields nothing: the notification is dropped (and counted), and what the server does hold reaches the screening by
 * reconciliation. So a forged notification, even with a valid secret, can make the screening read the server again,
 * never make it compute from data the server does not store.
 */
@org.springframework.stereotype.Component
class NotifiedVersions {

    private final IGenericClient client;

    NotifiedVersions(IGenericClient client) {
        this.client = client;
    }

    /** The server's own copy of the notified version of {@code notified}, if the server has it. */
    public Optional<Resource> asStored(Resource notified) {
        String type = notified.fhirType();
        String id = notified.getIdElement().getIdPart();
        if (id == null) {
            return Optional.empty();
        }
        String version = notified.getMeta().getVersionId();
        try {
            Resource stored = (Resource) (version == null
                    ? client.read().resource(type).withId(id).execute()
                    : client.read().resource(type).withIdAndVersion(id, version).execute());
            if (version == null && notified.getMeta().hasLastUpdated() && stored.getMeta().hasLastUpdated()
                    && !notified.getMeta().getLastUpdated().equals(stored.getMeta().getLastUpdated())) {
                return Optional.empty(); // the payload is not the version the server holds
            }
            return Optional.of(stored);
        } catch (ResourceNotFoundException | ResourceGoneException e) {
            return Optional.empty();
        }
    }
}
