package calciscreen.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.junit.jupiter.api.Test;

/**
 * People sign in to the worklist at the embedded authorization server: OpenID Connect's authorization code flow
 * with PKCE S256, the sign-in form, a client assertion signed with the screening's key, and then FHIR as the
 * person, with what their role allows and an audit trail that names them.
 */
class PeopleSignInIT extends EndToEndTest {

    static final String TASK = "{\"resourceType\":\"Task\",\"status\":\"requested\",\"intent\":\"order\","
            + "\"description\":\"PTH repeat in 2 weeks\"}";

    private final FhirHttp fhir = new FhirHttp(stack);

    @Test
    void aClinicianSignsInWithTheCodeFlowAndTheTokensNameThemAndTheirRole() {
        SignInFlow flow = new SignInFlow(stack);
        Map<String, Object> tokens = flow.tokens("clinician", stack.demoPassword("clinician"), SignInFlow.CLINICIAN_SCOPES);

        assertThat(tokens).containsEntry("token_type", "Bearer").doesNotContainKey("refresh_token");
        assertThat(((String) tokens.get("scope")).split(" ")).contains("openid", "user/Task.crs", "user/Flag.rs");
        Map<String, Object> access = SignInFlow.claims((String) tokens.get("access_token"));
        assertThat(access).containsEntry("sub", "clinician").containsEntry("client_id", SignInFlow.CLIENT)
                .containsEntry("name", "Demo Clinician").containsEntry("roles", List.of("clinician"));
        assertThat(access.get("aud")).isIn(stack.fhirBase(), List.of(stack.fhirBase()));
        assertThat(((Number) access.get("exp")).longValue() - ((Number) access.get("iat")).longValue())
                .as("no longer than the configured token lifetime").isLessThanOrEqualTo(45);
        Map<String, Object> id = SignInFlow.claims((String) tokens.get("id_token"));
        assertThat(id).containsEntry("sub", "clinician").containsEntry("preferred_username", "clinician")
                .containsEntry("name", "Demo Clinician").containsEntry("roles", List.of("clinician"))
                .containsEntry("nonce", flow.nonce).containsEntry("iss", flow.issuer());
        assertThat(id.get("aud")).isIn(SignInFlow.CLIENT, List.of(SignInFlow.CLIENT));

        HttpResponse<String> userInfo = stack.send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(flow.issuer() + "/userinfo"))
                .header("Authorization", "Bearer " + tokens.get("access_token")).build());
        assertThat(userInfo.statusCode()).isEqualTo(200);
        assertThat(SignInFlow.json(userInfo.body())).containsEntry("sub", "clinician")
                .containsEntry("name", "Demo Clinician").containsEntry("roles", List.of("clinician"));
    }

    @Test
    void aClinicianCreatesATaskAndTheAuditEventNamesThePersonAndTheClient() {
        String token = (String) new SignInFlow(stack)
                .tokens("clinician", stack.demoPassword("clinician"), SignInFlow.CLINICIAN_SCOPES).get("access_token");

        assertThat(fhir.get("/Flag?status=active", token).statusCode()).isEqualTo(200);
        HttpResponse<String> created = fhir.send("POST", "/Task", TASK, token);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String task = created.headers().firstValue("Location").orElseThrow()
                .replaceAll(".*/(Task/[^/]+)/_history/.*", "$1");

        Bundle audits = client.search().forResource(AuditEvent.class).where(new ca.uhn.fhir.rest.gclient.TokenClientParam(
                "entity-id").exactly().code(task)).returnBundle(Bundle.class).execute();
        assertThat(audits.getEntry()).hasSize(1);
        AuditEvent audit = (AuditEvent) audits.getEntryFirstRep().getResource();
        AuditEvent.AuditEventAgentComponent person = audit.getAgent().stream()
                .filter(AuditEvent.AuditEventAgentComponent::getRequestor).findFirst().orElseThrow();
        assertThat(person.getWho().getIdentifier().getSystem()).isEqualTo(new SignInFlow(stack).issuer() + "/people");
        assertThat(person.getWho().getIdentifier().getValue()).isEqualTo("clinician");
        assertThat(person.getWho().getDisplay()).isEqualTo("Demo Clinician");
        assertThat(audit.getAgent()).anySatisfy(agent -> {
            assertThat(agent.getRequestor()).isFalse();
            assertThat(agent.getName()).isEqualTo(SignInFlow.CLIENT);
        });
    }

    @Test
    void aReaderIsGrantedOnlyWhatTheRoleAllowsAndCannotCreateATask() {
        Map<String, Object> tokens = new SignInFlow(stack)
                .tokens("reader", stack.demoPassword("reader"), SignInFlow.CLINICIAN_SCOPES + " user/Task.rs");
        String token = (String) tokens.get("access_token");

        assertThat(((String) tokens.get("scope")).split(" ")).contains("user/Task.rs", "user/Flag.rs")
                .doesNotContain("user/Task.crs");
        assertThat(SignInFlow.claims(token)).containsEntry("roles", List.of("reader"));
        assertThat(fhir.get("/Task", token).statusCode()).isEqualTo(200);
        HttpResponse<String> create = fhir.send("POST", "/Task", TASK, token);
        assertThat(create.statusCode()).isEqualTo(403);
        assertThat(create.body()).contains("\"resourceType\":\"OperationOutcome\"");
    }

    @Test
    void aWrongPasswordGivesNoCodeAndIsAudited() {
        SignInFlow flow = new SignInFlow(stack);
        flow.authorize(SignInFlow.CLINICIAN_SCOPES);
        HttpResponse<String> refused = flow.signIn("clinician", stack.demoPassword("clinician") + "x");

        assertThat(SignInFlow.location(refused)).endsWith("/login?error");
        assertThat(SignInFlow.location(flow.authorize(SignInFlow.CLINICIAN_SCOPES)))
                .as("still not signed in: back to the form, no code").startsWith(flow.issuer() + "/login");
        Bundle failures = client.search().forResource(AuditEvent.class)
                .where(AuditEvent.TYPE.exactly().systemAndCode("http://dicom.nema.org/resources/ontology/DCM", "110114"))
                .and(AuditEvent.AGENT_NAME.matchesExactly().value("clinician"))
                .and(new ca.uhn.fhir.rest.gclient.TokenClientParam("outcome").exactly().code("4"))
                .returnBundle(Bundle.class).execute();
        assertThat(failures.getEntry()).isNotEmpty();
    }

    @Test
    void anAuthorizationRequestWithoutPkceOrWithPlainPkceGetsNoCode() {
        SignInFlow flow = new SignInFlow(stack);
        flow.code("clinician", stack.demoPassword("clinician"), SignInFlow.CLINICIAN_SCOPES); // signed in
        Map<String, String> missing = new HashMap<>();
        missing.put("code_challenge", null);
        missing.put("code_challenge_method", null);
        assertRefusedToTheClient(flow.authorize(SignInFlow.CLINICIAN_SCOPES, missing), "missing PKCE");
        assertRefusedToTheClient(flow.authorize(SignInFlow.CLINICIAN_SCOPES,
                Map.of("code_challenge", flow.verifier, "code_challenge_method", "plain")), "plain PKCE");
        assertThat(flow.codeFrom(flow.authorize(SignInFlow.CLINICIAN_SCOPES)))
                .as("the control: the same request with S256 gets a code").isNotBlank();
    }

    @Test
    void aRedirectUriDifferingByOneCharacterIsNeverRedirectedTo() {
        SignInFlow flow = new SignInFlow(stack);
        flow.code("clinician", stack.demoPassword("clinician"), SignInFlow.CLINICIAN_SCOPES); // signed in
        String registered = stack.worklistRedirectUri();
        for (String other : List.of(registered + "x", registered.substring(0, registered.length() - 1) + "N",
                registered.replace("localhost", "localhosT"), registered + "/", registered + "?next=https://evil.example")) {
            HttpResponse<String> answer = flow.authorize(SignInFlow.CLINICIAN_SCOPES, Map.of("redirect_uri", other));
            assertThat(answer.statusCode()).as(other).isEqualTo(400);
            assertThat(SignInFlow.location(answer)).as(other).isEmpty();
        }
    }

    @Test
    void aCodeIsGoodOnceAndOnlyWithItsVerifier() {
        SignInFlow flow = new SignInFlow(stack);
        String code = flow.code("clinician", stack.demoPassword("clinician"), SignInFlow.CLINICIAN_SCOPES);
        HttpResponse<String> wrongVerifier = flow.token(code, flow.verifier + "x");
        assertThat(wrongVerifier.statusCode()).isEqualTo(400);
        assertThat(wrongVerifier.body()).contains("invalid_grant");

        String second = flow.codeFrom(flow.authorize(SignInFlow.CLINICIAN_SCOPES));
        assertThat(flow.token(second, flow.verifier).statusCode()).isEqualTo(200);
        HttpResponse<String> again = flow.token(second, flow.verifier);
        assertThat(again.statusCode()).isEqualTo(400);
        assertThat(again.body()).contains("invalid_grant");
    }

    @Test
    void signingOutAtTheServerEndsTheSignInAndReturnsOnlyToARegisteredAddress() {
        SignInFlow flow = new SignInFlow(stack);
        String idToken = (String) flow.tokens("clinician", stack.demoPassword("clinician"), SignInFlow.CLINICIAN_SCOPES)
                .get("id_token");
        String signedOut = stack.screeningBase() + "/signin/signed-out";

        HttpResponse<String> elsewhere = flow.get(flow.issuer() + "/connect/logout?id_token_hint=" + idToken
                + "&post_logout_redirect_uri=" + java.net.URLEncoder.encode("https://evil.example/",
                java.nio.charset.StandardCharsets.UTF_8));
        assertThat(SignInFlow.location(elsewhere)).doesNotStartWith("https://evil.example");
        HttpResponse<String> out = flow.get(flow.issuer() + "/connect/logout?id_token_hint=" + idToken
                + "&post_logout_redirect_uri=" + java.net.URLEncoder.encode(signedOut,
                java.nio.charset.StandardCharsets.UTF_8) + "&state=bye");
        assertThat(SignInFlow.location(out)).isEqualTo(signedOut + "?state=bye");
        assertThat(SignInFlow.location(flow.authorize(SignInFlow.CLINICIAN_SCOPES)))
                .as("signed out: the form again, no code").startsWith(flow.issuer() + "/login");
    }

    private void assertRefusedToTheClient(HttpResponse<String> answer, String what) {
        Map<String, String> query = SignInFlow.query(SignInFlow.location(answer));
        assertThat(SignInFlow.location(answer)).as(what).startsWith(stack.worklistRedirectUri() + "?");
        assertThat(query).as(what).containsEntry("error", "invalid_request").doesNotContainKey("code");
    }
}
