package calciscreen.bench;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Flag;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;

/**
 * Reads a patient's record back from the server for the benchmark's own evaluation, on a path of its own: every
 * Observation, Condition, Procedure and current medication of the patient, without the code filters the screening's
 * loader uses, so a loader that forgets a code shows up as a mismatch.
 */
public final class PatientReader {

    public record PatientData(String id, Optional<Patient> patient, List<Resource> resources) {}

    private final IGenericClient client;

    public PatientReader(FhirHttp fhir) {
        this.client = fhir.client();
    }

    public PatientData read(String patientId) {
        Optional<Patient> patient;
        try {
            patient = Optional.of(client.read().resource(Patient.class).withId(patientId).execute());
        } catch (ResourceNotFoundException | ResourceGoneException e) {
            patient = Optional.empty();
        }
        String subject = "subject=Patient/" + patientId;
        List<Resource> resources = new ArrayList<>();
        resources.addAll(all("Observation?" + subject));
        resources.addAll(all("Condition?" + subject));
        resources.addAll(all("Procedure?" + subject));
        resources.addAll(all("MedicationRequest?" + subject + "&_include=MedicationRequest:medication"));
        resources.addAll(all("MedicationStatement?" + subject + "&_include=MedicationStatement:medication"));
        return new PatientData(patientId, patient, resources);
    }

    /** Every Patient id on the server. */
    public List<String> allPatientIds() {
        List<String> ids = new ArrayList<>();
        for (Resource resource : all("Patient?_elements=id")) {
            ids.add(resource.getIdElement().getIdPart());
        }
        return ids;
    }

    /** Every Flag on the server. */
    public List<Flag> allFlags() {
        return all("Flag?").stream().filter(Flag.class::isInstance).map(Flag.class::cast).toList();
    }

    /**
     * A search answered at once and not stored ({@code Cache-Control: no-store}): HAPI then runs it on the request
     * thread, with no search entity and no result rows written for paging. For small answers read many times a second
     * (the lab feed's Flag watcher); one that fills {@code max} may have been cut short and is read again with paging.
     */
    public List<Resource> unstored(String search, int max) {
        Bundle page = client.search().byUrl(search + (search.endsWith("?") ? "" : "&") + "_count=" + max)
                .withAdditionalHeader(FhirHttp.CACHE_CONTROL, "no-cache, no-store, max-results=" + max)
                .returnBundle(Bundle.class).execute();
        List<Resource> out = new ArrayList<>();
        addResources(page, out);
        return out.size() >= max || page.getLink(Bundle.LINK_NEXT) != null ? all(search) : out;
    }

    public List<Resource> all(String search) {
        List<Resource> out = new ArrayList<>();
        Bundle page = client.search().byUrl(search + (search.endsWith("?") ? "" : "&") + "_count=500")
                .returnBundle(Bundle.class).execute();
        while (true) {
            addResources(page, out);
            if (page.getLink(Bundle.LINK_NEXT) == null) {
                return out;
            }
            page = client.loadPage().next(page).execute();
        }
    }

    /** The page's resources, without the OperationOutcome a server may add to a search answer. */
    private static void addResources(Bundle page, List<Resource> out) {
        for (Bundle.BundleEntryComponent entry : page.getEntry()) {
            if (entry.hasResource() && !(entry.getResource() instanceof org.hl7.fhir.r4.model.OperationOutcome)) {
                out.add(entry.getResource());
            }
        }
    }
}
