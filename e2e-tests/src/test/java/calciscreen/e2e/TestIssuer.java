package calciscreen.e2e;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An OpenID provider and OAuth 2.0 authorization server in the test JVM, standing in for a hospital's IdP: discovery,
 * its JWKS, authorize (which signs in, without a form, as whoever the test has set as {@link #signInAs}), token
 * (authorization code with PKCE S256 for the worklist client, client credentials for the screening, both clients
 * authenticated by a {@code private_key_jwt} assertion checked against the screening's published JWKS), and an
 * end-session endpoint. It checks what a strict provider checks, so that the screening is shown to send it right:
 * exact redirect URI, S256 challenge and its verifier, a nonce, RS384 assertions good once.
 */
final class TestIssuer implements AutoCloseable {

    static final String WORKLIST_CLIENT = "calciscreen-worklist";
    static final String SCREENING_CLIENT = "calciscreen-screening";
    static final String ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
    static final Duration TOKEN_LIFETIME = Duration.ofMinutes(5);
    static final List<String> SCREENING_SCOPES = List.of("system/Patient.rs", "system/Observation.rs",
            "system/Condition.rs", "system/Procedure.rs", "system/MedicationRequest.rs", "system/MedicationStatement.rs",
            "system/Medication.rs", "system/Flag.crus", "system/RiskAssessment.crus", "system/Device.crus",
            "system/Subscription.crus", "system/AuditEvent.c");
    /** What a clinician's token may carry (contract-21): reading what the worklist shows, and Tasks. */
    static final List<String> CLINICIAN_SCOPES = List.of("user/Patient.rs", "user/Flag.rs", "user/RiskAssessment.rs",
            "user/Observation.rs", "user/Condition.rs", "user/Procedure.rs", "user/MedicationRequest.rs",
            "user/MedicationStatement.rs", "user/Medication.rs", "user/Task.crs");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Who signs in at the next authorization request. */
    record Person(String username, String name, List<String> roles) {}

    private record Grant(String redirectUri, String challenge, String nonce, Person person, List<String> scopes,
                         String patient) {}

    private final HttpServer server;
    private final RSAKey key;
    private final String issuer;
    private final String screeningJwks;
    private final String audience;
    private final String redirectUri;
    private final Map<String, Grant> codes = new ConcurrentHashMap<>();
    private final Map<String, String> launches = new ConcurrentHashMap<>();
    private final Set<String> usedAssertions = ConcurrentHashMap.newKeySet();
    private final HttpClient http = HttpClient.newHttpClient();
    volatile Person signInAs = new Person("dr-external", "Dr External", List.of("clinician"));
    /** What the screening sent, for the tests to check. */
    final List<Map<String, String>> authorizationRequests = new java.util.concurrent.CopyOnWriteArrayList<>();
    final List<Map<String, String>> tokenRequests = new java.util.concurrent.CopyOnWriteArrayList<>();
    final List<Map<String, String>> endSessionRequests = new java.util.concurrent.CopyOnWriteArrayList<>();

    /**
     * @param port          where to listen
     * @param screeningBase the screening whose JWKS authenticates both clients, and whose redirect URI is registered
     * @param audience      the {@code aud} of access tokens: the FHIR base URL that accepts them
     */
    TestIssuer(int port, String screeningBase, String audience) {
        try {
            key = new RSAKeyGenerator(2048).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.RS256)
                    .keyID(UUID.randomUUID().toString()).generate();
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        issuer = "http://localhost:" + port;
        screeningJwks = screeningBase + "/.well-known/jwks.json";
        redirectUri = screeningBase + "/login/oauth2/code/calciscreen";
        this.audience = audience;
        server.createContext("/.well-known/openid-configuration", this::discovery);
        server.createContext("/jwks", exchange -> send(exchange, 200, new JWKSet(key.toPublicJWK()).toJSONObject()));
        server.createContext("/authorize", this::authorize);
        server.createContext("/token", this::token);
        server.createContext("/logout", this::endSession);
        server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
        server.start();
    }

    String issuer() {
        return issuer;
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void discovery(HttpExchange exchange) throws IOException {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("issuer", issuer);
        metadata.put("authorization_endpoint", issuer + "/authorize");
        metadata.put("token_endpoint", issuer + "/token");
        metadata.put("jwks_uri", issuer + "/jwks");
        metadata.put("end_session_endpoint", issuer + "/logout");
        metadata.put("response_types_supported", List.of("code"));
        metadata.put("subject_types_supported", List.of("public"));
        metadata.put("id_token_signing_alg_values_supported", List.of("RS256"));
        metadata.put("grant_types_supported", List.of("authorization_code", "client_credentials"));
        metadata.put("token_endpoint_auth_methods_supported", List.of("private_key_jwt"));
        metadata.put("code_challenge_methods_supported", List.of("S256"));
        send(exchange, 200, metadata);
    }

    private void authorize(HttpExchange exchange) throws IOException {
        Map<String, String> q = form(exchange.getRequestURI().getRawQuery());
        authorizationRequests.add(q);
        // never redirect to a URI that is not registered, character for character
        if (!WORKLIST_CLIENT.equals(q.get("client_id")) || !redirectUri.equals(q.get("redirect_uri"))) {
            send(exchange, 400, Map.of("error", "invalid_request", "error_description", "unknown client or redirect_uri"));
            return;
        }
        String refusal = !"code".equals(q.get("response_type")) ? "unsupported_response_type"
                : !"S256".equals(q.get("code_challenge_method")) || q.get("code_challenge") == null ? "invalid_request"
                : q.get("nonce") == null || q.get("state") == null ? "invalid_request" : null;
        if (refusal != null) {
            redirect(exchange, redirectUri + "?error=" + refusal + "&state=" + enc(q.getOrDefault("state", "")));
            return;
        }
        String patient = null;
        if (q.containsKey("launch")) {
            // the EHR's launch: known, unused, asked with the scope launch and for the FHIR server it belongs to
            patient = launches.remove(q.get("launch"));
            if (patient == null || !List.of(q.getOrDefault("scope", "").split(" ")).contains("launch")
                    || !audience.equals(q.get("aud"))) {
                send(exchange, 400, Map.of("error", "invalid_request", "error_description", "unknown launch"));
                return;
            }
        }
        String code = UUID.randomUUID().toString();
        Person person = signInAs;
        List<String> asked = List.of(q.getOrDefault("scope", "").replace("user/Task.crs", "user/Task.crs user/Task.rs")
                .split(" "));
        List<String> allowed = new ArrayList<>(List.of("openid", "profile", "fhirUser", "launch"));
        if (person.roles().contains("clinician")) {
            allowed.addAll(CLINICIAN_SCOPES);
        } else if (person.roles().contains("reader")) {
            allowed.addAll(CLINICIAN_SCOPES.stream().map(scope -> scope.replace("user/Task.crs", "user/Task.rs")).toList());
        }
        codes.put(code, new Grant(q.get("redirect_uri"), q.get("code_challenge"), q.get("nonce"), person,
                asked.stream().filter(allowed::contains).toList(), patient));
        redirect(exchange, redirectUri + "?code=" + code + "&state=" + enc(q.get("state")));
    }

    private void token(HttpExchange exchange) throws IOException {
        Map<String, String> f = form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        tokenRequests.add(f);
        String refusal = clientAuthenticationFailure(f);
        if (refusal != null) {
            send(exchange, 401, Map.of("error", "invalid_client", "error_description", refusal));
            return;
        }
        String client = f.get("client_id");
        Instant now = Instant.now();
        if ("client_credentials".equals(f.get("grant_type")) && SCREENING_CLIENT.equals(client)) {
            send(exchange, 200, Map.of("access_token", accessToken(client, client, SCREENING_SCOPES, null, now),
                    "token_type", "Bearer", "expires_in", TOKEN_LIFETIME.toSeconds(),
                    "scope", String.join(" ", SCREENING_SCOPES)));
            return;
        }
        Grant grant = f.get("code") == null ? null : codes.remove(f.get("code"));
        if (!"authorization_code".equals(f.get("grant_type")) || !WORKLIST_CLIENT.equals(client) || grant == null
                || !grant.redirectUri().equals(f.get("redirect_uri"))
                || !grant.challenge().equals(SignInFlow.challenge(f.getOrDefault("code_verifier", "")))) {
            send(exchange, 400, Map.of("error", "invalid_grant"));
            return;
        }
        JWTClaimsSet.Builder id = new JWTClaimsSet.Builder().issuer(issuer).subject(grant.person().username())
                .audience(WORKLIST_CLIENT).issueTime(Date.from(now)).expirationTime(Date.from(now.plus(TOKEN_LIFETIME)))
                .claim("nonce", grant.nonce()).claim("name", grant.person().name())
                .claim("preferred_username", grant.person().username()).claim("roles", grant.person().roles());
        List<String> fhirScopes = grant.scopes().stream().filter(s -> s.contains("/")).toList();
        Map<String, Object> answer = new LinkedHashMap<>(Map.of("access_token", accessToken(grant.person().username(),
                        client, fhirScopes, grant.person(), now), "token_type", "Bearer",
                "expires_in", TOKEN_LIFETIME.toSeconds(), "scope", String.join(" ", grant.scopes())));
        if (grant.patient() != null) {
            id.claim("patient", grant.patient());
            answer.put("patient", grant.patient());
        }
        answer.put("id_token", sign(id.build()));
        send(exchange, 200, answer);
    }

    /** A launch id for the patient open in the (imaginary) EHR, as an EHR makes one: good once. */
    String launchFor(String patientId) {
        String launch = UUID.randomUUID().toString();
        launches.put(launch, patientId);
        return launch;
    }

    /** An operator's token ({@code system/*.cruds}), as the IdP would issue one to an operator's client. */
    String operatorToken() {
        return accessToken("calciscreen-admin", "calciscreen-admin", List.of("system/*.cruds"), null, Instant.now());
    }

    private void endSession(HttpExchange exchange) throws IOException {
        Map<String, String> q = form(exchange.getRequestURI().getRawQuery());
        endSessionRequests.add(q);
        String back = q.get("post_logout_redirect_uri");
        if (back != null && back.startsWith(redirectUri.replace("/login/oauth2/code/calciscreen", "/"))) {
            redirect(exchange, back);
        } else {
            send(exchange, 200, Map.of("signed_out", true));
        }
    }

    /** A private_key_jwt assertion: RS384, by the client about itself, for this token endpoint, unexpired, used once. */
    private String clientAuthenticationFailure(Map<String, String> f) {
        if (!ASSERTION_TYPE.equals(f.get("client_assertion_type")) || f.get("client_assertion") == null) {
            return "private_key_jwt only";
        }
        try {
            SignedJWT assertion = SignedJWT.parse(f.get("client_assertion"));
            if (!JWSAlgorithm.RS384.equals(assertion.getHeader().getAlgorithm())) {
                return "RS384 assertions only";
            }
            JWKSet keys = JWKSet.parse(http.send(HttpRequest.newBuilder(URI.create(screeningJwks)).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            RSAKey publicKey = (RSAKey) keys.getKeyByKeyId(assertion.getHeader().getKeyID());
            if (publicKey == null || !assertion.verify(new RSASSAVerifier(publicKey))) {
                return "bad signature";
            }
            JWTClaimsSet claims = assertion.getJWTClaimsSet();
            String client = f.getOrDefault("client_id", claims.getIssuer());
            f.put("client_id", client);
            if (!client.equals(claims.getIssuer()) || !client.equals(claims.getSubject())
                    || !claims.getAudience().contains(issuer + "/token") || claims.getExpirationTime() == null
                    || claims.getExpirationTime().toInstant().isBefore(Instant.now())
                    || claims.getJWTID() == null || !usedAssertions.add(claims.getJWTID())) {
                return "assertion claims";
            }
            return null;
        } catch (java.text.ParseException | JOSEException | IOException e) {
            return "unreadable assertion";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    private String accessToken(String subject, String client, List<String> scopes, Person person, Instant now) {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().issuer(issuer).subject(subject).audience(audience)
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plus(TOKEN_LIFETIME)))
                .jwtID(UUID.randomUUID().toString()).claim("client_id", client).claim("scope", String.join(" ", scopes));
        if (person != null) {
            claims.claim("name", person.name()).claim("roles", person.roles());
        }
        return sign(claims.build());
    }

    private String sign(JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
            jwt.sign(new RSASSASigner(key));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A query string or a form body, decoded. */
    static Map<String, String> form(String raw) {
        return SignInFlow.query("?" + (raw == null ? "" : raw));
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static void redirect(HttpExchange exchange, String location) throws IOException {
        exchange.getResponseHeaders().set("Location", location);
        exchange.sendResponseHeaders(302, -1);
        exchange.close();
    }

    private static void send(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }
}
