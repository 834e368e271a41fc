package calciscreen.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyntheaPopulationTest {

    @TempDir
    Path dir;

    @Test
    void keepsEveryLivingPatientAndAtMostTheAskedNumberOfThoseWhoDied() throws Exception {
        bundle("a_dead.json", "\"deceasedDateTime\":\"2025-01-02T03:04:05Z\"");
        bundle("b_alive.json", "\"gender\":\"female\"");
        bundle("c_dead.json", "\"deceasedBoolean\":true");
        bundle("d_alive.json", "\"deceasedBoolean\":false");
        Files.writeString(dir.resolve("hospitalInformation1.json"), "{\"resourceType\":\"Bundle\",\"entry\":[]}");
        SyntheaPopulation.Generated population = new SyntheaPopulation.Generated(SyntheaPopulation.Kind.ESRD, dir, true, 0);

        assertThat(population.patientBundles(1)).extracting(p -> p.getFileName().toString())
                .containsExactly("a_dead.json", "b_alive.json", "d_alive.json");
        assertThat(population.patientBundles(0)).extracting(p -> p.getFileName().toString())
                .containsExactly("b_alive.json", "d_alive.json");
        assertThat(population.patientBundles(Integer.MAX_VALUE)).hasSize(4);
    }

    private void bundle(String name, String patientFields) throws Exception {
        Files.writeString(dir.resolve(name), "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":["
                + "{\"resource\":{\"resourceType\":\"Patient\"," + patientFields + "}},"
                + "{\"resource\":{\"resourceType\":\"Observation\",\"deceasedBoolean\":true}}]}");
    }
}
