package calciscreen.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import calciscreen.smart.SigningKey;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.Flag;
import org.hl7.fhir.r4.model.Observation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Security as a hospital's integration engineer would test it: real tokens from the embedded authorization server
 * (SMART Backend Services), forged and expired ones, narrow scopes, the rest-hook endpoint, and the audit trail.
 */
class SecurityIT extends EndToEndTest {

    static final Duration WAIT = Duration.ofSeconds(60);
    static final String JSON = "application/fhir+json";
    static final String OBSERVATION = "{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"coding\":[{"
            + "\"system\":\"http://loinc.org\",\"code\":\"17861-6\"}]},\"subject\":{\"reference\":\"Patient/%s\"},"
            + "\"valueQuantity\":{\"value\":9.1,\"unit\":\"mg/dL\",\"system\":\"http://unitsofmeasure.org\",\"code\":\"mg/dL\"}}";

    /** One request of each FHIR interaction type, as an anonymous or badly authenticated client would send it. */
    static Stream<String[]> interactions() {
        return Stream.of(
                new String[] {"read", "GET", "/Patient/p-1", ""},
                new String[] {"vread", "GET", "/Patient/p-1/_history/1", ""},
                new String[] {"search-type", "GET", "/Observation?code=17861-6", ""},
                new String[] {"search-system", "GET", "?_type=Flag", ""},
                new String[] {"history-instance", "GET", "/Patient/p-1/_history", ""},
                new String[] {"history-type", "GET", "/Observation/_history", ""},
                new String[] {"history-system", "GET", "/_history", ""},
                new String[] {"create", "POST", "/Observation", String.format(OBSERVATION, "p-1")},
                new String[] {"update", "PUT", "/Patient/p-1", "{\"resourceType\":\"Patient\",\"id\":\"p-1\"}"},
                new String[] {"patch", "PATCH", "/Patient/p-1", "[{\"op\":\"add\",\"path\":\"/active\",\"value\":true}]"},
                new String[] {"delete", "DELETE", "/Patient/p-1", ""},
                new String[] {"transaction", "POST", "", "{\"resourceType\":\"Bundle\",\"type\":\"transaction\"}"},
                new String[] {"operation", "POST", "/Observation/$validate", String.format(OBSERVATION, "p-1")});
    }

    @ParameterizedTest(name = "anonymous {0} -> 401")
    @MethodSource("interactions")
    void anonymousRequestsAreRefusedWith401AndAnOperationOutcome(String name, String method, String path, String body) {
        HttpResponse<String> answer = fhir(method, path, body, null);
        assertThat(answer.statusCode()).as(name).isEqualTo(401);
        assertThat(answer.headers().firstValue("WWW-Authenticate")).as(name).hasValueSatisfying(
                value -> assertThat(value).startsWith("Bearer"));
        assertThat(answer.body()).as(name).contains("\"resourceType\":\"OperationOutcome\"").contains("bearer token");
    }

    @Test
    void capabilityStatementSmartDiscoveryAndHealthNeedNoToken() {
        HttpResponse<String> metadata = fhir("GET", "/metadata", "", null);
        assertThat(metadata.statusCode()).isEqualTo(200);
        assertThat(metadata.body()).contains("SMART-on-FHIR").contains("oauth-uris").contains("/oauth2/token");
        HttpResponse<String> smart = fhir("GET", "/.well-known/smart-configuration", "", null);
        assertThat(smart.statusCode()).isEqualTo(200);
        assertThat(smart.body()).contains("\"token_endpoint\"").contains("private_key_jwt").contains("RS384")
                .contains("client_credentials");
        assertThat(stack.send(HttpRequest.newBuilder(URI.create(stack.fhirBase().replace("/fhir", "/actuator/health")))
                .build()).statusCode()).isEqualTo(200);
    }

    @Test
    void aTokenSignedByAnUnknownKeyIsRefused() throws Exception {
        RSAKey stranger = new RSAKeyGenerator(2048).keyID("stranger").generate();
        String token = sign(stranger, claims(issuer(), audience(), Instant.now().plusSeconds(30)));
        assertRefused(token);
    }

    @Test
    void anExpiredTokenIsRefused() throws Exception {
        String token = sign(serverKey(), claims(issuer(), audience(), Instant.now().minusSeconds(120)));
        assertRefused(token);
    }

    @Test
    void aTokenForAnotherAudienceIsRefused() throws Exception {
        String token = sign(serverKey(), claims(issuer(), "https://another-server.example/fhir", Instant.now().plusSeconds(30)));
        assertRefused(token);
    }

