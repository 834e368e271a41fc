package calciscreen.screening.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import calciscreen.screening.context.PatientRecord;
import calciscreen.screening.context.PatientRecordCache;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import ca.uhn.fhir.rest.client.exceptions.FhirClientConnectionException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;

/**
 * A claimed version counts only as the server's answer to its read: the batch of reads a patient's claims make, and
 * how each entry of the server's answer (shaped as HAPI answers a batch: a status per entry, the resource on 200, an
 * OperationOutcome on 404 and 410) verifies or drops its claim.
 */
class ClaimedVersionsTest {

    private static final Instant NOW = Instant.parse("2026-12-02T20:00:00Z");

    @Test
    void aPatientsClaimsAreReadInOneBatchOfVreadsInTheirOrder() {
        Bundle batch = ClaimedVersions.batchOf(List.of(claim("o1", "3"), claim("o2", null)));

        assertThat(batch.getType()).isEqualTo(BundleType.BATCH);
        assertThat(batch.getEntry()).extracting(e -> e.getRequest().getMethod() + " " + e.getRequest().getUrl())
                .containsExactly("GET Observation/o1/_history/3", "GET Observation/o2");
    }

    @Test
    void onlyTheServersCopyOfTheClaimedVersionOfThePatientsOwnResourceIsVerified() {
        List<ClaimedVersions.Claim> claims = List.of(claim("kept", "2"), claim("forged", "1"), claim("theirs", "1"),
                claim("deleted", "2"), claim("other-version", "5"));
        Bundle answer = answer(ok(observation("kept", "2", "p1")), status("404 Not Found"), ok(observation("theirs", "1", "p2")),
                status("410 Gone"), ok(observation("other-version", "4", "p1")));

        ClaimedVersions.Checked checked = ClaimedVersions.check("p1", claims, answer);

        assertThat(checked.verified()).extracting(v -> v.stored().getIdElement().getIdPart()).containsExactly("kept");
        assertThat(checked.dropped()).extracting(d -> d.claim().id() + ":" + d.reason()).containsExactly(
                "forged:not_as_stored", "theirs:other_patient", "deleted:not_as_stored", "other-version:not_as_stored");
    }

    @Test
    void aClaimOfAnotherTypeOrIdThanTheAnswerIsDropped() {
        Patient patient = new Patient();
        patient.setId("Patient/p1");
        patient.getMeta().setVersionId("1");
        ClaimedVersions.Checked checked = ClaimedVersions.check("p1", List.of(claim("o1", "1"), claim("o2", "1")),
                answer(ok(patient), ok(observation("o3", "1", "p1"))));

        assertThat(checked.verified()).isEmpty();
        assertThat(checked.dropped()).extracting(ClaimedVersions.Dropped::reason).containsOnly("not_as_stored");
    }

    @Test
    void aClaimNamingNoVersionIsCheckedAgainstTheCurrentOnesLastUpdated() {
        Date stamped = Date.from(NOW);
        Observation current = observation("o1", "7", "p1");
        current.getMeta().setLastUpdated(stamped);
        ClaimedVersions.Claim same = new ClaimedVersions.Claim("Observation", "o1", null, stamped, NOW);
        ClaimedVersions.Claim older = new ClaimedVersions.Claim("Observation", "o1", null,
                Date.from(NOW.minusSeconds(60)), NOW);

        assertThat(ClaimedVersions.check("p1", List.of(same), answer(ok(current))).verified()).hasSize(1);
        assertThat(ClaimedVersions.check("p1", List.of(older), answer(ok(current))).dropped()).hasSize(1);
    }

    @Test
    void anAnswerOfAnotherLengthVerifiesNothing() {
        ClaimedVersions.Checked checked = ClaimedVersions.check("p1", List.of(claim("o1", "1"), claim("o2", "1")),
                answer(ok(observation("o1", "1", "p1"))));

        assertThat(checked.verified()).isEmpty();
        assertThat(checked.dropped()).extracting(ClaimedVersions.Dropped::reason)
                .containsOnly("batch_answer_unaligned");
    }

    @Test
    void aClaimOfAVersionTheCachedRecordHoldsNeedsNoReadAndIsToldToReconciliation() {
        PatientRecordCache records = new PatientRecordCache(Duration.ofMinutes(2), 100);
        records.remember(record("p1", observation("o1", "2", "p1")), records.generation("p1"), NOW);
        NotifiedChanges notified = new NotifiedChanges(Duration.ofMinutes(5));
        // no server answers here: a read would fail the verification
        ClaimedVersions claims = new ClaimedVersions(unreachableClient(), records, notified,
                new IntakeMetrics(new SimpleMeterRegistry()));

        claims.claim("p1", observation("o1", "2", "p1"));
        claims.verify("p1");

        assertThat(notified.wasQueued(observation("o1", "2", "p1"))).isTrue();
        assertThat(records.current("p1", NOW)).as("the record stays").isPresent();
        assertThat(claims.patientsPending()).isZero();
    }

