package calciscreen.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import calciscreen.testing.ServiceProcess;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import calciscreen.smart.SigningKey;
import calciscreen.smart.SmartBackendClient;
import org.junit.jupiter.api.Test;

/**
 * What token validation and scope checks cost on the write path: the same lab POSTs, alternately to two fresh server
 * processes that differ only in security (one as shipped, one in insecure dev mode), same jar, same machine, same
 * run, no screening attached to either. It prints the medians; it asserts only that every write succeeded (a timing
 * is a measurement, not a test).
 */
class SecurityOverheadIT extends EndToEndTest {

    static final int WRITES = 300;

    @Test
    void measureTheCostOfSecurityOnTheWritePath() throws Exception {
        int securePort = ServiceProcess.freePort();
        int insecurePort = ServiceProcess.freePort();
        Process secure = stack.startExtraServer("fhir-server-secured", securePort, Map.of());
        Process insecure = stack.startExtraServer("fhir-server-insecure", insecurePort,
                Map.of("CALCISCREEN_INSECURE_DEV_MODE", "true"));
        try {
            String secureBase = "http://localhost:" + securePort + "/fhir";
            String insecureBase = "http://localhost:" + insecurePort + "/fhir";
            String token = new SmartBackendClient(secureBase, "calciscreen-admin", SigningKey.read(stack.dir
                    .resolve("fhir-server-secured-auth").resolve("clients").resolve("calciscreen-admin.jwk")),
                    List.of()).accessToken();
            String patient = "p-overhead";
            String patientJson = "{\"resourceType\":\"Patient\",\"id\":\"" + patient + "\"}";
            send(secureBase + "/Patient/" + patient, "PUT", patientJson, token);
            send(insecureBase + "/Patient/" + patient, "PUT", patientJson, null);

            List<Long> secured = new ArrayList<>();
            List<Long> open = new ArrayList<>();
            for (int i = 0; i < WRITES + 20; i++) {
                long a = send(secureBase + "/Observation", "POST", String.format(SecurityIT.OBSERVATION, patient), token);
                long b = send(insecureBase + "/Observation", "POST", String.format(SecurityIT.OBSERVATION, patient), null);
                if (i >= 20) { // the first requests warm both JVMs up
                    secured.add(a);
                    open.add(b);
                }
            }
            System.out.printf("event=security_overhead writes=%d median_ms_secured=%.2f median_ms_insecure=%.2f "
                            + "p95_ms_secured=%.2f p95_ms_insecure=%.2f%n", WRITES, percentile(secured, 50) / 1e6,
                    percentile(open, 50) / 1e6, percentile(secured, 95) / 1e6, percentile(open, 95) / 1e6);
        } finally {
            for (Process server : List.of(secure, insecure)) {
                server.destroy();
                server.waitFor();
            }
        }
    }

    /** Sends one request and answers its duration in nanoseconds; fails unless the server accepted it. */
    private static long send(String url, String method, String body, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/fhir+json")
                .header("Prefer", "return=minimal")
                .method(method, HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        long start = System.nanoTime();
        int status = stack.send(request.build()).statusCode();
        long took = System.nanoTime() - start;
        assertThat(status).as(method + " " + url).isIn(200, 201);
        return took;
    }

    private static double percentile(List<Long> values, int percentile) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1));
    }
}
