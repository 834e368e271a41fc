package calciscreen.screening.context;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Flag;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;

class PatientRecordCacheTest {

    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

    private final PatientRecordCache cache = new PatientRecordCache(Duration.ofMinutes(2), 100);

    @Test
    void aRecordReadIsServedUntilItIsTooOld() {
        cache.remember(record("1", observation("o1", "1", 1)), cache.generation("1"), T0);

        assertThat(cache.current("1", T0.plusSeconds(119))).isPresent();
        assertThat(cache.current("1", T0.plusSeconds(121))).isEmpty();
    }

    @Test
    void aNotifiedChangeIsAppliedAndAnOlderVersionNeverReplacesANewerOne() {
        cache.remember(record("1", observation("o1", "1", 2)), cache.generation("1"), T0);

        assertThat(cache.apply("1", observation("o2", "1", 1))).isTrue();
        assertThat(cache.apply("1", observation("o1", "1", 1))).isTrue(); // late delivery of version 1

        List<Resource> data = cache.current("1", T0).orElseThrow().clinicalData();
        assertThat(data).extracting(r -> r.getIdElement().getIdPart() + "/" + r.getMeta().getVersionId())
                .containsExactlyInAnyOrder("o1/2", "o2/1");
    }

    @Test
    void aReadThatOverlappedANotificationIsNotKept() {
        long generation = cache.generation("1");
        cache.apply("1", observation("o9", "1", 1)); // arrives while the read is in flight
        cache.remember(record("1", observation("o1", "1", 1)), generation, T0);

        assertThat(cache.current("1", T0)).isEmpty();
    }

    @Test
    void aReadWithNoNotificationInBetweenIsKeptEvenAfterOtherPatientsWerePruned() {
        PatientRecordCache small = new PatientRecordCache(Duration.ofMinutes(2), 1);
        long generation = small.generation("1");
        for (int i = 0; i < 5_000; i++) {
            small.invalidate("other-" + i); // many patients: the generation table is pruned
        }
        small.apply("1", observation("o9", "1", 1));
        small.remember(record("1", observation("o1", "1", 1)), generation, T0);

        assertThat(small.current("1", T0)).isEmpty();
    }

    @Test
    void invalidateForcesAFullRead() {
        cache.remember(record("1", observation("o1", "1", 1)), cache.generation("1"), T0);
        cache.invalidate("1");
        assertThat(cache.current("1", T0)).isEmpty();
    }

    @Test
    void aNotificationForAnUncachedPatientOrOfAnUnknownKindIsNotApplied() {
        assertThat(cache.apply("2", observation("o1", "2", 1))).isFalse();

        cache.remember(record("1", observation("o1", "1", 1)), cache.generation("1"), T0);
        Flag flag = new Flag();
        flag.setId("Flag/f1");
        flag.setSubject(new Reference("Patient/1"));
        assertThat(cache.apply("1", flag)).isFalse();
        assertThat(cache.current("1", T0)).isEmpty();
    }

    @Test
    void aMedicationRequestNamingAnUnknownMedicationDropsTheEntry() {
        cache.remember(record("1", observation("o1", "1", 1)), cache.generation("1"), T0);
        MedicationRequest request = new MedicationRequest();
        request.setId("MedicationRequest/m1");
        request.getMeta().setVersionId("1");
        request.setSubject(new Reference("Patient/1"));
        request.setMedication(new Reference("Medication/unknown"));

        assertThat(cache.apply("1", request)).isFalse();
        assertThat(cache.current("1", T0)).isEmpty();
    }

    @Test
    void aResourceThatMovesToAnotherPatientDropsTheFirstPatientsEntry() {
        cache.remember(record("1", condition("c1", "1", 1)), cache.generation("1"), T0);
        cache.remember(record("2", condition("c2", "2", 1)), cache.generation("2"), T0);

        assertThat(cache.apply("2", condition("c1", "2", 2))).isTrue(); // c1 was filed under patient 1 before

        assertThat(cache.current("1", T0)).isEmpty();
        assertThat(cache.current("2", T0).orElseThrow().clinicalData())
                .extracting(r -> r.getIdElement().getIdPart()).containsExactlyInAnyOrder("c1", "c2");
    }

    @Test
    void aClaimOfAnotherPatientsResourceDropsOnlyThatPatientsEntry() {
        cache.remember(record("1", condition("c1", "1", 1)), cache.generation("1"), T0);
        cache.remember(record("2", condition("c2", "2", 1)), cache.generation("2"), T0);
        long reading = cache.generation("2");

        cache.claimedBy("2", condition("c1", "2", 2)); // patient 2's read brings c1: patient 1 no longer holds it
        cache.claimedBy("2", condition("c2", "2", 2));

        assertThat(cache.current("1", T0)).isEmpty();
        assertThat(cache.current("2", T0)).as("the claim is not applied, its read brings it").isPresent();
        assertThat(cache.generation("2")).as("a read in flight is kept").isEqualTo(reading);
    }

    @Test
    void whatTheScreeningWroteReplacesTheFlagItRead() {
        cache.remember(record("1", observation("o1", "1", 1)), cache.generation("1"), T0);
        Flag written = new Flag();
        written.setId("Flag/f1/_history/3");
        cache.wrote("1", Optional.of(written), Optional.empty());

        assertThat(cache.current("1", T0).orElseThrow().flag()).containsSame(written);
    }

    @Test
    void aPatientUpdateReplacesThePatient() {
        cache.remember(record("1", observation("o1", "1", 1)), cache.generation("1"), T0);
        Patient deceased = new Patient();
        deceased.setId("Patient/1");
        deceased.getMeta().setVersionId("2");
        deceased.setDeceased(new org.hl7.fhir.r4.model.BooleanType(true));

        assertThat(cache.apply("1", deceased)).isTrue();
        assertThat(cache.current("1", T0).orElseThrow().patient().orElseThrow().hasDeceased()).isTrue();
    }

    @Test
    void aZeroMaxAgeKeepsNothing() {
        PatientRecordCache off = new PatientRecordCache(Duration.ZERO, 100);
        off.remember(record("1", observation("o1", "1", 1)), off.generation("1"), T0);
        assertThat(off.current("1", T0)).isEmpty();
    }

    private static PatientRecord record(String patientId, Resource... data) {
        Patient patient = new Patient();
        patient.setId("Patient/" + patientId);
        patient.getMeta().setVersionId("1");
        return new PatientRecord(patientId, Optional.of(patient), List.of(data), Optional.empty(), Optional.empty(), 1);
    }

    private static Observation observation(String id, String patientId, int version) {
        Observation observation = new Observation();
        observation.setId("Observation/" + id);
        observation.getMeta().setVersionId(String.valueOf(version));
        observation.setSubject(new Reference("Patient/" + patientId));
        return observation;
    }

    private static Condition condition(String id, String patientId, int version) {
        Condition condition = new Condition();
        condition.setId("Condition/" + id);
        condition.getMeta().setVersionId(String.valueOf(version));
        condition.setSubject(new Reference("Patient/" + patientId));
        return condition;
    }
}
