package calciscreen.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * The screening's actuator (port 8081) as on the FHIR server: {@code /actuator/health} tells probes UP or DOWN and
 * nothing else; health details (file paths, Subscription ids) and metrics need an operator token.
 */
class ScreeningActuatorIT extends EndToEndTest {

    @Test
    void healthSaysUpOnlyAndDetailsAndMetricsNeedAnOperatorToken() {
        HttpResponse<String> health = get("/actuator/health", null);
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"status\":\"UP\"").doesNotContain("components").doesNotContain("Subscription/")
                .doesNotContain(stack.screeningStateDir().toString());

        String operator = stack.token("calciscreen-admin");
        String lab = stack.token("calciscreen-lab");
        for (String path : new String[] {"/actuator/health/details", "/actuator/prometheus", "/actuator/metrics"}) {
            assertThat(get(path, null).statusCode()).as(path + " without a token").isEqualTo(401);
            assertThat(get(path, lab).statusCode()).as(path + " with a non-operator token").isEqualTo(403);
            assertThat(get(path, operator).statusCode()).as(path + " with an operator token").isEqualTo(200);
        }
        assertThat(get("/actuator/health/details", operator).body()).contains("components");
    }

    private static HttpResponse<String> get(String path, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(stack.screeningBase() + path));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return stack.send(request.build());
    }
}
