package calciscreen.screening.rules;

import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import calciscreen.model.terminology.Code;
import calciscreen.model.terminology.CodeSystems;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.TimeZone;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.Medication;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.MedicationStatement;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/** Small builders of HAPI R4 resources for the rule tests. Every resource is about Patient/p1 unless told. */
final class Fhir {

    static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
    static final String UCUM = "http://unitsofmeasure.org";
    static final String CLINICAL = "http://terminology.hl7.org/CodeSystem/condition-clinical";
    static final String VERIFICATION = "http://terminology.hl7.org/CodeSystem/condition-ver-status";

    private Fhir() {
    }

    static Instant daysAgo(long days) {
        return NOW.minus(Duration.ofDays(days));
    }

    static DateTimeType dateTime(Instant at) {
        return new DateTimeType(Date.from(at), TemporalPrecisionEnum.SECOND, TimeZone.getTimeZone("UTC"));
    }

    static Patient patient() {
        Patient p = new Patient();
        p.setId("p1");
        p.setGender(AdministrativeGender.MALE);
        return p;
    }

    static Patient female() {
        return patient().setGender(AdministrativeGender.FEMALE);
    }

    static CodeableConcept concept(Code code) {
        return new CodeableConcept().addCoding(code.toCoding());
    }

    static CodeableConcept concept(String system, String code, String display) {
        return new CodeableConcept().addCoding(new Coding(system, code, display));
    }

    /** A final lab Observation with a UCUM valueQuantity, effective at {@code at}. */
    static Observation lab(String id, Code code, String value, String ucum, Instant at) {
        Observation o = observation(id, code, at);
        o.setValue(new Quantity().setValue(new BigDecimal(value)).setSystem(UCUM).setCode(ucum).setUnit(ucum));
        return o;
    }

    /** A final lab Observation whose Quantity has only a unit string (no system, no code). */
    static Observation labUnitText(String id, Code code, String value, String unit, Instant at) {
        Observation o = observation(id, code, at);
        o.setValue(new Quantity().setValue(new BigDecimal(value)).setUnit(unit));
        return o;
    }

    static Observation observation(String id, Code code, Instant at) {
        Observation o = new Observation();
        o.setId(id);
        o.setStatus(Observation.ObservationStatus.FINAL);
        o.setCode(concept(code));
        o.setSubject(new Reference("Patient/p1"));
        if (at != null) {
            o.setEffective(dateTime(at));
        }
        return o;
    }

    static Observation lastUpdated(Observation o, Instant lastUpdated) {
        o.getMeta().setLastUpdated(Date.from(lastUpdated));
        return o;
    }

    static Condition condition(String id, Code code) {
        return condition(id, concept(code));
    }

    static Condition condition(String id, CodeableConcept code) {
        Condition c = new Condition();
        c.setId(id);
        c.setCode(code);
        c.setSubject(new Reference("Patient/p1"));
        c.setClinicalStatus(concept(CLINICAL, "active", null));
        return c;
    }

    static Condition withClinicalStatus(Condition c, String status) {
        if (status == null || status.isBlank()) {
            c.setClinicalStatus(null);
        } else {
            c.setClinicalStatus(concept(CLINICAL, status, null));
        }
        return c;
    }

    static Procedure procedure(String id, Code code, Procedure.ProcedureStatus status, Instant at) {
        Procedure p = new Procedure();
        p.setId(id);
        p.setCode(concept(code));
        p.setStatus(status);
        p.setSubject(new Reference("Patient/p1"));
        if (at != null) {
            p.setPerformed(dateTime(at));
        }
        return p;
    }

    static MedicationRequest request(String id, CodeableConcept drug) {
        MedicationRequest m = new MedicationRequest();
        m.setId(id);
        m.setStatus(MedicationRequest.MedicationRequestStatus.ACTIVE);
        m.setIntent(MedicationRequest.MedicationRequestIntent.ORDER);
        m.setMedication(drug);
        m.setSubject(new Reference("Patient/p1"));
        return m;
    }

    static MedicationStatement statement(String id, CodeableConcept drug, MedicationStatement.MedicationStatementStatus s) {
        MedicationStatement m = new MedicationStatement();
        m.setId(id);
        m.setStatus(s);
        m.setMedication(drug);
        m.setSubject(new Reference("Patient/p1"));
        return m;
    }

    static Medication medication(String id, CodeableConcept code) {
        Medication m = new Medication();
        m.setId(id);
        m.setCode(code);
        return m;
    }

    static CodeableConcept rxnorm(String code, String display) {
        return concept(CodeSystems.RXNORM, code, display);
    }

    static CodeableConcept text(String text) {
        return new CodeableConcept().setText(text);
    }

    static PatientContext context(Patient patient, Resource... resources) {
        return PatientContext.from(patient, new ArrayList<>(Arrays.asList(resources)));
    }

    static Assessment assess(Resource... resources) {
        return assess(patient(), resources);
    }

    static Assessment assess(Patient patient, Resource... resources) {
        return RuleSet.v1().evaluate(context(patient, resources), NOW);
    }

    static List<String> noteTexts(Assessment a) {
        return a.notes().stream().map(DataNote::toString).toList();
    }
}
