package calciscreen.e2e;

import calciscreen.hl7v2.demo.Examples;
import calciscreen.hl7v2.mllp.MllpClient;
import calciscreen.testing.ServiceProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The HL7 v2 intake jar as a process of its own beside the stack's FHIR server, the way a hospital runs it: MLLP on
 * a free port, signing in as {@code calciscreen-lab} with the key the embedded authorization server generated for
 * that client (the stack's server registers no JWK Set URL for it).
 */
final class Hl7Intake implements AutoCloseable {

    static final String PATIENT_SYSTEM = "http://calciscreen.example/fhir/sid/hl7v2-patient/CITYHOSP";

    final String name;
    final int mllpPort;
    final int httpPort;
    private final Stack stack;
    private final Map<String, String> extraEnv;
    private Process process;

    Hl7Intake(Stack stack, String name, Map<String, String> extraEnv) {
        this.stack = stack;
        this.name = name;
        this.extraEnv = extraEnv;
        this.mllpPort = ServiceProcess.freePort();
        this.httpPort = ServiceProcess.freePort();
    }

    static Hl7Intake start(Stack stack, String name) {
        Hl7Intake intake = new Hl7Intake(stack, name, Map.of());
        intake.start();
        return intake;
    }

    void start() {
        Map<String, String> env = new HashMap<>(Map.of(
                "SERVER_PORT", String.valueOf(httpPort),
                "CALCISCREEN_HL7V2_MLLP_PORT", String.valueOf(mllpPort),
                "CALCISCREEN_HL7V2_FHIR_BASE_URL", stack.fhirBase(),
                "CALCISCREEN_HL7V2_STATE_DIR", stack.dir.resolve(name + "-state").toString(),
                "CALCISCREEN_HL7V2_LAB_KEY_FILE", stack.authDir().resolve("clients/calciscreen-lab.jwk").toString(),
                "CALCISCREEN_HL7V2_FRAME_IDLE_TIMEOUT", "3s",
                "CALCISCREEN_HL7V2_REQUEST_TIMEOUT", "10s"));
        env.putAll(extraEnv);
        Process started = ServiceProcess.launch(name, Path.of(System.getProperty("calciscreen.hl7v2.jar")),
                List.of("-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"), env, stack.dir);
        process = started;
        // whatever becomes of the test (a failed start, a failed teardown), the JVM's exit stops the intake
        Runtime.getRuntime().addShutdownHook(new Thread(() -> ServiceProcess.stop(started), "stop-" + name));
        try {
            ServiceProcess.awaitUp(name, started, () -> {
                HttpResponse<String> health = stack.send(HttpRequest.newBuilder(URI.create(
                        "http://localhost:" + httpPort + "/actuator/health")).timeout(Duration.ofSeconds(5)).build());
                return health.statusCode() == 200 && health.body().contains("\"UP\"");
            }, Duration.ofSeconds(90), stack.dir);
        } catch (RuntimeException notUp) {
            ServiceProcess.stop(started);
            throw notUp;
        }
    }

    void stop() {
        ServiceProcess.stop(process);
    }

    @Override
    public void close() {
        stop();
    }

    MllpClient connect() {
        try {
            return new MllpClient("localhost", mllpPort, Duration.ofSeconds(60));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends one message on a connection of its own and returns the ACK. */
    String send(String message) {
        try (MllpClient client = connect()) {
            return client.send(message);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String httpGet(String path, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + httpPort + path));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response = stack.send(request.build());
        return response.statusCode() + " " + response.body();
    }

    /** The messages of a shipped example, dated yesterday, with patients and ids of this run. */
    static List<String> example(String name, String run) {
        return Examples.load(name, LocalDate.now().minusDays(1), run);
    }

    /** A run id: a short number, so medical record numbers and control ids stay short. */
    static String newRun() {
        return String.valueOf(Math.abs(UUID.randomUUID().getMostSignificantBits() % 900_000) + 100_000);
    }

    /** MSA-1 of an ACK: AA, AE or AR. */
    static String ackCode(String ack) {
        return field(segment(ack, "MSA"), 1);
    }

    static String segment(String message, String id) {
        for (String segment : message.split("\r")) {
            if (segment.startsWith(id + "|")) {
                return segment;
            }
        }
        return "";
    }

    static String field(String segment, int n) {
        String[] fields = segment.split("\\|", -1);
        return fields.length > n ? fields[n] : "";
    }
}
