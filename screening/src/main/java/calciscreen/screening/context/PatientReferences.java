package calciscreen.screening.context;

import java.util.Optional;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.MedicationStatement;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.Reference;

/**
 * Which patient a watched resource belongs to (its {@code subject} when that is a Patient), and which Medication an
 * order or statement names.
 */
public final class PatientReferences {

    private PatientReferences() {}

    public static Optional<String> patientOf(IBaseResource resource) {
        if (resource instanceof Patient patient) {
            return Optional.ofNullable(patient.getIdElement().getIdPart());
        }
        Reference subject = null;
        if (resource instanceof Observation o) {
            subject = o.getSubject();
        } else if (resource instanceof Condition c) {
            subject = c.getSubject();
        } else if (resource instanceof Procedure p) {
            subject = p.getSubject();
        } else if (resource instanceof MedicationRequest m) {
            subject = m.getSubject();
        } else if (resource instanceof MedicationStatement m) {
            subject = m.getSubject();
        }
        return patientId(subject);
    }

    /** The {@code medicationReference} of a MedicationRequest or MedicationStatement; empty for anything else. */
    public static Optional<Reference> medicationOf(IBaseResource resource) {
        if (resource instanceof MedicationRequest request && request.hasMedicationReference()) {
            return Optional.of(request.getMedicationReference());
        }
        if (resource instanceof MedicationStatement statement && statement.hasMedicationReference()) {
            return Optional.of(statement.getMedicationReference());
        }
        return Optional.empty();
    }

    /** {@code Patient/123}, {@code http://server/fhir/Patient/123/_history/2} -> 123; anything else: empty. */
    public static Optional<String> patientId(Reference reference) {
        if (reference == null || !reference.hasReference()) {
            return Optional.empty();
        }
        var id = reference.getReferenceElement();
        if (!"Patient".equals(id.getResourceType()) || !id.hasIdPart()) {
            return Optional.empty();
        }
        return Optional.of(id.getIdPart());
    }
}
