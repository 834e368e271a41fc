package calciscreen.smart;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jose.util.JSONObjectUtils;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * A SMART Backend Services client: finds the token endpoint in the FHIR server's
 * {@code .well-known/smart-configuration}, asks for an access token with the client credentials grant and a
 * {@code private_key_jwt} assertion signed with the client's own key (RS384), and keeps the token until shortly
 * before it expires. Thread-safe; one instance per client and FHIR server.
 */
public final class SmartBackendClient {

    /** RFC 7523's client_assertion_type for a JWT client assertion. */
    public static final String ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
    private static final Duration ASSERTION_LIFETIME = Duration.ofMinutes(5);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** Renew once this share of a token's lifetime has passed, so no request leaves with a token about to expire. */
    private static final double RENEW_AT = 0.75;

    private static final System.Logger LOG = System.getLogger(SmartBackendClient.class.getName());

    private final HttpClient http;
    private final String fhirBaseUrl;
    private final String clientId;
    private final SigningKey key;
    private final List<String> scopes;
    private final Clock clock;

    private String tokenEndpoint;
    private AccessToken current;

    /**
     * @param scopes the scopes to ask for; empty asks for every scope the client is registered for
     */
    public SmartBackendClient(HttpClient http, String fhirBaseUrl, String clientId, SigningKey key, List<String> scopes,
                              Clock clock) {
        this.http = Objects.requireNonNull(http);
        this.fhirBaseUrl = fhirBaseUrl.replaceAll("/+$", "");
        this.clientId = Objects.requireNonNull(clientId);
        this.key = Objects.requireNonNull(key);
        this.scopes = List.copyOf(scopes);
        this.clock = clock;
    }

    public SmartBackendClient(String fhirBaseUrl, String clientId, SigningKey key, List<String> scopes) {
        this(HttpClient.newBuilder().connectTimeout(TIMEOUT).build(), fhirBaseUrl, clientId, key, scopes,
                Clock.systemUTC());
    }

    public String clientId() {
        return clientId;
    }

    /** A valid access token: the cached one, or a new one when it is missing or close to expiry. */
    public synchronized String accessToken() {
        if (current == null || !clock.instant().isBefore(current.renewAfter())) {
            current = requestToken();
        }
        return current.value();
    }

    /**
     * The server refused {@code rejected} (401): forget it so that the next {@link #accessToken()} gets a new one.
     * A token that was already replaced is left alone, so concurrent refusals renew only once.
     */
    public synchronized void invalidate(String rejected) {
        if (current != null && current.value().equals(rejected)) {
            current = null;
        }
    }

    /** When the cached token expires, for health and logs; null before the first request. */
    public synchronized Instant currentExpiry() {
        return current == null ? null : current.expiresAt();
    }

    private AccessToken requestToken() {
        String endpoint = tokenEndpoint();
        Map<String, String> form = new java.util.LinkedHashMap<>();
        form.put("grant_type", "client_credentials");
        if (!scopes.isEmpty()) {
            form.put("scope", String.join(" ", scopes));
        }
        form.put("client_assertion_type", ASSERTION_TYPE);
        form.put("client_assertion", assertion(endpoint));
        Instant asked = clock.instant();
        Map<String, Object> answer = postForm(endpoint, form);
        Object token = answer.get("access_token");
        if (!(token instanceof String) || ((String) token).isBlank()) {
            throw new TokenException("the token endpoint " + endpoint + " answered without an access_token");
        }
        long expiresIn = answer.get("expires_in") instanceof Number n ? n.longValue() : 300;
        Instant expiresAt = asked.plusSeconds(expiresIn);
        Instant renewAfter = asked.plusMillis((long) (expiresIn * 1000 * RENEW_AT));
        LOG.log(System.Logger.Level.INFO, "event=token_obtained client={0} expires_in_s={1}", clientId, String.valueOf(expiresIn));
        return new AccessToken((String) token, expiresAt, renewAfter);
    }

    /** The token endpoint named by the FHIR server's SMART configuration (looked up once). */
    public synchronized String tokenEndpoint() {
        if (tokenEndpoint == null) {
            String discovery = fhirBaseUrl + "/.well-known/smart-configuration";
            HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(discovery)).timeout(TIMEOUT)
                    .header("Accept", "application/json").GET().build(), discovery);
            if (response.statusCode() != 200) {
                throw new TokenException(discovery + " answered " + response.statusCode());
            }
            Object endpoint = parse(response.body(), discovery).get("token_endpoint");
            if (!(endpoint instanceof String)) {
                throw new TokenException(discovery + " names no token_endpoint");
            }
            tokenEndpoint = (String) endpoint;
        }
        return tokenEndpoint;
    }

    private String assertion(String audience) {
        Instant now = clock.instant();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(clientId).subject(clientId).audience(audience)
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plus(ASSERTION_LIFETIME)))
                .jwtID(UUID.randomUUID().toString())
                .build();
        JWSHeader header = new JWSHeader.Builder(SigningKey.ALGORITHM).keyID(key.keyId()).type(JOSEObjectType.JWT).build();
        SignedJWT jwt = new SignedJWT(header, claims);
        try {
            jwt.sign(new RSASSASigner(key.privateKey()));
        } catch (JOSEException e) {
            throw new TokenException("cannot sign the client assertion", e);
        }
        return jwt.serialize();
    }

    private Map<String, Object> postForm(String endpoint, Map<String, String> form) {
        String body = form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(endpoint)).timeout(TIMEOUT)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), endpoint);
        Map<String, Object> answer = parse(response.body(), endpoint);
        if (response.statusCode() != 200) {
            throw new TokenException("the token endpoint refused client " + clientId + ": " + response.statusCode()
                    + " " + answer.getOrDefault("error", "") + " " + answer.getOrDefault("error_description", ""));
        }
        return answer;
    }

    private HttpResponse<String> send(HttpRequest request, String what) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new TokenException("cannot reach " + what + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TokenException("interrupted while calling " + what, e);
        }
    }

    private static Map<String, Object> parse(String body, String from) {
        try {
            return body == null || body.isBlank() ? Map.of() : JSONObjectUtils.parse(body);
        } catch (ParseException e) {
            throw new TokenException(from + " did not answer JSON: " + abbreviate(body));
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }

    private record AccessToken(String value, Instant expiresAt, Instant renewAfter) {}
}
