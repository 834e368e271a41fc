package calciscreen.e2e;

import static calciscreen.e2e.ClinicalData.SNOMED;
import static calciscreen.e2e.ClinicalData.daysAgo;
import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Random;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.RiskAssessment;
import org.hl7.fhir.r4.model.StringType;
import org.junit.jupiter.api.Test;

/** Bad data reaches the screening as data: each case has a defined outcome, and nobody else's screening stops. */
class BadInputIT extends EndToEndTest {

    static final Duration WAIT = Duration.ofSeconds(60);

    static String moderatePatient() {
        // R1 ESRD 3 + R8 female 1 + R5 PTH 700: 2 = 6 -> moderate
        return post(ClinicalData.newPatient(AdministrativeGender.FEMALE)
                .condition(SNOMED, "46177005", "End-stage renal disease")
                .lab("2731-8", 700, "pg/mL", daysAgo(2)));
    }

    static Observation calcium(String subject) {
        return ClinicalData.observation(subject, "17861-6", 11.5, "mg/dL", daysAgo(1));
    }

    @Test
    void eachKindOfBadLabHasItsDefinedOutcome() {
        String patient = moderatePatient();
        String ref = "Patient/" + patient;
        flags.await(patient, f -> Flags.priority(f).equals(java.util.Optional.of("PM")), WAIT);

        Observation noValue = calcium(ref);
        noValue.setValue(null);
        Observation stringValue = calcium(ref);
        stringValue.setValue(new StringType("11.5"));
        Observation unknownUnit = calcium(ref);
        unknownUnit.setValue(new Quantity().setValue(11.5).setUnit("mg%"));
        Observation missingUnit = calcium(ref);
        missingUnit.setValue(new Quantity().setValue(11.5));
        Observation future = ClinicalData.observation(ref, "17861-6", 11.5, "mg/dL",
                java.time.Instant.now().plus(Duration.ofDays(30)));
        Observation preliminary = calcium(ref);
        preliminary.setStatus(Observation.ObservationStatus.PRELIMINARY);
        Condition noCode = new Condition().setSubject(new Reference(ref));
        MedicationRequest unresolved = new MedicationRequest()
                .setStatus(MedicationRequest.MedicationRequestStatus.ACTIVE)
                .setIntent(MedicationRequest.MedicationRequestIntent.ORDER)
                .setMedication(new Reference("Medication/does-not-exist"))
                .setSubject(new Reference(ref));
        for (var resource : java.util.List.of(noValue, stringValue, unknownUnit, missingUnit, future, preliminary,
                noCode)) {
            client.create().resource(resource).execute();
        }
        try {
            client.create().resource(unresolved).execute(); // the server creates a placeholder Medication
        } catch (BaseServerResponseException e) {
            // or refuses it; either way an unresolvable medication must not stop the screening
        }
        // none of them counts: still 6, moderate; the RiskAssessment names what was skipped
        java.time.Instant deadline = java.time.Instant.now().plusSeconds(30);
        RiskAssessment assessment = flags.assessmentOf(patient).orElseThrow();
        while (java.time.Instant.now().isBefore(deadline)
                && assessment.getNote().stream().noneMatch(n -> n.getText().contains("mg%"))) {
            Stack.sleep(500);
            assessment = flags.assessmentOf(patient).orElseThrow();
        }
        assertThat(Flags.score(assessment)).isEqualTo(6);
        assertThat(flags.of(patient)).hasSize(1);
        assertThat(Flags.priority(flags.of(patient).get(0))).contains("PM");
        assertThat(Stack.get().screeningHealth()).contains("\"status\":\"UP\"");
    }

    @Test
    void labsWithoutAPatientAreIgnoredAndAbsurdValuesCountAsMeasured() {
        client.create().resource(calcium("Group/ward-7")).execute();
        Observation noSubject = calcium("Patient/x");
        noSubject.setSubject(null);
        client.create().resource(noSubject).execute();

        // an absurd but numeric value counts as measured: ESRD 3 + female 1 + PTH 700: 2 + R2 calcium 1e9: 2 = 8
        // (R4 needs a phosphate: none)
        String patient = moderatePatient();
        Observation absurd = ClinicalData.observation("Patient/" + patient, "17861-6", 1e9, "mg/dL", daysAgo(1));
        client.create().resource(absurd).execute();
        client.create().resource(absurd.copy()).execute(); // a duplicate identical lab changes nothing
        Stack.sleep(1_000);
        java.time.Instant deadline = java.time.Instant.now().plusSeconds(60);
        while (java.time.Instant.now().isBefore(deadline)
                && flags.assessmentOf(patient).map(Flags::score).orElse(0) != 8) {
            Stack.sleep(500);
        }
        assertThat(flags.assessmentOf(patient).map(Flags::score)).contains(8);
        assertThat(Stack.get().screeningHealth()).contains("\"status\":\"UP\"");
    }

    @Test
    void aFewHundredRandomlyMutatedLabsDoNotStopTheScreening() {
        Random random = new Random(20261125);
        String target = moderatePatient();
        for (int i = 0; i < 300; i++) {
            Observation lab = ClinicalData.observation("Patient/" + target, pick(random, "17861-6", "2000-8", "2777-1",
                    "2731-8", "1751-7", "39156-5", "0000-0"), random.nextDouble() * 1000, "mg/dL", daysAgo(random.nextInt(200) - 20));
            switch (random.nextInt(8)) {
                case 0 -> lab.setValue(null);
                case 1 -> lab.setValue(new Quantity().setValue(BigDecimal.valueOf(random.nextGaussian() * 1e6)).setUnit(pick(random, "mg/dL", "banana", "", "MMOL/L", "g/l")));
                case 2 -> lab.setStatus(Observation.ObservationStatus.values()[random.nextInt(Observation.ObservationStatus.values().length - 1)]);
                case 3 -> lab.setEffective(null);
                case 4 -> lab.setSubject(new Reference(pick(random, "Group/g", "Patient/" + target, "Device/d")));
                case 5 -> lab.setCode(new CodeableConcept(new Coding("http://example.org", "x", null)));
                case 6 -> lab.setValue(new StringType("high"));
                default -> lab.setEffective(new DateTimeType("2026"));
            }
            try {
                client.create().resource(lab).execute();
            } catch (BaseServerResponseException e) {
                // refused by the server (4xx): fine, it never reaches the screening
            }
        }
        // a valid patient posted after the noise still gets its tier
        String valid = moderatePatient();
        flags.await(valid, f -> Flags.priority(f).equals(java.util.Optional.of("PM")), WAIT);
        assertThat(Stack.get().screeningHealth()).contains("\"status\":\"UP\"");
    }

    @SafeVarargs
    static <T> T pick(Random random, T... options) {
        return options[random.nextInt(options.length)];
    }
}
