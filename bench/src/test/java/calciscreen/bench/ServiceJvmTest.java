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

    @Test
    void theReportNamesEveryServiceWhoseCacheWasReadTheIntakeToo() {
        ServiceJvm jdk25 = new ServiceJvm(Path.of("/jdk25/bin/java"), 25, "openjdk version \"25.0.3\"", dir);
        ServiceJvm.Prepared server = new ServiceJvm.Prepared("fhir-server", dir.resolve("fhir-server/fhir-server.jar"),
                java.util.List.of("-XX:AOTCache=" + dir.resolve("fhir-server.1.aot")), true, dir.resolve("fhir-server.1.aot"));
        ServiceJvm.Prepared screening = new ServiceJvm.Prepared("screening", dir.resolve("screening/screening.jar"),
                java.util.List.of("-XX:AOTCacheOutput=" + dir.resolve("screening.1.aot")), false, dir.resolve("screening.1.aot"));
        ServiceJvm.Prepared intake = new ServiceJvm.Prepared("hl7v2-intake", dir.resolve("hl7v2-intake/hl7v2-intake.jar"),
                java.util.List.of("-XX:AOTCache=" + dir.resolve("hl7v2-intake.1.aot")), true, dir.resolve("hl7v2-intake.1.aot"));

        var described = jdk25.describe(server, screening, intake);

        assertThat(described).containsEntry("hl7v2-intake_aot_cache", "read hl7v2-intake.1.aot")
                .containsEntry("screening_aot_cache", "none (could not be written)");
        assertThat(ServiceJvm.summary(25, Path.of("/jdk25/bin/java"), described))
                .isEqualTo("Java 25 (/jdk25/bin/java), AOT cache read: fhir-server, hl7v2-intake");
        assertThat(ServiceJvm.summary(17, Path.of("/usr/bin/java"), java.util.Map.of())).endsWith("no AOT cache");
    }

    @Test
    void theIntakeStartsWithItsCacheOptionsFirstThenTheHeapThenTheOperatorsOptions() {
        ServiceJvm.Prepared intake = new ServiceJvm.Prepared("hl7v2-intake", dir.resolve("hl7v2-intake/hl7v2-intake.jar"),
                java.util.List.of("-XX:AOTCache=/c.aot", "-Xlog:aot*=error,cds*=error"), true, Path.of("/c.aot"));

        assertThat(Hl7Feed.intakeJvm(intake, " -XX:+UseSerialGC  -Dx=1 ")).containsExactly("-XX:AOTCache=/c.aot",
                "-Xlog:aot*=error,cds*=error", "-Xms64m", "-Xmx512m", "-XX:+UseSerialGC", "-Dx=1");
        assertThat(Hl7Feed.intakeJvm(new ServiceJvm.Prepared("hl7v2-intake", Path.of("i.jar"), java.util.List.of(), false,
                null), null)).containsExactly("-Xms64m", "-Xmx512m");
    }
}
