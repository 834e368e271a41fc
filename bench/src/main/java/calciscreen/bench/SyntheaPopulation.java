package calciscreen.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Generates (once) a Synthea population of FHIR R4 transaction Bundles and caches it under {@code target/}.
 * Synthea 3.3.0 runs in a JVM of its own, on the classpath Maven resolves for {@code bench/synthea/pom.xml}
 * (its own HAPI 6.1, which must not meet ours). Claims and ExplanationOfBenefits (billing, ~20% of Synthea's
 * resources) are not exported: a clinical server does not receive them.
 */
public final class SyntheaPopulation {

    private static final Logger log = LoggerFactory.getLogger(SyntheaPopulation.class);
    public static final String VERSION = "3.3.0";

    public enum Kind { ESRD, MIXED }

    /** One generated population: its directory of Bundles (hospital and practitioner ones first in {@link #bundles}). */
    public record Generated(Kind kind, Path fhirDir, boolean fromCache, double generationSeconds) {

        public List<Path> infrastructureBundles() {
            return list(name -> name.startsWith("hospitalInformation") || name.startsWith("practitionerInformation"));
        }

        public List<Path> patientBundles() {
            return list(name -> !name.startsWith("hospitalInformation") && !name.startsWith("practitionerInformation"));
        }

        /** Every living patient's Bundle, and at most {@code deceasedKept} of those who died (in name order). */
        public List<Path> patientBundles(int deceasedKept) {
            List<Path> kept = new ArrayList<>();
            int deceased = 0;
            for (Path bundle : patientBundles()) {
                if (!isDeceased(bundle) || deceased++ < deceasedKept) {
                    kept.add(bundle);
                }
            }
            return kept;
        }

        private List<Path> list(java.util.function.Predicate<String> name) {
            try (Stream<Path> files = Files.list(fhirDir)) {
                return files.filter(p -> p.toString().endsWith(".json")).filter(p -> name.test(p.getFileName().toString()))
                        .sorted().toList();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Whether the Bundle's Patient (its first entry, as Synthea writes it) has died. */
    static boolean isDeceased(Path bundle) {
        try {
            JsonNode patient = JSON.readTree(bundle.toFile()).path("entry").path(0).path("resource");
            return patient.hasNonNull("deceasedDateTime") || patient.path("deceasedBoolean").asBoolean(false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path cacheRoot;
    private final String classpath;
    private final long seed;
    private final LocalDate referenceDate;

    public SyntheaPopulation(Path cacheRoot, String classpath, long seed, LocalDate referenceDate) {
        this.cacheRoot = cacheRoot;
        this.classpath = classpath;
        this.seed = seed;
        this.referenceDate = referenceDate;
    }

    public Generated generate(Kind kind, int alive, int yearsOfHistory) {
        String key = "synthea-" + VERSION + "-" + kind.name().toLowerCase() + "-seed" + seed + "-p" + alive + "-h"
                + yearsOfHistory + "-" + referenceDate.format(DateTimeFormatter.BASIC_ISO_DATE);
        Path dir = cacheRoot.resolve(key);
        Path fhir = dir.resolve("fhir");
        if (Files.exists(dir.resolve("complete"))) {
            log.info("event=synthea_cached kind={} dir={}", kind, dir);
            return new Generated(kind, fhir, true, 0);
        }
        if (classpath == null || classpath.isBlank()) {
            throw new IllegalStateException("no Synthea classpath (-Dcalciscreen.bench.synthea.classpath); run through ./calciscreen bench");
        }
        long started = System.nanoTime();
        try {
            deleteRecursively(dir);
            Files.createDirectories(dir);
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx2g", "-cp", classpath, "App",
                    "-s", String.valueOf(seed), "-cs", String.valueOf(seed), "-p", String.valueOf(alive),
                    "-r", referenceDate.format(DateTimeFormatter.BASIC_ISO_DATE)));
            if (kind == Kind.ESRD) {
                Path keep = dir.resolve("keep_esrd.json");
                try (InputStream in = SyntheaPopulation.class.getResourceAsStream("/bench/keep_esrd.json")) {
                    Files.copy(in, keep, StandardCopyOption.REPLACE_EXISTING);
                }
                // kidney failure is a disease of older adults: ask Synthea for them, or it simulates many to keep a few
                command.addAll(List.of("-a", "45-85", "-k", keep.toString()));
            }
            command.addAll(List.of(
                    "--exporter.baseDirectory=" + dir,
                    "--exporter.years_of_history=" + yearsOfHistory,
                    "--exporter.fhir.export=true", "--exporter.fhir.transaction_bundle=true",
                    "--exporter.hospital.fhir.export=true", "--exporter.practitioner.fhir.export=true",
                    "--exporter.fhir.excluded_resources=Claim,ExplanationOfBenefit",
                    "--exporter.pretty_print=false", "--exporter.metadata.export=false",
                    "--exporter.csv.export=false", "--exporter.ccda.export=false",
                    "Massachusetts"));
            log.info("event=synthea_generate kind={} alive={} seed={} reference_date={} log={}", kind, alive, seed,
                    referenceDate, dir.resolve("synthea.log"));
            // Synthea prints the (synthetic) names it generates: they go to its log file, never to our output
            Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("synthea.log").toFile()).start();
            int exit = process.waitFor();
            if (exit != 0 || !Files.isDirectory(fhir)) {
                throw new IllegalStateException("Synthea exited with " + exit + "; see " + dir.resolve("synthea.log"));
            }
            Files.writeString(dir.resolve("complete"), String.join(" ", command.subList(4, command.size())) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        log.info("event=synthea_done kind={} seconds={}", kind, String.format("%.1f", seconds));
        return new Generated(kind, fhir, false, seconds);
    }

    /** Deletes {@code dir} and everything under it; nothing when it does not exist. */
    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
