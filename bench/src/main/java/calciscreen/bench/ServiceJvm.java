package calciscreen.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JVM the benchmark runs the services on, the way {@code ./calciscreen up} runs them: the launcher's choice (a JDK
 * 25 or newer when one is installed, {@code -Dcalciscreen.bench.service.java}), each service from its jar unpacked
 * under the bench's own directory (a fixed class path, which a class cache needs) and, on JDK 25 or newer, with an AOT
 * cache of its own there: written by a start without one ({@link #training}), read by every later start. A changed jar
 * is unpacked again and its cache dropped; another JDK gets its own cache. On an older JDK the jars run as built,
 * without a cache, as before.
 */
final class ServiceJvm {

    private static final Logger log = LoggerFactory.getLogger(ServiceJvm.class);
    /** The first JDK whose AOT cache ({@code -XX:AOTCacheOutput}, JEP 483/514/515) the services use. */
    static final int AOT_CACHE_FEATURE = 25;

    /** One service as it is started: its jar, the JVM options for its cache, and whether a cache is read. */
    record Prepared(String name, Path jar, List<String> jvmOptions, boolean cacheUsed, Path cache) {
        /** True when this start would write the cache rather than read it. */
        boolean training() {
            return cache != null && !cacheUsed;
        }
    }

    private final Path java;
    private final int feature;
    private final String versionText;
    private final Path cacheRoot;

    ServiceJvm(Path java, int feature, String versionText, Path cacheRoot) {
        this.java = java;
        this.feature = feature;
        this.versionText = versionText;
        this.cacheRoot = cacheRoot;
    }

    /** The launcher's choice, or this JVM when the bench is run without the launcher. */
    static ServiceJvm chosen(Path cacheRoot) {
        String chosen = System.getProperty("calciscreen.bench.service.java", "");
        Path java = chosen.isBlank() ? Path.of(System.getProperty("java.home"), "bin", "java") : Path.of(chosen);
        String version = versionOf(java);
        return new ServiceJvm(java, featureOf(version), version, cacheRoot);
    }

    Path java() {
        return java;
    }

    int feature() {
        return feature;
    }

    boolean cachesClasses() {
        return feature >= AOT_CACHE_FEATURE;
    }

    /**
     * The service {@code name} from {@code jar}: on JDK 25 or newer, the unpacked copy and its cache options (read
     * the cache when it is there, else write it at the stop); on older JDKs the jar as built, no options.
     */
    Prepared prepare(String name, Path jar) {
        if (!cachesClasses()) {
            return new Prepared(name, jar, List.of(), false, null);
        }
        Path dir = cacheRoot.resolve(name);
        Path copy = cacheRoot.resolve(name + ".jar");
        Path unpacked = dir.resolve(name + ".jar");
        try {
            if (!Files.exists(unpacked) || !Files.exists(copy) || Files.mismatch(jar, copy) != -1) {
                if (Files.exists(dir)) {
                    SyntheaPopulation.deleteRecursively(dir);
                    log.info("event=aot_cache_dropped dir={}", dir);
                }
                try (var caches = Files.newDirectoryStream(cacheRoot, name + ".*.aot")) {
                    for (Path cache : caches) {
                        Files.delete(cache);
                    }
                } catch (NoSuchFileException e) {
                    // nothing cached yet
                }
                Files.createDirectories(cacheRoot);
                run(List.of(java.toString(), "-Djarmode=tools", "-jar", jar.toString(), "extract", "--destination",
                        dir.toString(), "--application-filename", name + ".jar"));
                Files.copy(jar, copy, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack " + jar + " into " + dir, e);
        }
        Path cache = cacheRoot.resolve(name + "." + checksum(versionText) + ".aot");
        boolean cached = Files.exists(cache);
        List<String> options = new ArrayList<>();
        options.add((cached ? "-XX:AOTCache=" : "-XX:AOTCacheOutput=") + cache);
        options.add("-Xlog:aot*=error,cds*=error");
        return new Prepared(name, unpacked, List.copyOf(options), cached, cache);
    }

    /** What a report says about it: the JVM, its version, and for each service whether a cache was read. */
    Map<String, Object> describe(Prepared... services) {
        Map<String, Object> described = new LinkedHashMap<>();
        described.put("java", java.toString());
        described.put("version", versionText.lines().findFirst().orElse(""));
        described.put("feature", feature);
        for (Prepared service : services) {
            described.put(service.name() + "_aot_cache", service.cacheUsed() ? "read " + cacheRoot.relativize(service.cache())
                    : cachesClasses() ? "none (could not be written)" : "none (JDK " + feature + " < " + AOT_CACHE_FEATURE + ")");
        }
        return described;
    }

    /**
     * The report's line for what {@link #describe} said: "Java 25 (path), AOT cache read: fhir-server, screening,
     * hl7v2-intake", or "no AOT cache".
     */
    static String summary(int feature, Path java, Map<String, Object> described) {
        List<String> cached = described.entrySet().stream()
                .filter(e -> e.getKey().endsWith("_aot_cache") && String.valueOf(e.getValue()).startsWith("read"))
                .map(e -> e.getKey().replace("_aot_cache", "")).toList();
        return "Java " + feature + " (" + java + "), "
                + (cached.isEmpty() ? "no AOT cache" : "AOT cache read: " + String.join(", ", cached));
    }

    /** The {@code java -version} text of a JVM (its first line names it). */
    static String versionOf(Path java) {
        return run(List.of(java.toString(), "-version"));
    }

    /** The feature release in a {@code java -version} text: 17 in {@code openjdk version "17.0.15"}, 25 in "25.0.3". */
    static int featureOf(String versionText) {
        var matcher = Pattern.compile("version \"(1\\.)?(\\d+)").matcher(versionText);
        return matcher.find() ? Integer.parseInt(matcher.group(2)) : 0;
    }

    private static String checksum(String text) {
        CRC32 crc = new CRC32();
        crc.update(text.getBytes(StandardCharsets.UTF_8));
        return Long.toHexString(crc.getValue());
    }

    private static String run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + output.strip());
            }
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command.get(0), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
