package calciscreen.server.security;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * {@code GET /fhir/.well-known/smart-configuration}: how a SMART Backend Services client gets a token here (the token
 * endpoint, the client authentication it takes, the scopes), public like {@code /fhir/metadata}.
 */
public final class SmartConfigurationServlet extends HttpServlet {

    public static final String PATH = "/fhir/.well-known/smart-configuration";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String issuer;
    private final Supplier<String> tokenEndpoint;
    private final List<String> scopes;

    public SmartConfigurationServlet(String issuer, Supplier<String> tokenEndpoint, List<String> scopes) {
        this.issuer = issuer;
        this.tokenEndpoint = tokenEndpoint;
        this.scopes = scopes;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Map<String, Object> configuration = new LinkedHashMap<>();
        configuration.put("issuer", issuer);
        configuration.put("token_endpoint", tokenEndpoint.get());
        configuration.put("grant_types_supported", List.of("client_credentials"));
        configuration.put("token_endpoint_auth_methods_supported", List.of("private_key_jwt"));
        configuration.put("token_endpoint_auth_signing_alg_values_supported", List.of("RS384", "ES384"));
        configuration.put("scopes_supported", scopes);
        configuration.put("capabilities", List.of("client-confidential-asymmetric", "permission-v1", "permission-v2"));
        response.setContentType("application/json;charset=UTF-8");
        response.setHeader("Cache-Control", "max-age=300");
        JSON.writeValue(response.getWriter(), configuration);
    }
}
