package calciscreen.server.security;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Everything under {@code calciscreen.auth} in application.yaml: who may call the FHIR server and how tokens are
 * issued and checked.
 *
 * @param insecureDevMode {@code CALCISCREEN_INSECURE_DEV_MODE=true}: no token needed, no scope checked (a warning at
 *                        every start); for a developer's laptop only, never the default
 * @param issuerUri       an external OAuth 2.0 issuer (Keycloak, an EHR's authorization server) whose tokens the
 *                        server accepts; empty: the embedded authorization server issues them
 * @param issuer          the embedded authorization server's issuer URL; empty: {@code http://localhost:<port>}
 * @param audience        the {@code aud} every access token must carry; empty: the public FHIR base URL, else
 *                        {@code http://localhost:<port>/fhir}
 * @param tokenLifetime   how long an access token from the embedded server is valid
 * @param keyDir          where the embedded server keeps its signing key and the keys it generates for clients
 *                        that register no public key
 * @param clients         the embedded server's clients, by client id
 * @param screeningClientId the client that writes the screening's Flags and RiskAssessments (and only it)
 */
@ConfigurationProperties(prefix = "calciscreen.auth", ignoreUnknownFields = false)
public record AuthProperties(
        @DefaultValue("false") boolean insecureDevMode,
        @DefaultValue("") String issuerUri,
        @DefaultValue("") String issuer,
        @DefaultValue("") String audience,
        @DefaultValue("5m") Duration tokenLifetime,
        @DefaultValue("data/auth") Path keyDir,
        Map<String, Client> clients,
        @DefaultValue("calciscreen-screening") String screeningClientId) {

    public AuthProperties {
        clients = clients == null ? Map.of() : Map.copyOf(clients);
    }

    public boolean externalIssuer() {
        return !issuerUri.isBlank();
    }

    /**
     * A SMART Backend Services client of the embedded authorization server.
     *
     * @param scopes  the SMART scopes it may be granted ({@code system/Observation.cruds}, {@code system/*.rs}, ...)
     * @param jwksUri where its public keys are published (the SMART-recommended registration)
     * @param jwks    its public JWK Set, inline as JSON, when it publishes none
     *                (neither: the server generates a key pair for it under {@code key-dir/clients/<id>.jwk},
     *                for development and the command line)
     */
    public record Client(List<String> scopes, @DefaultValue("") String jwksUri, @DefaultValue("") String jwks) {
        public Client {
            scopes = scopes == null ? List.of() : List.copyOf(scopes);
        }
    }
}
