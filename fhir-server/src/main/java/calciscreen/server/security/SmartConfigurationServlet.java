package calciscreen.server.security;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * {@code GET /fhir/.well-known/smart-configuration}: how a SMART client gets a token here, public like
 * {@code /fhir/metadata}. With the embedded authorization server: the authorization code grant (PKCE S256) for
 * people and the client credentials grant for backend services, {@code private_key_jwt} for both, and the
 * capabilities served ({@link ServedMetadata}). With an external issuer: its token endpoint, the client credentials
 * grant, and the scopes this server enforces; its own metadata says the rest.
 */
public final class SmartConfigurationServlet extends HttpServlet {

    public static final String PATH = "/fhir/.well-known/smart-configuration";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final AuthEndpoints endpoints;
    private final boolean embedded;
    private final List<String> scopes;

    public SmartConfigurationServlet(AuthEndpoints endpoints, boolean embedded, List<String> scopes) {
        this.endpoints = endpoints;
        this.embedded = embedded;
        this.scopes = scopes;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Map<String, Object> configuration = new LinkedHashMap<>();
        configuration.put("issuer", endpoints.issuer());
        if (embedded) {
            configuration.put("jwks_uri", endpoints.issuer() + EmbeddedAuthorizationServer.JWKS_PATH);
            configuration.put("authorization_endpoint", endpoints.authorizationEndpoint());
        }
        configuration.put("token_endpoint", endpoints.tokenEndpoint());
        configuration.put("grant_types_supported", embedded ? ServedMetadata.GRANTS : List.of("client_credentials"));
        configuration.put("token_endpoint_auth_methods_supported", ServedMetadata.CLIENT_AUTHENTICATION);
        configuration.put("token_endpoint_auth_signing_alg_values_supported", ServedMetadata.ASSERTION_ALGORITHMS);
        if (embedded) {
            configuration.put("code_challenge_methods_supported", ServedMetadata.CODE_CHALLENGE_METHODS);
            configuration.put("response_types_supported", ServedMetadata.RESPONSE_TYPES);
        }
        configuration.put("scopes_supported", scopes);
        configuration.put("capabilities", embedded ? ServedMetadata.SMART_CAPABILITIES
                : ServedMetadata.SMART_CAPABILITIES_EXTERNAL);
        response.setContentType("application/json;charset=UTF-8");
        response.setHeader("Cache-Control", "max-age=300");
        JSON.writeValue(response.getWriter(), configuration);
    }
}
