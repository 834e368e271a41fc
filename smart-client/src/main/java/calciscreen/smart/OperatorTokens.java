package calciscreen.smart;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks the bearer tokens of operators (backfill): issued by the FHIR server's authorization server (found through
 * its {@code smart-configuration} and the issuer's metadata), for the FHIR audience, not expired, and carrying
 * {@code system/*.cruds}, the operator scope. Keys and metadata are fetched on first use, so the server may start
 * after the screening.
 */
public final class OperatorTokens {

    static final String OPERATOR_SCOPE = "system/*.cruds";

    private final String fhirBaseUrl;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private volatile DefaultJWTProcessor<SecurityContext> processor;

    public OperatorTokens(String fhirBaseUrl) {
        this.fhirBaseUrl = fhirBaseUrl.replaceAll("/+$", "");
    }

    /** Whether {@code token} is a valid operator token; the reason when it is not. */
    public Check check(String token) {
        try {
            JWTClaimsSet claims = processor().process(token, null);
            Object scope = claims.getClaim("scope");
            List<String> scopes = scope instanceof String text ? Arrays.asList(text.split(" "))
                    : scope instanceof List<?> list ? list.stream().map(String::valueOf).toList() : List.of();
            return scopes.contains(OPERATOR_SCOPE) ? new Check(true, "")
                    : new Check(false, "the token lacks the operator scope " + OPERATOR_SCOPE);
        } catch (Exception e) {
            return new Check(false, "the token was refused: " + e.getMessage());
        }
    }

    private DefaultJWTProcessor<SecurityContext> processor() throws IOException, java.text.ParseException,
            InterruptedException {
        if (processor == null) {
            synchronized (this) {
                if (processor == null) {
                    String issuer = (String) json(fhirBaseUrl + "/.well-known/smart-configuration").get("issuer");
                    String jwksUri = jwksUri(issuer);
                    JWKSource<SecurityContext> keys = JWKSourceBuilder.create(URI.create(jwksUri).toURL()).retrying(true).build();
                    DefaultJWTProcessor<SecurityContext> built = new DefaultJWTProcessor<>();
                    built.setJWSKeySelector(new JWSVerificationKeySelector<>(
                            Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.ES256, JWSAlgorithm.ES384), keys));
                    built.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(fhirBaseUrl,
                            new JWTClaimsSet.Builder().issuer(issuer).build(), Set.of("exp")));
                    processor = built;
                }
            }
        }
        return processor;
    }

    private String jwksUri(String issuer) throws IOException, InterruptedException, java.text.ParseException {
        for (String metadata : List.of("/.well-known/oauth-authorization-server", "/.well-known/openid-configuration")) {
            Map<String, Object> document = json(issuer.replaceAll("/+$", "") + metadata);
            if (document.get("jwks_uri") instanceof String uri) {
                return uri;
            }
        }
        throw new IOException("the issuer " + issuer + " publishes no jwks_uri");
    }

    private Map<String, Object> json(String url) throws IOException, InterruptedException, java.text.ParseException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            return Map.of();
        }
        return JSONObjectUtils.parse(response.body());
    }

    public record Check(boolean valid, String reason) {}
}