    @Test
    void aClaimThatCannotBeReadDropsTheRecordAndIsNeverToldToReconciliation() {
        PatientRecordCache records = new PatientRecordCache(Duration.ofMinutes(2), 100);
        records.remember(record("p1", observation("o1", "2", "p1")), records.generation("p1"), NOW);
        NotifiedChanges notified = new NotifiedChanges(Duration.ofMinutes(5));
        ClaimedVersions claims = new ClaimedVersions(unreachableClient(), records, notified,
                new IntakeMetrics(new SimpleMeterRegistry()));

        claims.claim("p1", observation("o1", "3", "p1")); // a version the record does not hold: it must be read
        assertThatThrownBy(() -> claims.verify("p1")).isInstanceOf(FhirClientConnectionException.class);

        assertThat(records.current("p1", NOW)).as("read in full next").isEmpty();
        assertThat(notified.wasQueued(observation("o1", "3", "p1"))).isFalse();
        assertThat(claims.patientsPending()).isZero();
    }

    @Test
    void aWithdrawnClaimIsForgottenAndTooManyClaimsReadThePatientInFull() {
        PatientRecordCache records = new PatientRecordCache(Duration.ofMinutes(2), 100);
        records.remember(record("p1", observation("o1", "1", "p1")), records.generation("p1"), NOW);
        ClaimedVersions claims = new ClaimedVersions(unreachableClient(), records,
                new NotifiedChanges(Duration.ofMinutes(5)), new IntakeMetrics(new SimpleMeterRegistry()));

        claims.claim("p2", observation("x", "1", "p2"));
        claims.withdraw("p2", observation("x", "1", "p2"));
        assertThat(claims.patientsPending()).isZero();

        for (int i = 0; i <= ClaimedVersions.MAX_PENDING; i++) {
            claims.claim("p1", observation("o1", "1", "p1")); // the same claim again and again is kept once
        }
        claims.verify("p1");
        assertThat(records.current("p1", NOW)).isPresent();

        for (int i = 0; i <= ClaimedVersions.MAX_PENDING; i++) {
            claims.claim("p1", i == 0 ? observation("o1", "1", "p1") : observation("forged-" + i, "1", "p1"));
        }
        assertThatThrownBy(() -> claims.verify("p1")).isInstanceOf(FhirClientConnectionException.class);
        assertThat(records.current("p1", NOW)).as("too many claims: read in full").isEmpty();
    }

    private static ca.uhn.fhir.rest.client.api.IGenericClient unreachableClient() {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort(); // closed again: nothing listens there
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        FhirContext fhir = FhirContext.forR4Cached();
        fhir.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
        return fhir.newRestfulGenericClient("http://127.0.0.1:" + port + "/fhir");
    }

    private static ClaimedVersions.Claim claim(String id, String version) {
        return new ClaimedVersions.Claim("Observation", id, version, null, NOW);
    }

    private static Observation observation(String id, String version, String patientId) {
        Observation observation = new Observation();
        observation.setId("Observation/" + id);
        observation.getMeta().setVersionId(version);
        observation.setSubject(new Reference("Patient/" + patientId));
        return observation;
    }

    private static PatientRecord record(String patientId, Resource... data) {
        Patient patient = new Patient();
        patient.setId("Patient/" + patientId);
        patient.getMeta().setVersionId("1");
        return new PatientRecord(patientId, Optional.of(patient), List.of(data), Optional.empty(), Optional.empty(), 1);
    }

    private static Bundle.BundleEntryComponent ok(Resource resource) {
        Bundle.BundleEntryComponent entry = new Bundle.BundleEntryComponent().setResource(resource);
        entry.getResponse().setStatus("200 OK");
        return entry;
    }

    private static Bundle.BundleEntryComponent status(String status) {
        Bundle.BundleEntryComponent entry = new Bundle.BundleEntryComponent();
        entry.getResponse().setStatus(status).setOutcome(new OperationOutcome());
        return entry;
    }

    private static Bundle answer(Bundle.BundleEntryComponent... entries) {
        Bundle bundle = new Bundle().setType(BundleType.BATCHRESPONSE);
        for (Bundle.BundleEntryComponent entry : entries) {
            bundle.addEntry(entry);
        }
        return bundle;
    }
}
