package calciscreen.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 22 item 14: the authorization server's metadata (OpenID discovery, OAuth server metadata, SMART's
 * configuration, the CapabilityStatement) advertises only what is served: the authorization code grant with PKCE
 * S256 and the client credentials grant, {@code private_key_jwt} only, and the SMART capabilities really there;
 * {@code /oauth2/authorize} redirects only to a client's registered redirect URIs.
 */
class AuthorizationServerMetadataIT extends EndToEndTest {

    static final List<String> GRANTS = List.of("authorization_code", "client_credentials");
    /** Endpoints and features Spring Authorization Server would name, none of which this server serves. */
    static final List<String> NOT_SERVED = List.of("revocation_endpoint", "introspection_endpoint",
            "device_authorization_endpoint", "registration_endpoint", "pushed_authorization_request_endpoint",
            "dpop_signing_alg_values_supported", "revocation_endpoint_auth_methods_supported",
            "introspection_endpoint_auth_methods_supported");

    private String issuer() {
        return stack.fhirBase().replaceAll("/fhir$", "");
    }

    private Map<String, Object> document(String url) {
        HttpResponse<String> response = stack.send(HttpRequest.newBuilder(URI.create(url)).build());
        assertThat(response.statusCode()).as(url).isEqualTo(200);
        return SignInFlow.json(response.body());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/.well-known/openid-configuration", "/.well-known/oauth-authorization-server"})
    void serverMetadataAdvertisesOnlyTheGrantsAndClientAuthenticationServed(String path) {
        assertAdvertisesOnlyWhatIsServed(document(issuer() + path));
    }

    private void assertAdvertisesOnlyWhatIsServed(Map<String, Object> metadata) {
        assertThat(metadata).containsEntry("issuer", issuer())
                .containsEntry("authorization_endpoint", issuer() + "/oauth2/authorize")
                .containsEntry("token_endpoint", issuer() + "/oauth2/token")
                .containsEntry("jwks_uri", issuer() + "/oauth2/jwks")
                .containsEntry("grant_types_supported", GRANTS)
                .containsEntry("token_endpoint_auth_methods_supported", List.of("private_key_jwt"))
                .containsEntry("code_challenge_methods_supported", List.of("S256"))
                .containsEntry("response_types_supported", List.of("code"));
        assertThat(metadata.get("token_endpoint_auth_signing_alg_values_supported")).isEqualTo(List.of("RS384", "ES384"));
        assertThat(metadata).doesNotContainKeys(NOT_SERVED.toArray(String[]::new));
        assertThat(metadata.get("tls_client_certificate_bound_access_tokens")).isNotEqualTo(true);
    }

    @Test
    void openIdDiscoveryNamesTheSignInEndpointsAndTheIdTokenAlgorithm() {
        Map<String, Object> metadata = document(issuer() + "/.well-known/openid-configuration");
        assertThat(metadata).containsEntry("userinfo_endpoint", issuer() + "/userinfo")
                .containsEntry("end_session_endpoint", issuer() + "/connect/logout")
                .containsEntry("id_token_signing_alg_values_supported", List.of("RS256"));
        @SuppressWarnings("unchecked")
        List<String> scopes = (List<String>) metadata.get("scopes_supported");
        assertThat(scopes).contains("openid", "profile", "fhirUser", "launch", "launch/patient", "user/Task.crs");
    }

    @Test
    void smartConfigurationAdvertisesTheCodeFlowWithPkceAndOnlyTheCapabilitiesServed() {
        Map<String, Object> smart = document(stack.fhirBase() + "/.well-known/smart-configuration");

        assertAdvertisesOnlyWhatIsServed(smart);
        @SuppressWarnings("unchecked")
        List<String> capabilities = (List<String>) smart.get("capabilities");
        assertThat(capabilities).containsExactlyInAnyOrder("launch-ehr", "launch-standalone",
                "client-confidential-asymmetric", "context-ehr-patient", "sso-openid-connect", "permission-user",
                "permission-v1", "permission-v2");
    }

    @Test
    void theCapabilityStatementNamesTheAuthorizeAndTokenEndpoints() {
        HttpResponse<String> metadata = new FhirHttp(stack).get("/metadata", null);
        assertThat(metadata.statusCode()).isEqualTo(200);
        assertThat(metadata.body()).contains("oauth-uris").contains(issuer() + "/oauth2/authorize")
                .contains(issuer() + "/oauth2/token");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/oauth2/introspect", "/oauth2/revoke", "/oauth2/device_authorization",
            "/oauth2/device_verification", "/oauth2/par"})
    void endpointsThatAreNotAdvertisedAreNotServed(String path) {
        // a well-formed request of a known client: whatever the server would do with it, it must not be served
        HttpResponse<String> answer = stack.send(HttpRequest.newBuilder(URI.create(issuer() + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("token=" + stack.token("calciscreen-admin")
                        + "&client_id=calciscreen-admin")).build());
        assertThat(answer.statusCode()).as(path).isIn(401, 404);
        assertThat(answer.body()).as(path).doesNotContain("\"active\"");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"calciscreen-worklist", "calciscreen-admin", "calciscreen-screening"})
    void authorizeNeverRedirectsToAnUnregisteredUri(String clientId) {
        String evil = "https://evil.example/callback";
        HttpResponse<String> answer = stack.send(HttpRequest.newBuilder(URI.create(issuer() + "/oauth2/authorize?"
                + "response_type=code&client_id=" + clientId + "&scope=openid&state=s&code_challenge_method=S256"
                + "&code_challenge=" + SignInFlow.challenge("v") + "&redirect_uri="
                + URLEncoder.encode(evil, StandardCharsets.UTF_8))).build());
        assertThat(SignInFlow.location(answer)).as(clientId).doesNotStartWith(evil);
        assertThat(answer.statusCode()).as(clientId).isEqualTo(400);
    }
}
