package calciscreen.screening.intake;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
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
    void aVersionKeptLongerThanItsTimeCountsAsNotNotified() throws Exception {
        NotifiedChanges changes = new NotifiedChanges(Duration.ofMillis(50));
        changes.queued(version("7", "2"));
        Thread.sleep(80);

        assertThat(changes.wasQueued(version("7", "2"))).isFalse(); // reconciliation reads it again: safe
    }

    @Test
    void oldEntriesAreSweptOnceThereAreMany() throws Exception {
        NotifiedChanges changes = new NotifiedChanges(Duration.ofMillis(20));
        for (int i = 0; i < 10_000; i++) {
            changes.queued(version(String.valueOf(i), "1"));
        }
        Thread.sleep(40);
        changes.queued(version("fresh", "1"));

        assertThat(changes.size()).isEqualTo(1);
        assertThat(changes.wasQueued(version("fresh", "1"))).isTrue();
    }
}
