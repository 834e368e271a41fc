package calciscreen.e2e;

import calciscreen.smart.SigningKey;
import calciscreen.smart.SmartBackendClient;
import calciscreen.testing.PostgresTestDatabase;
import calciscreen.testing.ServiceProcess;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The whole stack as production runs it: the FHIR server jar and the screening jar as two processes, on a
 * PostgreSQL database made for this run. Started once per test JVM and shared by the test classes.
 */
public final class Stack {

    static final FhirContext FHIR = FhirContext.forR4Cached();
    private static Stack instance;

    final PostgresTestDatabase database;
    final int serverPort;
    final int screeningPort;
    /** A port on the CDS fhirServer allow-list where nothing answers unless a test listens (slow-server test). */
    final int silentFhirPort;
    final Path dir;
    private Process server;
    private Process screening;
    private final HttpClient http = HttpClient.newHttpClient();
    private final Map<String, SmartBackendClient> tokens = new java.util.concurrent.ConcurrentHashMap<>();
    /** Access tokens expire this fast here, so every run also proves that the screening renews its token. */
    static final String TOKEN_LIFETIME = "45s";
    /** The worklist's sessions end this fast here, so that a browser test sees one end. */
    static final String SIGN_IN_IDLE_TIMEOUT = "30s";

    private Stack() {
        dir = Path.of(System.getProperty("calciscreen.e2e.dir", "target/e2e")).resolve("run-" + UUID.randomUUID());
        database = PostgresTestDatabase.create("e2e");
        serverPort = ServiceProcess.freePort();
        screeningPort = ServiceProcess.freePort();
        silentFhirPort = ServiceProcess.freePort();
    }

    public static synchronized Stack get() {
        if (instance == null) {
            Stack stack = new Stack();
            Runtime.getRuntime().addShutdownHook(new Thread(stack::stopAll, "stop-e2e-stack"));
            stack.startServer();
            stack.startScreening();
            instance = stack;
        }
        return instance;
    }

    public String fhirBase() {
        return "http://localhost:" + serverPort + "/fhir";
    }

    public String screeningBase() {
        return "http://localhost:" + screeningPort;
    }

    public String silentFhirBase() {
        return "http://127.0.0.1:" + silentFhirPort + "/fhir";
    }

    /** The screening's state dir (holds the development CDS client's key). */
    public Path screeningStateDir() {
        return dir.resolve("screening-state");
    }

    /** The screening jar, for running its command-line tools as the launcher does. */
    public static String screeningJar() {
        return System.getProperty("calciscreen.screening.jar");
    }

    /** A FHIR client authenticated as the operator client {@code calciscreen-admin} ({@code system/*.cruds}). */
    public IGenericClient client() {
        return client("calciscreen-admin");
    }

    /** A FHIR client authenticated as {@code clientId} (SMART Backend Services, renewed as tokens expire). */
    public IGenericClient client(String clientId, String... scopes) {
        FHIR.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
        FHIR.getRestfulClientFactory().setPoolMaxTotal(100);
        FHIR.getRestfulClientFactory().setPoolMaxPerRoute(100);
        IGenericClient client = FHIR.newRestfulGenericClient(fhirBase());
        SmartBackendClient tokens = tokens(clientId, scopes);
        client.registerInterceptor(new ca.uhn.fhir.rest.client.api.IClientInterceptor() {
            @Override
            public void interceptRequest(ca.uhn.fhir.rest.client.api.IHttpRequest request) {
                request.removeHeaders("Authorization");
                request.addHeader("Authorization", "Bearer " + tokens.accessToken());
            }

            @Override
            public void interceptResponse(ca.uhn.fhir.rest.client.api.IHttpResponse response) {}
        });
        return client;
    }

    /** A fresh access token for a client of the embedded authorization server, through SMART Backend Services. */
    public String token(String clientId, String... scopes) {
        return tokens(clientId, scopes).accessToken();
    }

    private SmartBackendClient tokens(String clientId, String... scopes) {
        return tokens.computeIfAbsent(clientId + " " + String.join(" ", scopes), key -> new SmartBackendClient(
                fhirBase(), clientId, SigningKey.read(authDir().resolve("clients").resolve(clientId + ".jwk")),
                List.of(scopes)));
    }

    /** Where the embedded authorization server sends a person back after signing in to the worklist. */
    public String worklistRedirectUri() {
        return screeningBase() + "/login/oauth2/code/calciscreen";
    }

