package calciscreen.e2e;

import static calciscreen.e2e.ClinicalData.RXNORM;
import static calciscreen.e2e.ClinicalData.SNOMED;
import static calciscreen.e2e.ClinicalData.daysAgo;
import static org.assertj.core.api.Assertions.assertThat;

import calciscreen.screening.context.PatientRecordLoader;
import calciscreen.screening.context.PatientRecord;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.Flag;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Medication;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;

/**
 * Backfill reads its patients in chunks ({@link PatientRecordLoader#loadAll}): each patient must get exactly the
 * record it gets when read alone, and a backfill must go by what the server holds now, not by what the screening
 * remembers.
 */
class BackfillIT extends EndToEndTest {

    static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void aChunkOfPatientsReadAtOnceGivesEachTheRecordItGetsReadAlone() {
        // one Medication named by reference from two patients' orders: each record must carry it
        String warfarin = client.create().resource(new Medication().setCode(new CodeableConcept(
                new Coding(RXNORM, "855332", "warfarin sodium 5 MG Oral Tablet")))).execute().getId().getIdPart();
        String high = post(ClinicalData.newPatient(AdministrativeGender.FEMALE)
                .condition(SNOMED, "46177005", "End-stage renal disease")
                .lab("2731-8", 700, "pg/mL", daysAgo(3))
                .lab("17861-6", 10.8, "mg/dL", daysAgo(3))
                .lab("17861-6", 11.9, "mg/dL", daysAgo(200)) // outside the lookback: read by neither
                .labIssuedOnly("2777-1", 6.2, "mg/dL", daysAgo(2)));
        String moderate = post(ClinicalData.newPatient(AdministrativeGender.MALE)
                .condition(SNOMED, "44054006", "Diabetes mellitus type 2")
                .lab("1751-7", 2.8, "g/dL", daysAgo(5)));
        String empty = post(ClinicalData.newPatient(AdministrativeGender.MALE));
        for (String patient : List.of(high, moderate)) {
            client.create().resource(dialysis(patient)).execute();
            client.create().resource(orderOf(patient, warfarin)).execute();
        }
        // the last change of each is written (a change within the tier may be put off for a second): nothing moves
        // between the reads compared below. high: R1 3 + R2 2 + R3 2 + R4 1 + R5 2 + R7 2 + R8 1 = 13;
        // moderate: R1 3 (dialysis) + R6 1 + R7 2 + R9 1 = 7
        awaitScore(high, 13);
        awaitScore(moderate, 7);

        PatientRecordLoader loader = new PatientRecordLoader(client);
        Instant at = Instant.now();
        List<String> ids = List.of(high, "no-such-patient", moderate, empty);
        Map<String, PatientRecord> together = loader.loadAll(ids, at, Duration.ofDays(90));

        assertThat(together.keySet()).containsExactlyElementsOf(ids);
        for (String id : ids) {
            PatientRecord alone = loader.load(id, at, Duration.ofDays(90));
            assertThat(summary(together.get(id))).as("Patient/%s", id).isEqualTo(summary(alone));
        }
        // an unstored answer that fills its page may have been cut short: it is read again, paged, and nothing is lost
        Map<String, PatientRecord> inPages = new PatientRecordLoader(client, 2).loadAll(ids, at, Duration.ofDays(90));
        for (String id : ids) {
            assertThat(summary(inPages.get(id))).as("Patient/%s in pages of 2", id).isEqualTo(summary(together.get(id)));
        }
        assertThat(inPages.get(high).requests()).isGreaterThan(together.get(high).requests());
        assertThat(together.get("no-such-patient").patient()).isEmpty();
        assertThat(summary(together.get(high)))
                .as("Patient, ESRD, PTH, calcium in the lookback, issued-only phosphate, dialysis, order, Medication, Flag, RA")
                .filteredOn(s -> !s.startsWith("Patient")).hasSize(9);
        assertThat(summary(together.get(moderate))).contains("Medication/" + warfarin + "/_history/1");
    }

    @Test
    void backfillGoesByWhatTheServerHoldsNotByWhatTheScreeningRemembers() {
        String patient = post(ReliabilityIT.moderatePatient());
        Flag flag = flags.await(patient, Flags::active, WAIT);
        // the Flag is changed behind the screening's back (no Subscription watches Flags): only a read can tell. Only
        // the screening client may write its Flags (ScreeningResultsIT), so the change is made with its credentials
        flag.setStatus(Flag.FlagStatus.INACTIVE);
        assertThat(new FhirHttp(stack).send("PUT", "/Flag/" + flag.getIdElement().getIdPart(),
                Stack.FHIR.newJsonParser().encodeResourceToString(flag), AuditTrailIT.screeningToken()).statusCode())
                .isEqualTo(200);
        assertThat(flags.of(patient).get(0).getStatus()).isEqualTo(Flag.FlagStatus.INACTIVE);

        String operator = "Bearer " + stack.token("calciscreen-admin");
        assertThat(stack.send(HttpRequest.newBuilder(URI.create(stack.screeningBase() + "/screening/backfill?restart=true"))
                .header("Authorization", operator).POST(HttpRequest.BodyPublishers.noBody()).build()).statusCode())
                .isEqualTo(202);

        Flag restored = flags.await(patient, Flags::active, WAIT);
        assertThat(Flags.priority(restored)).contains("PM");
    }

    private static void awaitScore(String patient, int score) {
        org.awaitility.Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() ->
                flags.assessmentOf(patient).map(Flags::score).orElse(-1) == score
                        && flags.of(patient).stream().anyMatch(Flags::active));
    }

    private static Procedure dialysis(String patient) {
        Procedure procedure = new Procedure();
        procedure.setStatus(Procedure.ProcedureStatus.COMPLETED);
        procedure.setCode(new CodeableConcept(new Coding(SNOMED, "265764009", "Renal dialysis")));
        procedure.setSubject(new Reference("Patient/" + patient));
        procedure.setPerformed(new DateTimeType(java.util.Date.from(daysAgo(4))));
        return procedure;
    }

    private static MedicationRequest orderOf(String patient, String medication) {
        MedicationRequest order = new MedicationRequest();
        order.setStatus(MedicationRequest.MedicationRequestStatus.ACTIVE);
        order.setIntent(MedicationRequest.MedicationRequestIntent.ORDER);
        order.setMedication(new Reference("Medication/" + medication));
        order.setSubject(new Reference("Patient/" + patient));
        return order;
    }

    /** What a record holds, by type, id and version, in a stable order. */
    private static List<String> summary(PatientRecord record) {
        List<String> held = new ArrayList<>();
        record.patient().ifPresent(p -> held.add(versioned(p)));
        record.clinicalData().stream().map(BackfillIT::versioned).sorted().forEach(held::add);
        record.flag().map(BackfillIT::versioned).map("Flag "::concat).ifPresent(held::add);
        record.riskAssessment().map(BackfillIT::versioned).map("RiskAssessment "::concat).ifPresent(held::add);
        return held;
    }

    private static String versioned(Resource resource) {
        return resource.fhirType() + "/" + resource.getIdElement().getIdPart() + "/_history/"
                + Optional.ofNullable(resource.getMeta().getVersionId()).orElse(resource.getIdElement().getVersionIdPart());
    }
}
