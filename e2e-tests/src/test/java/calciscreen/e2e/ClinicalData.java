package calciscreen.e2e;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleType;
import org.hl7.fhir.r4.model.Bundle.HTTPVerb;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/** Builds what a lab interface or an EHR posts: a patient's data as one transaction Bundle. */
final class ClinicalData {

    static final String LOINC = "http://loinc.org";
    static final String SNOMED = "http://snomed.info/sct";
    static final String RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm";
    static final String UCUM = "http://unitsofmeasure.org";

    private final String patientRef;
    private final boolean newPatient;
    private final Patient patient;
    private final List<Resource> resources = new ArrayList<>();

    private ClinicalData(String patientRef, Patient patient) {
        this.patientRef = patientRef;
        this.newPatient = patient != null;
        this.patient = patient;
    }

    /** A new patient, created in the same transaction. */
    static ClinicalData newPatient(AdministrativeGender gender) {
        Patient patient = new Patient().setGender(gender);
        patient.setBirthDateElement(new org.hl7.fhir.r4.model.DateType("1957-05-14"));
        return new ClinicalData("urn:uuid:" + UUID.randomUUID(), patient);
    }

    /** More data for an existing patient. */
    static ClinicalData forPatient(String patientId) {
        return new ClinicalData("Patient/" + patientId, null);
    }

    ClinicalData condition(String system, String code, String display) {
        Condition condition = new Condition();
        condition.setClinicalStatus(new CodeableConcept(new Coding(
                "http://terminology.hl7.org/CodeSystem/condition-clinical", "active", "Active")));
        condition.setCode(new CodeableConcept(new Coding(system, code, display)));
        condition.setSubject(new Reference(patientRef));
        resources.add(condition);
        return this;
    }

    ClinicalData lab(String loinc, double value, String unit, Instant when) {
        resources.add(observation(patientRef, loinc, value, unit, when));
        return this;
    }

    /** A result that carries no effective time, only when it was {@code issued}: the rules date it by that. */
    ClinicalData labIssuedOnly(String loinc, double value, String unit, Instant issued) {
        Observation lab = observation(patientRef, loinc, value, unit, issued);
        lab.setEffective(null);
        lab.setIssued(java.util.Date.from(issued));
        resources.add(lab);
        return this;
    }

    ClinicalData warfarin() {
        MedicationRequest order = new MedicationRequest();
        order.setStatus(MedicationRequest.MedicationRequestStatus.ACTIVE);
        order.setIntent(MedicationRequest.MedicationRequestIntent.ORDER);
        order.setMedication(new CodeableConcept(new Coding(RXNORM, "855332", "warfarin sodium 5 MG Oral Tablet")));
        order.setSubject(new Reference(patientRef));
        resources.add(order);
        return this;
    }

    static Observation observation(String patientRef, String loinc, double value, String unit, Instant when) {
        Observation lab = new Observation();
        lab.setStatus(Observation.ObservationStatus.FINAL);
        lab.setCode(new CodeableConcept(new Coding(LOINC, loinc, null)));
        lab.setSubject(new Reference(patientRef));
        lab.setEffective(new DateTimeType(java.util.Date.from(when)));
        lab.setValue(new Quantity().setValue(BigDecimal.valueOf(value)).setUnit(unit).setSystem(UCUM).setCode(unit));
        return lab;
    }

    Bundle transaction() {
        Bundle bundle = new Bundle().setType(BundleType.TRANSACTION);
        if (newPatient) {
            bundle.addEntry().setFullUrl(patientRef).setResource(patient).getRequest()
                    .setMethod(HTTPVerb.POST).setUrl("Patient");
        }
        for (Resource resource : resources) {
            bundle.addEntry().setFullUrl("urn:uuid:" + UUID.randomUUID()).setResource(resource).getRequest()
                    .setMethod(HTTPVerb.POST).setUrl(resource.fhirType());
        }
        return bundle;
    }

    static Instant daysAgo(int days) {
        return Instant.now().minus(days, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
    }
}