    @Test
    void aTokenFromAnotherIssuerIsRefused() throws Exception {
        String token = sign(serverKey(), claims("https://another-issuer.example", audience(), Instant.now().plusSeconds(30)));
        assertRefused(token);
    }

    @Test
    void theSameForgedClaimsSignedByTheServerAreAccepted() throws Exception {
        // the control for the cases above: only the one thing each of them changes makes the difference
        String token = sign(serverKey(), claims(issuer(), audience(), Instant.now().plusSeconds(30)));
        assertThat(fhir("GET", "/Flag?status=active", "", token).statusCode()).isEqualTo(200);
    }

    @Test
    void anObservationCreateScopeCanPostLabsButCannotReadFlags() {
        String token = stack.token("calciscreen-lab", "system/Observation.c");
        String patient = client.create().resource(new org.hl7.fhir.r4.model.Patient()).execute().getId().getIdPart();

        assertThat(fhir("POST", "/Observation", String.format(OBSERVATION, patient), token).statusCode()).isEqualTo(201);
        HttpResponse<String> flags = fhir("GET", "/Flag?status=active", "", token);
        assertThat(flags.statusCode()).isEqualTo(403);
        assertThat(flags.body()).contains("\"resourceType\":\"OperationOutcome\"");
        assertThat(fhir("GET", "/Observation?subject=Patient/" + patient, "", token).statusCode())
                .as("c without r or s: no reading back either").isEqualTo(403);
    }

    @Test
    void aFlagReadScopeCannotWriteFlags() {
        String token = stack.token("calciscreen-lab", "system/Flag.rs");
        assertThat(fhir("GET", "/Flag?status=active", "", token).statusCode()).isEqualTo(200);
        HttpResponse<String> write = fhir("POST", "/Flag", "{\"resourceType\":\"Flag\",\"status\":\"active\","
                + "\"code\":{\"text\":\"forged\"},\"subject\":{\"reference\":\"Patient/p-1\"}}", token);
        assertThat(write.statusCode()).isEqualTo(403);
        assertThat(write.body()).contains("\"resourceType\":\"OperationOutcome\"");
    }

    @Test
    void aSearchCannotIncludeATypeTheScopesDoNotCover() {
        String patient = post(ClinicalData.newPatient(AdministrativeGender.FEMALE)
                .lab("17861-6", 9.2, "mg/dL", ClinicalData.daysAgo(1)));
        String token = stack.token("calciscreen-admin", "system/Observation.rs");
        assertThat(fhir("GET", "/Observation?subject=Patient/" + patient, "", token).statusCode()).isEqualTo(200);
        assertThat(fhir("GET", "/Observation?subject=Patient/" + patient + "&_include=Observation:subject", "", token)
                .statusCode()).isEqualTo(403);
    }

    @Test
    void aTransactionIsCheckedEntryByEntry() {
        String token = stack.token("calciscreen-lab", "system/Observation.c");
        String patient = client.create().resource(new org.hl7.fhir.r4.model.Patient()).execute().getId().getIdPart();
        String bundle = "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":["
                + "{\"resource\":" + String.format(OBSERVATION, patient) + ",\"request\":{\"method\":\"POST\",\"url\":\"Observation\"}},"
                + "{\"resource\":{\"resourceType\":\"Flag\",\"status\":\"active\",\"code\":{\"text\":\"forged\"},"
                + "\"subject\":{\"reference\":\"Patient/" + patient + "\"}},\"request\":{\"method\":\"POST\",\"url\":\"Flag\"}}]}";
        assertThat(fhir("POST", "", bundle, token).statusCode()).isEqualTo(403);
        assertThat(client.search().forResource(Flag.class).where(Flag.PATIENT.hasId("Patient/" + patient))
                .returnBundle(Bundle.class).execute().getEntry()).as("nothing of the refused transaction stored").isEmpty();
    }

    @Test
    void aNotificationWithoutTheSecretIsRefusedAndScreensNobody() {
        String intruder = "intruder-" + UUID.randomUUID();
        String body = String.format(OBSERVATION, intruder).replace("{\"resourceType\":\"Observation\",",
                "{\"resourceType\":\"Observation\",\"id\":\"x1\",");
        HttpResponse<String> put = stack.send(HttpRequest.newBuilder(URI.create(stack.screeningBase()
                        + "/fhir-notify/Observation/x1")).header("Content-Type", JSON)
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build());
        HttpResponse<String> post = stack.send(HttpRequest.newBuilder(URI.create(stack.screeningBase() + "/fhir-notify"))
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        HttpResponse<String> wrong = stack.send(HttpRequest.newBuilder(URI.create(stack.screeningBase()
                        + "/fhir-notify/Observation/x1")).header("Content-Type", JSON)
                .header("X-Calciscreen-Notification-Secret", "guess")
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build());

        assertThat(List.of(put.statusCode(), post.statusCode(), wrong.statusCode())).containsOnly(401);
        Stack.sleep(2_000); // longer than the debounce: an accepted notification would have been screened by now
        assertThat(stack.screeningLog().filter(line -> line.contains(intruder))).isEmpty();
        assertThat(stack.screeningLog().filter(line -> line.contains("event=notification_refused")
                && line.contains("no_valid_secret"))).hasSizeGreaterThanOrEqualTo(3);
    }

    @Test
    void theScreeningRenewsItsTokenAndLosesNothing() {
        // tokens live 45 s here (Stack.TOKEN_LIFETIME): wait until the screening has had to get a second one
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1))
                .until(() -> stack.screeningLog().filter(line -> line.contains("event=token_obtained")).count() >= 2);
        String patient = post(ReliabilityIT.moderatePatient());
        flags.await(patient, Flags::active, WAIT);
        assertThat(stack.screeningLog().filter(line -> line.contains("event=token_refused")).count())
                .as("renewed before expiry, so the server never had to refuse one").isZero();
    }

