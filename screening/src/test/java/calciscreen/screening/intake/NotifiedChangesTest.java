package calciscreen.screening.intake;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.hl7.fhir.r4.model.Observation;
import org.junit.jupiter.api.Test;

class NotifiedChangesTest {

    private static Observation version(String id, String version) {
        Observation observation = new Observation();
        observation.setId("Observation/" + id + "/_history/" + version);
        return observation;
    }

    @Test
    void aNotifiedVersionIsKnownAgainButNotTheNextVersionOfTheSameResource() {
        NotifiedChanges changes = new NotifiedChanges(Duration.ofMinutes(3));
        changes.queued(version("7", "2"));

        assertThat(changes.wasQueued(version("7", "2"))).isTrue();
        assertThat(changes.wasQueued(version("7", "3"))).isFalse(); // a later change no notification brought
        assertThat(changes.wasQueued(version("8", "2"))).isFalse();
    }

    @Test
    void aClaimCountsOnlyWithTheStoredVersionsStampAndPatient() {
        NotifiedChanges changes = new NotifiedChanges(Duration.ofMinutes(3));
        Observation stored = version("7", "2");
        stored.getMeta().setLastUpdated(new java.util.Date(1_700_000_000_123L));
        stored.setSubject(new org.hl7.fhir.r4.model.Reference("Patient/p1"));
        Observation otherStamp = stored.copy();
        otherStamp.getMeta().setLastUpdated(new java.util.Date(1_700_000_000_124L));
        Observation otherPatient = stored.copy();
        otherPatient.setSubject(new org.hl7.fhir.r4.model.Reference("Patient/p2"));
        changes.queued(otherStamp);
        changes.queued(otherPatient);

        assertThat(changes.wasQueued(stored)).isFalse();
        changes.queued(stored.copy());
        assertThat(changes.wasQueued(stored)).isTrue();
    }

    @Test
    void theVersionMayComeFromMetaAsAHistoryEntryCarriesIt() {
        NotifiedChanges changes = new NotifiedChanges(Duration.ofMinutes(3));
        changes.queued(version("7", "2"));
        Observation fromHistory = new Observation();
        fromHistory.setId("Observation/7");
        fromHistory.getMeta().setVersionId("2");

        assertThat(changes.wasQueued(fromHistory)).isTrue();
    }

    @Test
    void aResourceWithoutVersionIsNeverTakenAsNotified() {
        NotifiedChanges changes = new NotifiedChanges(Duration.ofMinutes(3));
        Observation unversioned = new Observation();
        unversioned.setId("Observation/7");
        changes.queued(unversioned);

        assertThat(changes.wasQueued(unversioned)).isFalse();
        assertThat(changes.size()).isZero();
    }

    @Test
    void aVersionKeptLongerThanItsTimeCountsAsNotNotified() {
        AtomicLong now = new AtomicLong();
        NotifiedChanges changes = new NotifiedChanges(Duration.ofMillis(50), now::get);
        changes.queued(version("7", "2"));
        now.addAndGet(Duration.ofMillis(50).toNanos());
        assertThat(changes.wasQueued(version("7", "2"))).as("kept for exactly its time").isTrue();

        now.addAndGet(1);
        assertThat(changes.wasQueued(version("7", "2"))).isFalse(); // reconciliation reads it again: safe
    }

    @Test
    void oldEntriesAreSweptOnceThereAreMany() {
        AtomicLong now = new AtomicLong();
        NotifiedChanges changes = new NotifiedChanges(Duration.ofMillis(20), now::get);
        for (int i = 0; i < 10_000; i++) {
            changes.queued(version(String.valueOf(i), "1"));
        }
        now.addAndGet(Duration.ofMillis(40).toNanos());
        changes.queued(version("fresh", "1"));

        assertThat(changes.size()).isEqualTo(1);
        assertThat(changes.wasQueued(version("fresh", "1"))).isTrue();
    }
}
