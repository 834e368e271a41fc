package calciscreen.screening.context;

import java.util.List;
import java.util.Optional;
import org.hl7.fhir.r4.model.Flag;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.RiskAssessment;

/**
 * What the server holds for one patient, as read in one batch: the Patient (empty when it does not exist),
 * the resources the rules read, and the Flag and RiskAssessment the screening wrote before (if any).
 */
public record PatientRecord(
        String patientId,
        Optional<Patient> patient,
        List<Resource> clinicalData,
        Optional<Flag> flag,
        Optional<RiskAssessment> riskAssessment,
        int requests) {}
