package calciscreen.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceJvmTest {

    @TempDir
    Path dir;

    @Test
    void theFeatureReleaseIsReadFromJavaVersion() {
        assertThat(ServiceJvm.featureOf("openjdk version \"17.0.15\" 2025-04-15\nOpenJDK Runtime Environment")).isEqualTo(17);
        assertThat(ServiceJvm.featureOf("openjdk version \"25.0.3\" 2026-04-21 LTS\nOpenJDK Runtime Environment Temurin"))
                .isEqualTo(25);
        assertThat(ServiceJvm.featureOf("java version \"1.8.0_402\"")).isEqualTo(8);
        assertThat(ServiceJvm.featureOf("no version here")).isZero();
    }

    @Test
    void onAJdkBeforeTheAotCacheTheJarRunsAsBuiltWithoutOptions() throws Exception {
        Path jar = Files.writeString(dir.resolve("fhir-server.jar"), "not unpacked");
        ServiceJvm jdk17 = new ServiceJvm(Path.of("/usr/bin/java"), 17, "openjdk version \"17.0.15\"", dir.resolve("jvm"));

        ServiceJvm.Prepared prepared = jdk17.prepare("fhir-server", jar);

        assertThat(prepared.jar()).isEqualTo(jar);
        assertThat(prepared.jvmOptions()).isEmpty();
        assertThat(prepared.training()).isFalse();
        assertThat(Files.exists(dir.resolve("jvm"))).isFalse();
        assertThat(jdk17.describe(prepared)).containsEntry("fhir-server_aot_cache", "none (JDK 17 < 25)");
    }

    @Test
    void theJvmThisProcessRunsOnIsTheDefault() {
        ServiceJvm chosen = ServiceJvm.chosen(dir);
        assertThat(chosen.feature()).isEqualTo(Runtime.version().feature());
        assertThat(chosen.java()).isEqualTo(Path.of(System.getProperty("java.home"), "bin", "java"));
    }
}