    /** The password of a demo user ({@code clinician}, {@code reader}), from the file the server writes once. */
    public String demoPassword(String username) {
        try {
            java.util.regex.Matcher line = java.util.regex.Pattern.compile(
                    "username: " + username + " +password: (\\S+)").matcher(
                    Files.readString(authDir().resolve("demo-people.txt")));
            if (!line.find()) {
                throw new IllegalStateException("no demo user " + username + " in " + authDir().resolve("demo-people.txt"));
            }
            return line.group(1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The embedded authorization server's keys: its own signing key and the keys it made for the clients. */
    public Path authDir() {
        return dir.resolve("auth");
    }

    /**
     * The header line the screening's Subscription for {@code type} carries (its current secret, as the screening
     * keeps it), as the FHIR server sends it with every notification of that Subscription.
     */
    public String[] notificationSecretHeader(String type) {
        try {
            return new String[] {"X-Calciscreen-Notification-Secret", Files.readAllLines(
                    screeningStateDir().resolve("notification-secrets").resolve(type)).get(0).trim()};
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public synchronized void startServer() {
        server = launch("fhir-server", System.getProperty("calciscreen.server.jar"), Map.ofEntries(
                Map.entry("SERVER_PORT", String.valueOf(serverPort)),
                Map.entry("CALCISCREEN_AUTH_KEY_DIR", authDir().toString()),
                Map.entry("CALCISCREEN_AUTH_TOKEN_LIFETIME", TOKEN_LIFETIME),
                Map.entry("CALCISCREEN_AUTH_SCREENING_JWKS_URI", screeningBase() + "/.well-known/jwks.json"),
                Map.entry("CALCISCREEN_AUTH_WORKLIST_REDIRECT_URI", worklistRedirectUri()),
                Map.entry("CALCISCREEN_AUTH_WORKLIST_POST_LOGOUT_REDIRECT_URI", screeningBase() + "/signin/signed-out"),
                Map.entry("CALCISCREEN_SERVER_SUBSCRIPTIONS_ALLOWED_ENDPOINTS", screeningBase() + "/"),
                Map.entry("SPRING_DATASOURCE_URL", database.jdbcUrl()),
                Map.entry("SPRING_DATASOURCE_USERNAME", database.username()),
                Map.entry("SPRING_DATASOURCE_PASSWORD", database.password())));
        awaitUp("fhir-server", server, fhirBase() + "/metadata", Duration.ofSeconds(240));
    }

    public synchronized void startScreening() {
        screening = launch("screening", System.getProperty("calciscreen.screening.jar"), Map.of(
                "SERVER_PORT", String.valueOf(screeningPort),
                "CALCISCREEN_SCREENING_FHIR_BASE_URL", fhirBase(),
                "CALCISCREEN_SCREENING_CALLBACK_BASE_URL", screeningBase(),
                "CALCISCREEN_SCREENING_STATE_DIR", dir.resolve("screening-state").toString(),
                "CALCISCREEN_SCREENING_RECONCILE_PERIOD", "20s",
                "CALCISCREEN_SIGNIN_ISSUER_URI", "http://localhost:" + serverPort,
                "CALCISCREEN_SIGNIN_IDLE_TIMEOUT", SIGN_IN_IDLE_TIMEOUT,
                "CALCISCREEN_REVIEWS_METRICS_REFRESH", "10s",
                "CALCISCREEN_CDS_FHIR_SERVER_ALLOW_LIST", fhirBase() + "," + silentFhirBase()));
        awaitUp("screening", screening, screeningBase() + "/actuator/health", Duration.ofSeconds(120));
    }

    /**
     * A second FHIR server process beside the stack's, on its own fresh database, with extra environment (for
     * comparisons such as with and without security). The caller stops it.
     */
    public Process startExtraServer(String name, int port, Map<String, String> extraEnv) {
        PostgresTestDatabase extraDatabase = PostgresTestDatabase.create(name.replace('-', '_'));
        Map<String, String> env = new java.util.HashMap<>(Map.of(
                "SERVER_PORT", String.valueOf(port),
                "CALCISCREEN_AUTH_KEY_DIR", dir.resolve(name + "-auth").toString(),
                "SPRING_DATASOURCE_URL", extraDatabase.jdbcUrl(),
                "SPRING_DATASOURCE_USERNAME", extraDatabase.username(),
                "SPRING_DATASOURCE_PASSWORD", extraDatabase.password()));
        env.putAll(extraEnv);
        Process process = launch(name, System.getProperty("calciscreen.server.jar"), env);
        awaitUp(name, process, "http://localhost:" + port + "/fhir/metadata", Duration.ofSeconds(240));
        return process;
    }

    /**
     * A second screening process beside the stack's, for the FHIR server at {@code fhirBase}, with its own state and
     * extra environment (another sign-in issuer, say). The caller stops it.
     */
    public Process startExtraScreening(String name, int port, String fhirBase, Map<String, String> extraEnv) {
        String base = "http://localhost:" + port;
        Map<String, String> env = new java.util.HashMap<>(Map.of(
                "SERVER_PORT", String.valueOf(port),
                "CALCISCREEN_SCREENING_FHIR_BASE_URL", fhirBase,
                "CALCISCREEN_SCREENING_CALLBACK_BASE_URL", base,
                "CALCISCREEN_SCREENING_STATE_DIR", dir.resolve(name + "-state").toString()));
        env.putAll(extraEnv);
        Process process = launch(name, screeningJar(), env);
        try {
            awaitUp(name, process, base + "/actuator/health", Duration.ofSeconds(120));
        } catch (RuntimeException e) {
            stop(process);
            throw e;
        }
        return process;
    }

    public synchronized void stopScreening() {
        stop(screening);
    }

    public synchronized void stopServer() {
        stop(server);
    }

    /** The screening's log lines so far (structured {@code event=...} lines). */
    public java.util.stream.Stream<String> screeningLog() {
        try {
            return Files.readAllLines(dir.resolve("screening.log")).stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Health of the screening service with its details, as its operators see it (an operator token). */
    public String screeningHealth() {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(screeningBase() + "/actuator/health/details"))
                            .header("Authorization", "Bearer " + token("calciscreen-admin")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void stopAll() {
        stop(screening);
        stop(server);
    }

    private static void stop(Process process) {
        ServiceProcess.stop(process);
    }

    private Process launch(String name, String jar, Map<String, String> env) {
        return ServiceProcess.launch(name, jar == null ? null : Path.of(jar),
                List.of("-Xmx1g", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"), env, dir);
    }

    /** Up once {@code url} answers 200 (and, for a health URL, says UP). */
    private void awaitUp(String name, Process process, String url, Duration timeout) {
        ServiceProcess.awaitUp(name, process, () -> {
            HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofSeconds(5)).build());
            return response.statusCode() == 200 && (!url.endsWith("/health") || response.body().contains("\"UP\""));
        }, timeout, dir);
    }

    static void sleep(long millis) {
        ServiceProcess.sleep(millis);
    }
}
