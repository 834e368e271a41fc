package calciscreen.server.security;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.web.client.RestClient;

/**
 * Where tokens come from and whom they are for: the issuer (embedded or external), the token endpoint clients use,
 * and the audience every access token must name.
 */
public final class AuthEndpoints {

    private final AuthProperties properties;
    private final String issuer;
    private final String audience;
    private volatile String tokenEndpoint;

    /** @param local this server's own origin ({@code http://localhost:8080}, {@code https://...} with TLS) */
    public AuthEndpoints(AuthProperties properties, String publicBaseUrl, String local) {
        this.properties = properties;
        this.issuer = properties.externalIssuer() ? properties.issuerUri()
                : properties.issuer().isBlank() ? local : properties.issuer().replaceAll("/+$", "");
        this.audience = !properties.audience().isBlank() ? properties.audience()
                : !publicBaseUrl.isBlank() ? publicBaseUrl.replaceAll("/+$", "") : local + "/fhir";
    }

    public String issuer() {
        return issuer;
    }

    public String audience() {
        return audience;
    }

    /** Where people sign in: the embedded server's authorization endpoint; null with an external issuer. */
    public String authorizationEndpoint() {
        return properties.externalIssuer() ? null : issuer + EmbeddedAuthorizationServer.AUTHORIZE_PATH;
    }

    /** The token endpoint: ours, or the one the external issuer's metadata names (looked up on first use). */
    public String tokenEndpoint() {
        if (!properties.externalIssuer()) {
            return issuer + EmbeddedAuthorizationServer.TOKEN_PATH;
        }
        if (tokenEndpoint == null) {
            tokenEndpoint = discoverTokenEndpoint();
        }
        return tokenEndpoint;
    }

    private String discoverTokenEndpoint() {
        RestClient http = RestClient.create();
        for (String metadata : List.of("/.well-known/openid-configuration", "/.well-known/oauth-authorization-server")) {
            try {
                Map<String, Object> document = http.get().uri(issuer.replaceAll("/+$", "") + metadata).retrieve()
                        .body(new ParameterizedTypeReference<Map<String, Object>>() {});
                if (document != null && document.get("token_endpoint") instanceof String endpoint) {
                    return endpoint;
                }
            } catch (RuntimeException e) {
                // try the other metadata document
            }
        }
        throw new IllegalStateException("the issuer " + issuer + " publishes no token_endpoint in its metadata");
    }

    /**
     * Signature aside, what an access token must satisfy: from {@code expectedIssuer}, for us, with an {@code exp} not
     * past and no further ahead than the token lifetime (plus the clock skew Spring allows): a token without exp, or
     * one minted to live longer than configured, is refused.
     */
    OAuth2TokenValidator<Jwt> accessTokenValidator(String expectedIssuer) {
        Duration longest = properties.tokenLifetime().plus(ClientAssertionRules.SKEW);
        return new DelegatingOAuth2TokenValidator<>(
                JwtValidators.createDefaultWithIssuer(expectedIssuer),
                new JwtClaimValidator<List<String>>(JwtClaimNames.AUD, aud -> aud != null && aud.contains(audience)),
                new JwtClaimValidator<Instant>(JwtClaimNames.EXP,
                        exp -> exp != null && !exp.isAfter(Instant.now().plus(longest))));
    }
}