    @Test
    void everyWriteLeavesAnAuditEventNamingTheClient() {
        IGenericClient lab = stack.client("calciscreen-lab");
        String patient = lab.create().resource(new org.hl7.fhir.r4.model.Patient()
                .setGender(AdministrativeGender.FEMALE)).execute().getId().getIdPart();
        Observation calcium = ClinicalData.observation("Patient/" + patient, "17861-6", 11.2, "mg/dL", ClinicalData.daysAgo(1));
        String observation = lab.create().resource(calcium).execute().getId().toUnqualifiedVersionless().getValue();
        lab.create().resource(ClinicalData.observation("Patient/" + patient, "2777-1", 6.9, "mg/dL", ClinicalData.daysAgo(1)))
                .execute();
        lab.create().resource(ClinicalData.observation("Patient/" + patient, "2731-8", 900, "pg/mL", ClinicalData.daysAgo(1)))
                .execute();
        Flag flag = flags.await(patient, Flags::active, WAIT);

        assertThat(auditEvents("calciscreen-lab", observation)).as("the lab's create").hasSize(1)
                .allSatisfy(event -> assertThat(event.getAction()).isEqualTo(AuditEvent.AuditEventAction.C));
        String flagId = flag.getIdElement().toUnqualifiedVersionless().getValue();
        assertThat(auditEvents("calciscreen-screening", flagId)).as("the screening's Flag write").isNotEmpty();
        assertThat(auditEvents("calciscreen-lab", flagId)).as("nobody else wrote the Flag").isEmpty();
    }

    private List<AuditEvent> auditEvents(String clientId, String entity) {
        return client.search().forResource(AuditEvent.class)
                .where(AuditEvent.AGENT_NAME.matchesExactly().value(clientId))
                .and(new ca.uhn.fhir.rest.gclient.TokenClientParam("entity-id").exactly().code(entity))
                .returnBundle(Bundle.class).execute().getEntry().stream()
                .map(entry -> (AuditEvent) entry.getResource()).toList();
    }

    private void assertRefused(String token) {
        HttpResponse<String> answer = fhir("GET", "/Flag?status=active", "", token);
        assertThat(answer.statusCode()).isEqualTo(401);
        assertThat(answer.headers().firstValue("WWW-Authenticate").orElse("")).contains("invalid_token");
        assertThat(answer.body()).contains("\"resourceType\":\"OperationOutcome\"");
    }

    private HttpResponse<String> fhir(String method, String path, String body, String token) {
        return new FhirHttp(stack).send(method, path, body, token);
    }

    private static String issuer() {
        return stack.fhirBase().replace("/fhir", "");
    }

    private static String audience() {
        return stack.fhirBase();
    }

    private static RSAKey serverKey() {
        return SigningKey.read(stack.authDir().resolve("authorization-server.jwk")).privateKey();
    }

    private static JWTClaimsSet claims(String issuer, String audience, Instant expiry) {
        return new JWTClaimsSet.Builder().issuer(issuer).subject("calciscreen-admin").audience(audience)
                .claim("client_id", "calciscreen-admin").claim("scope", "system/*.cruds")
                .issueTime(Date.from(expiry.minusSeconds(300))).expirationTime(Date.from(expiry))
                .jwtID(UUID.randomUUID().toString()).build();
    }

    private static String sign(RSAKey key, JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS384).keyID(key.getKeyID()).build(), claims);
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }
}
