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
 * @param keyDir          where the embedded server keeps its signing key, the keys it generates for clients that
 *                        register no public key, and {@code people.json}
 * @param clients         the embedded server's clients, by client id
 * @param screeningClientId the client that writes the screening's Flags and RiskAssessments (and only it)
 * @param people          people who sign in at the embedded server's form ({@code /login}), by username; beside
 *                        them, those in {@code key-dir/people.json} (a configured username wins over the file's)
 * @param demoPeople      whether the first start writes {@code key-dir/people.json} with the two demo users
 *                        ({@code clinician}, {@code reader}) and random passwords, shown once in
 *                        {@code key-dir/demo-people.txt}; production sets it false
 * @param roles           what each role's people may be granted: the SMART {@code user/} scopes of their tokens
 *                        (the granted scope is what the sign-in asked for, narrowed to these)
 * @param signInIdleTimeout how long a person stays signed in at the embedded server without using it (the session
 *                        of {@code /login}; an application that sends them back within it gets a code without a
 *                        password): keep it no longer than the applications' own idle timeout
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
        @DefaultValue("calciscreen-screening") String screeningClientId,
        Map<String, Person> people,
        @DefaultValue("true") boolean demoPeople,
        Map<String, List<String>> roles,
        @DefaultValue("15m") Duration signInIdleTimeout) {

    public AuthProperties {
        clients = clients == null ? Map.of() : Map.copyOf(clients);
        people = people == null ? Map.of() : Map.copyOf(people);
        roles = roles == null ? Map.of() : Map.copyOf(roles);
    }

    public boolean externalIssuer() {
        return !issuerUri.isBlank();
    }

    /**
     * A client of the embedded authorization server: a SMART Backend Services client (grant
     * {@code client_credentials}) or an application people sign in to (grant {@code authorization_code}, PKCE S256).
     * Either way it authenticates with {@code private_key_jwt}.
     *
     * @param scopes    the scopes it may be granted ({@code system/Observation.cruds}, {@code system/*.rs}, ...; for
     *                  a sign-in client {@code openid profile fhirUser launch launch/patient}, to which the
     *                  {@code user/} scopes of every role are added)
     * @param jwksUri   where its public keys are published (the SMART-recommended registration)
     * @param jwks      its public JWK Set, inline as JSON, when it publishes none
     *                  (neither: the server generates a key pair for it under {@code key-dir/clients/<id>.jwk},
     *                  for development and the command line)
     * @param grantType {@code client_credentials} or {@code authorization_code}
     * @param redirectUris where a sign-in may return to, matched exactly (authorization code clients)
     * @param postLogoutRedirectUris where {@code /connect/logout} may return to, matched exactly
     */
    public record Client(List<String> scopes, @DefaultValue("") String jwksUri, @DefaultValue("") String jwks,
                         @DefaultValue("client_credentials") String grantType, List<String> redirectUris,
                         List<String> postLogoutRedirectUris) {
        public Client {
            scopes = scopes == null ? List.of() : List.copyOf(scopes);
            redirectUris = redirectUris == null ? List.of() : List.copyOf(redirectUris);
            postLogoutRedirectUris = postLogoutRedirectUris == null ? List.of() : List.copyOf(postLogoutRedirectUris);
        }

        public boolean signsPeopleIn() {
            return "authorization_code".equals(grantType);
        }
    }

    /**
     * A person who signs in at the embedded server.
     *
     * @param name     the display name (the {@code name} claim, and the AuditEvents)
     * @param password the password hash, with its encoder's prefix: {@code {bcrypt}...}
     * @param roles    their roles, keys of {@code calciscreen.auth.roles}
     * @param fhirUser optional: the FHIR resource that is this person ({@code Practitioner/7}), the
     *                 {@code fhirUser} claim
     */
    public record Person(String name, String password, List<String> roles, @DefaultValue("") String fhirUser) {
        public Person {
            roles = roles == null ? List.of() : List.copyOf(roles);
        }
    }
}
