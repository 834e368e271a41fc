package calciscreen.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import calciscreen.testing.ServiceProcess;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The production path: a FHIR server that issues no tokens itself and accepts those of an external OAuth 2.0 issuer
 * (CALCISCREEN_AUTH_ISSUER_URI), found through the issuer's metadata. The issuer here is the stack's own server,
 * seen from the outside like any other authorization server.
 */
class ExternalIssuerIT extends EndToEndTest {

    @Test
    void aServerPointedAtAnExternalIssuerAcceptsItsTokensAndNothingElse() throws Exception {
        String issuer = stack.fhirBase().replace("/fhir", "");
        int port = ServiceProcess.freePort();
        Process server = stack.startExtraServer("fhir-server-external-issuer", port, Map.of(
                "CALCISCREEN_AUTH_ISSUER_URI", issuer,
                "CALCISCREEN_AUTH_AUDIENCE", stack.fhirBase()));
        try {
            String base = "http://localhost:" + port + "/fhir";
            HttpResponse<String> smart = get(base + "/.well-known/smart-configuration", null);
            assertThat(smart.body()).as("clients are sent to the issuer for tokens")
                    .contains("\"token_endpoint\":\"" + issuer + "/oauth2/token\"");

            assertThat(get(base + "/Flag?status=active", stack.token("calciscreen-admin")).statusCode()).isEqualTo(200);
            assertThat(get(base + "/Flag?status=active", null).statusCode()).isEqualTo(401);
            assertThat(get(base + "/Flag?status=active", stack.token("calciscreen-lab", "system/Observation.c"))
                    .statusCode()).as("the issuer's scopes are enforced").isEqualTo(403);
            assertThat(get(base + "/oauth2/token", null).statusCode()).as("no embedded token endpoint")
                    .isIn(401, 404, 405);
        } finally {
            server.destroy();
            server.waitFor();
        }
    }

    private static HttpResponse<String> get(String url, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Accept", "application/fhir+json");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return stack.send(request.build());
    }
}
