package calciscreen.bench;

import calciscreen.smart.SigningKey;
import calciscreen.smart.SmartBackendClient;
import calciscreen.testing.PostgresTestDatabase;
import calciscreen.testing.ServiceProcess;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real stack for one benchmark phase: a fresh PostgreSQL database, the FHIR server jar and (optionally) the
 * screening jar as processes, as production runs them. {@link #close} stops both; the database is dropped when the
 * benchmark's JVM exits.
 */
public final class Services implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Services.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    public record Jars(Path server, Path screening) {}

    private final Jars jars;
    private final Path java;
    private final Duration stopGrace;
    private final Path dir;
    private SmartBackendClient operator;
    private final List<String> serverJvm;
    private final List<String> screeningJvm;
    private final PostgresTestDatabase database;
    private final int serverPort = ServiceProcess.freePort();
    private final int screeningPort = ServiceProcess.freePort();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final FhirHttp fhir;
    private Process server;
    private Process screening;
    private double serverStartSeconds = Double.NaN;
    private double screeningStartSeconds = Double.NaN;
    private int analyzed;
    private String autovacuum;

    /**
     * @param java      the JVM both services run on
     * @param stopGrace how long a stopping service may take before it is killed (longer when it writes a class cache)
     */
    public Services(String purpose, Path java, Jars jars, Path dir, List<String> serverJvm, List<String> screeningJvm,
                    Duration stopGrace) {
        this.jars = jars;
        this.java = java;
        this.stopGrace = stopGrace;
        this.dir = dir;
        this.serverJvm = serverJvm;
        this.screeningJvm = screeningJvm;
        this.database = PostgresTestDatabase.create(purpose);
        this.fhir = new FhirHttp("http://localhost:" + serverPort + "/fhir", this::operatorToken);
    }

    public FhirHttp fhir() {
        return fhir;
    }

    /** Where the services keep their files (the server's keys under {@code auth/}) and logs. */
    public Path dir() {
        return dir;
    }

    /**
     * The operator's token ({@code calciscreen-admin}, {@code system/*.cruds}) from the server's embedded
     * authorization server, with the key that server generated for it at its first start.
     */
    synchronized String operatorToken() {
        if (operator == null) {
            operator = new SmartBackendClient("http://localhost:" + serverPort + "/fhir", "calciscreen-admin",
                    SigningKey.read(dir.resolve("auth").resolve("clients").resolve("calciscreen-admin.jwk")), List.of());
        }
        return operator.accessToken();
    }

    public String screeningBase() {
        return "http://localhost:" + screeningPort;
    }

    public String databaseName() {
        return database.name();
    }

    /**
     * Brings the planner's statistics up to date before a measured phase ({@code ANALYZE}, outside the phase's
     * window), as autovacuum would have by then in production: it analyzes a table once a tenth of it has changed.
     * A server with {@code autovacuum = off} (this machine's PostgreSQL, set so for its CI) never does. The tables of
     * a fresh database then stay "never analyzed", and a prepared statement that PostgreSQL planned while they were
     * small keeps that plan however large they grow: only new statistics make it plan again. On 2026-12-07 one of
     * the screening's record searches took 10-12 s per execution that way, and PostgreSQL 80-130 ms of CPU per HL7 v2
     * message against 13 ms after one ANALYZE (docs/benchmarks/2026-12-07-hl7v2-statistics.md). With autovacuum on,
     * this only does early what autovacuum would do.
     */
    public void refreshStatistics(String before) {
        long started = System.nanoTime();
        database.analyze();
        analyzed++;
        log.info("event=database_analyzed before=\"{}\" autovacuum={} took_ms={}", before, autovacuum(),
                (System.nanoTime() - started) / 1_000_000);
    }

    /** How many times {@link #refreshStatistics} ran on this phase's database. */
    public int timesAnalyzed() {
        return analyzed;
    }

    /** The PostgreSQL server's {@code autovacuum} setting ("on" or "off"), read once. */
    public String autovacuum() {
        if (autovacuum == null) {
            autovacuum = database.setting("autovacuum");
        }
        return autovacuum;
    }

    /** The server as production runs it, Subscription support included. */
    public void startServer() {
        startServer(true);
    }

    /**
     * The server; with {@code subscriptions} false, without Subscription support at all (no matching of writes),
     * the baseline the screening's cost is measured against.
     */
    public void startServer(boolean subscriptions) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("CALCISCREEN_SERVER_SUBSCRIPTIONS_REST_HOOK_ENABLED", String.valueOf(subscriptions));
        env.put("SERVER_PORT", String.valueOf(serverPort));
        env.put("CALCISCREEN_AUTH_KEY_DIR", dir.resolve("auth").toString());
        env.put("CALCISCREEN_AUTH_SCREENING_JWKS_URI", screeningBase() + "/.well-known/jwks.json");
        env.put("CALCISCREEN_SERVER_SUBSCRIPTIONS_ALLOWED_ENDPOINTS", screeningBase() + "/"); // its rest-hooks
        env.put("SPRING_DATASOURCE_URL", database.jdbcUrl());
        env.put("SPRING_DATASOURCE_USERNAME", database.username());
        env.put("SPRING_DATASOURCE_PASSWORD", database.password());
        // the server's own request-size limit: a Bundle it refuses is counted as refused (a hospital would meet it)
        long started = System.nanoTime();
        server = launch("fhir-server", jars.server(), serverJvm, env);
        awaitUp("fhir-server", server, () -> get(fhir.base() + "/metadata").statusCode() == 200,
                Duration.ofSeconds(300));
        serverStartSeconds = (System.nanoTime() - started) / 1e9;
        log.info("event=service_up name=fhir-server pid={} took_ms={}", server.pid(), (System.nanoTime() - started) / 1_000_000);
    }

    public void startScreening() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("SERVER_PORT", String.valueOf(screeningPort));
        env.put("CALCISCREEN_SCREENING_FHIR_BASE_URL", fhir.base());
        env.put("CALCISCREEN_SCREENING_CALLBACK_BASE_URL", screeningBase());
        env.put("CALCISCREEN_SCREENING_STATE_DIR", dir.resolve("screening-state").toString());
        long started = System.nanoTime();
        screening = launch("screening", jars.screening(), screeningJvm, env);
        awaitUp("screening", screening, () -> {
            HttpResponse<String> response = get(screeningBase() + "/actuator/health");
            return response.statusCode() == 200 && response.body().contains("\"UP\"");
        }, Duration.ofSeconds(180));
        screeningStartSeconds = (System.nanoTime() - started) / 1e9;
        log.info("event=service_up name=screening pid={} took_ms={}", screening.pid(), (System.nanoTime() - started) / 1_000_000);
    }

    /** Seconds from launching the server's JVM to its first 200 from {@code /fhir/metadata}; NaN before. */
    public double serverStartSeconds() {
        return serverStartSeconds;
    }

    /** Seconds from launching the screening's JVM to its health endpoint saying UP; NaN before. */
    public double screeningStartSeconds() {
        return screeningStartSeconds;
    }

    /** Patients waiting for or under evaluation in the screening service. */
    public int screeningQueueDepth() {
        return screeningJson("/screening/backfill").path("queueDepth").asInt();
    }

    public JsonNode screeningJson(String path) {
        try {
            return JSON.readTree(send(HttpRequest.newBuilder(URI.create(screeningBase() + path))
                    .header("Authorization", "Bearer " + operatorToken()).timeout(Duration.ofSeconds(30)).GET().build())
                    .body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public HttpResponse<String> postScreening(String path) {
        return send(HttpRequest.newBuilder(URI.create(screeningBase() + path)).POST(HttpRequest.BodyPublishers.noBody())
                .header("Authorization", "Bearer " + operatorToken()).timeout(Duration.ofSeconds(30)).build());
    }

    /**
     * The screening's timers as its Prometheus endpoint shows them: name (without {@code _seconds}) to
     * {count, sum in seconds}. Two readings give a phase's means ({@link #meanMillisSince}).
     */
    public Map<String, double[]> screeningTimers() {
        return parseTimers(screeningPrometheus());
    }

    /** The screening's {@code /actuator/prometheus} text (operator token). */
    private String screeningPrometheus() {
        return send(HttpRequest.newBuilder(URI.create(screeningBase() + "/actuator/prometheus"))
                .header("Authorization", "Bearer " + operatorToken()).timeout(Duration.ofSeconds(30)).GET().build())
                .body();
    }

    /** The screening's counters as its Prometheus endpoint shows them: name (without {@code _total}), summed over tags. */
    public Map<String, Double> screeningCounters() {
        Map<String, Double> counters = new LinkedHashMap<>();
        for (String line : screeningPrometheus().split("\n")) {
            int end = line.indexOf("_total");
            if (line.startsWith("#") || end < 0 || line.lastIndexOf(' ') < end) {
                continue;
            }
            try {
                counters.merge(line.substring(0, end), Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)),
                        Double::sum);
            } catch (NumberFormatException e) {
                // not a sample line
            }
        }
        return counters;
    }

    static Map<String, double[]> parseTimers(String prometheusText) {
        Map<String, double[]> timers = new LinkedHashMap<>();
        for (String line : prometheusText.split("\n")) {
            if (line.startsWith("#") || !line.contains("_seconds_")) {
                continue;
            }
            String name = line.substring(0, line.indexOf("_seconds_"));
            String rest = line.substring(line.indexOf("_seconds_") + "_seconds_".length());
            int field = rest.startsWith("count") ? 0 : rest.startsWith("sum") ? 1 : -1;
            if (field < 0 || rest.indexOf(' ') < 0 || (rest.contains("{") && !rest.startsWith(field == 0 ? "count{" : "sum{"))) {
                continue;
            }
            try {
                double value = Double.parseDouble(rest.substring(rest.lastIndexOf(' ') + 1));
                timers.computeIfAbsent(name, n -> new double[2])[field] += value;
            } catch (NumberFormatException e) {
                // not a sample line
            }
        }
        return timers;
    }

    /** Mean milliseconds of each timer between two readings; timers with nothing recorded in between are left out. */
    public static Map<String, Double> meanMillisSince(Map<String, double[]> before, Map<String, double[]> after) {
        Map<String, Double> means = new LinkedHashMap<>();
        after.forEach((name, now) -> {
            double[] then = before.getOrDefault(name, new double[2]);
            double count = now[0] - then[0];
            if (count > 0) {
                means.put(name, Math.round((now[1] - then[1]) / count * 10_000) / 10.0);
            }
        });
        return means;
    }

    /** Waits until the screening has had nothing to do for {@code quiet}; returns when it went idle. */
    public Instant awaitScreeningIdle(Duration quiet, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        Instant idleSince = null;
        while (Instant.now().isBefore(deadline)) {
            if (screeningQueueDepth() == 0) {
                if (idleSince == null) {
                    idleSince = Instant.now();
                }
                if (Duration.between(idleSince, Instant.now()).compareTo(quiet) >= 0) {
                    return idleSince;
                }
            } else {
                idleSince = null;
            }
            sleep(50);
        }
        throw new IllegalStateException("screening still busy after " + timeout);
    }

    /** CPU time used so far by the server, the screening (0 when not started), PostgreSQL and this process. */
    public CpuTime cpuTime() {
        return CpuTime.now(server == null ? -1 : server.pid(), screening == null ? -1 : screening.pid());
    }

    /** Peak resident set size (VmHWM) of the server, in MiB; empty if unknown. */
    public OptionalLong serverPeakRssMiB() {
        return peakRssMiB(server);
    }

    public OptionalLong screeningPeakRssMiB() {
        return peakRssMiB(screening);
    }

    static OptionalLong peakRssMiB(Process process) {
        if (process == null || !process.isAlive()) {
            return OptionalLong.empty();
        }
        return readVmHwmKiB(Path.of("/proc", String.valueOf(process.pid()), "status")).stream()
                .map(kib -> kib / 1024).findFirst();
    }

    /** The VmHWM line of a /proc/PID/status file, in KiB. */
    static OptionalLong readVmHwmKiB(Path status) {
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("VmHWM:")) {
                    return OptionalLong.of(Long.parseLong(line.replaceAll("[^0-9]", "")));
                }
            }
            return OptionalLong.empty();
        } catch (IOException e) {
            return OptionalLong.empty();
        }
    }

    @Override
    public void close() {
        ServiceProcess.stop(screening, stopGrace);
        ServiceProcess.stop(server, stopGrace);
    }

    private HttpResponse<String> get(String url) {
        return send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET().build());
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(request.uri() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private Process launch(String name, Path jar, List<String> jvm, Map<String, String> env) {
        Process process = ServiceProcess.launch(name, java, jar, jvm, env, dir);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> ServiceProcess.stop(process), "stop-" + name));
        return process;
    }

    private void awaitUp(String name, Process process, java.util.function.BooleanSupplier up, Duration timeout) {
        ServiceProcess.awaitUp(name, process, up, timeout, dir);
    }

    static void sleep(long millis) {
        ServiceProcess.sleep(millis);
    }
}
