package calciscreen.e2e;

import calciscreen.smart.SigningKey;
import calciscreen.smart.SmartBackendClient;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.text.ParseException;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A person signing in to the worklist at the embedded authorization server, as a browser and the screening would
 * do it, step by step over plain HTTP (no redirect followed, cookies kept): the authorization request with PKCE,
 * the sign-in form with its CSRF token, the code, and the token request with a client assertion signed by the
 * screening's own key (the key behind its JWK Set URL).
 */
final class SignInFlow {

    static final String CLIENT = "calciscreen-worklist";
    static final String CLINICIAN_SCOPES = "openid profile fhirUser user/Patient.rs user/Flag.rs user/RiskAssessment.rs"
            + " user/Observation.rs user/Condition.rs user/Task.crs";
    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" type=\"hidden\" value=\"([^\"]+)\"");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Stack stack;
    private final HttpClient browser = HttpClient.newBuilder().cookieHandler(new CookieManager())
            .followRedirects(HttpClient.Redirect.NEVER).build();
    final String verifier = random();
    final String state = random();
    final String nonce = random();

    SignInFlow(Stack stack) {
        this.stack = stack;
    }

    String issuer() {
        return stack.fhirBase().replaceAll("/fhir$", "");
    }

    /** The worklist's authorization request for {@code scope}, with PKCE S256; {@code overrides} replace or drop (null) parameters. */
    HttpResponse<String> authorize(String scope, Map<String, String> overrides) {
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("response_type", "code");
        parameters.put("client_id", CLIENT);
        parameters.put("redirect_uri", stack.worklistRedirectUri());
        parameters.put("scope", scope);
        parameters.put("state", state);
        parameters.put("nonce", nonce);
        parameters.put("code_challenge", challenge(verifier));
        parameters.put("code_challenge_method", "S256");
        overrides.forEach((name, value) -> {
            if (value == null) {
                parameters.remove(name);
            } else {
                parameters.put(name, value);
            }
        });
        return get(issuer() + "/oauth2/authorize?" + form(parameters));
    }

    HttpResponse<String> authorize(String scope) {
        return authorize(scope, Map.of());
    }

    /** The sign-in form, filled in and sent with its CSRF token; answers the form post's response. */
    HttpResponse<String> signIn(String username, String password) {
        HttpResponse<String> page = get(issuer() + "/login");
        Matcher csrf = CSRF.matcher(page.body());
        if (page.statusCode() != 200 || !csrf.find()) {
            throw new IllegalStateException("no sign-in form with a CSRF token: " + page.statusCode() + " " + page.body());
        }
        return post(issuer() + "/login", form(Map.of("username", username, "password", password, "_csrf", csrf.group(1))));
    }

    /**
     * The whole sign-in of {@code username} for {@code scope}: authorize, the form, back to authorize, the code.
     * Answers the code the worklist's redirect URI receives.
     */
    String code(String username, String password, String scope) {
        return code(username, password, scope, Map.of());
    }

    /** The same, with more or other authorization request parameters ({@code launch}). */
    String code(String username, String password, String scope, Map<String, String> overrides) {
        HttpResponse<String> toLogin = authorize(scope, overrides);
        if (!location(toLogin).startsWith(issuer() + "/login")) {
            throw new IllegalStateException("authorize did not send to the sign-in form: " + toLogin.statusCode()
                    + " " + location(toLogin));
        }
        HttpResponse<String> signedIn = signIn(username, password);
        return codeFrom(get(location(signedIn)));
    }

    /** The token response of a code, parsed. */
    Map<String, Object> tokensFor(String code) {
        HttpResponse<String> response = token(code, verifier);
        if (response.statusCode() != 200) {
            throw new IllegalStateException("token request refused: " + response.statusCode() + " " + response.body());
        }
        return json(response.body());
    }

    /** The code of a redirect to the worklist (checking state), or an exception saying where it went instead. */
    String codeFrom(HttpResponse<String> response) {
        String location = location(response);
        Map<String, String> query = query(location);
        if (!location.startsWith(stack.worklistRedirectUri() + "?") || !query.containsKey("code")
                || !state.equals(query.get("state"))) {
            throw new IllegalStateException("no code: " + response.statusCode() + " " + location);
        }
        return query.get("code");
    }

    /** The token request the worklist makes with a code: its PKCE verifier and a fresh client assertion. */
    HttpResponse<String> token(String code, String codeVerifier) {
        String endpoint = issuer() + "/oauth2/token";
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("grant_type", "authorization_code");
        parameters.put("code", code);
        parameters.put("redirect_uri", stack.worklistRedirectUri());
        parameters.put("code_verifier", codeVerifier);
        parameters.put("client_id", CLIENT);
        parameters.put("client_assertion_type", SmartBackendClient.ASSERTION_TYPE);
        parameters.put("client_assertion", assertion(endpoint));
        return post(endpoint, form(parameters));
    }

    /** The token response of a successful sign-in, parsed. */
    Map<String, Object> tokens(String username, String password, String scope) {
        return tokensFor(code(username, password, scope));
    }

    HttpResponse<String> get(String url) {
        return send(HttpRequest.newBuilder(URI.create(url)).GET().build());
    }

    HttpResponse<String> post(String url, String form) {
        return send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build());
    }

    static String location(HttpResponse<String> response) {
        return response.headers().firstValue("Location").orElse("");
    }

    static Map<String, String> query(String url) {
        int start = url.indexOf('?');
        Map<String, String> query = new LinkedHashMap<>();
        if (start < 0) {
            return query;
        }
        for (String pair : url.substring(start + 1).split("&")) {
            String[] nameValue = pair.split("=", 2);
            query.put(URLDecoder.decode(nameValue[0], StandardCharsets.UTF_8),
                    nameValue.length < 2 ? "" : URLDecoder.decode(nameValue[1], StandardCharsets.UTF_8));
        }
        return query;
    }

    static Map<String, Object> json(String body) {
        try {
            return JSONObjectUtils.parse(body);
        } catch (ParseException e) {
            throw new IllegalStateException("not JSON: " + body, e);
        }
    }

    /** The claims of a JWT (its signature is the server's business; the FHIR calls prove it). */
    static Map<String, Object> claims(String jwt) {
        try {
            return SignedJWT.parse(jwt).getJWTClaimsSet().toJSONObject();
        } catch (ParseException e) {
            throw new IllegalStateException("not a JWT: " + jwt, e);
        }
    }

    static String challenge(String verifier) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private String assertion(String audience) {
        SigningKey key = SigningKey.read(stack.screeningStateDir().resolve("client-key.jwk"));
        Instant now = Instant.now();
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(CLIENT).subject(CLIENT).audience(audience)
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(60)))
                .jwtID(UUID.randomUUID().toString()).build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(SigningKey.ALGORITHM).keyID(key.keyId())
                .type(JOSEObjectType.JWT).build(), claims);
        try {
            jwt.sign(new RSASSASigner(key.privateKey()));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return browser.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String form(Map<String, String> parameters) {
        return parameters.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    private static String random() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
