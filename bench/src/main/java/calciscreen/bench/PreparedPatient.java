package calciscreen.bench;

import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/**
 * The record the rule-engine benchmark evaluates: a woman on haemodialysis as Synthea's ESRD patients look, with
 * three months of monthly labs (calcium, phosphate, PTH, albumin, BMI), thrice-weekly dialysis, ESRD, diabetes,
 * secondary hyperparathyroidism and warfarin: every rule has data to look at, and the tier is high.
 */
public final class PreparedPatient {

    private PreparedPatient() {}

    public static Patient patient() {
        Patient patient = new Patient();
        patient.setId("Patient/bench");
        patient.setGender(Enumerations.AdministrativeGender.FEMALE);
        return patient;
    }

    public static List<Resource> resources(Instant at) {
        List<Resource> out = new ArrayList<>();
        int n = 0;
        for (int month = 0; month < 3; month++) {
            Instant taken = at.minus(Duration.ofDays(5 + 30L * month));
            out.add(lab("o" + n++, "17861-6", 10.6 + 0.1 * month, "mg/dL", taken));
            out.add(lab("o" + n++, "2777-1", 6.4, "mg/dL", taken));
            out.add(lab("o" + n++, "2731-8", 720, "pg/mL", taken));
            out.add(lab("o" + n++, "1751-7", 2.9, "g/dL", taken));
            out.add(lab("o" + n++, "39156-5", 31.2, "kg/m2", taken));
        }
        for (int session = 0; session < 36; session++) {
            Procedure procedure = new Procedure();
            procedure.setId("Procedure/p" + session);
            procedure.setStatus(Procedure.ProcedureStatus.COMPLETED);
            procedure.setCode(snomed("265764009", "Renal dialysis"));
            procedure.setSubject(new Reference("Patient/bench"));
            procedure.setPerformed(dateTime(at.minus(Duration.ofDays(2L * session + 1))));
            out.add(procedure);
        }
        out.add(condition("c1", "46177005", "End-stage renal disease"));
        out.add(condition("c2", "44054006", "Diabetes mellitus type 2"));
        out.add(condition("c3", "91478007", "Secondary hyperparathyroidism"));
        out.add(condition("c4", "59621000", "Essential hypertension"));
        MedicationRequest warfarin = new MedicationRequest();
        warfarin.setId("MedicationRequest/m1");
        warfarin.setStatus(MedicationRequest.MedicationRequestStatus.ACTIVE);
        warfarin.setIntent(MedicationRequest.MedicationRequestIntent.ORDER);
        warfarin.setMedication(new CodeableConcept(new Coding("http://www.nlm.nih.gov/research/umls/rxnorm", "855332",
                "warfarin sodium 5 MG Oral Tablet")));
        warfarin.setSubject(new Reference("Patient/bench"));
        out.add(warfarin);
        return out;
    }

    private static Observation lab(String id, String loinc, double value, String unit, Instant at) {
        Observation observation = new Observation();
        observation.setId("Observation/" + id);
        observation.setStatus(Observation.ObservationStatus.FINAL);
        observation.getCode().addCoding().setSystem("http://loinc.org").setCode(loinc);
        observation.setSubject(new Reference("Patient/bench"));
        observation.setEffective(dateTime(at));
        observation.setValue(new Quantity().setValue(value).setUnit(unit).setSystem("http://unitsofmeasure.org").setCode(unit));
        return observation;
    }

    private static Condition condition(String id, String code, String display) {
        Condition condition = new Condition();
        condition.setId("Condition/" + id);
        condition.setClinicalStatus(new CodeableConcept(new Coding(
                "http://terminology.hl7.org/CodeSystem/condition-clinical", "active", "Active")));
        condition.setCode(snomed(code, display));
        condition.setSubject(new Reference("Patient/bench"));
        return condition;
    }

    private static CodeableConcept snomed(String code, String display) {
        return new CodeableConcept(new Coding("http://snomed.info/sct", code, display));
    }

    private static DateTimeType dateTime(Instant at) {
        return new DateTimeType(Date.from(at), TemporalPrecisionEnum.SECOND, java.util.TimeZone.getTimeZone("UTC"));
    }
}
