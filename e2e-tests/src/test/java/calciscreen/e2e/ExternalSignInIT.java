package calciscreen.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Clinicians sign in at an external OpenID provider, by configuration alone ({@code CALCISCREEN_SIGNIN_ISSUER_URI};
 * the FHIR server accepts that issuer's tokens): the whole authorization code flow as a browser follows it, what the
 * screening sends the issuer (PKCE S256, a nonce, a private_key_jwt assertion), the worklist read with the
 * person's own token, the reads audited naming the person and the client, and sign-out at the issuer too.
 */
class ExternalSignInIT {

    static ExternalSignIn hospital;

    @BeforeAll
    static void start() {
        hospital = ExternalSignIn.get();
    }

    @Test
    void aClinicianSignsInAtTheHospitalsIssuerReadsAsThemselvesAndSignsOut() {
        String patient = hospital.flaggedPatient();
        SignedInClient browser = hospital.browserOf(new TestIssuer.Person("dr-external", "Dr External",
                List.of("clinician")));
        int authorizations = hospital.issuer.authorizationRequests.size();

        HttpResponse<String> landed = browser.signIn();

        assertThat(landed.statusCode()).isEqualTo(200);
        assertThat(landed.body()).contains("Calciphylaxis risk worklist");
        List<String> path = SignedInClient.path(landed);
        assertThat(path.get(1)).as("sent to sign in").isEqualTo(hospital.screeningBase + "/oauth2/authorization/calciscreen");
        assertThat(path.get(2)).as("at the hospital's issuer").startsWith(hospital.issuer.issuer() + "/authorize?");
        assertThat(path.get(path.size() - 1)).startsWith(hospital.screeningBase + "/worklist");

        Map<String, String> asked = hospital.issuer.authorizationRequests.get(authorizations);
        assertThat(asked).containsEntry("client_id", "calciscreen-worklist").containsEntry("response_type", "code")
                .containsEntry("code_challenge_method", "S256")
                .containsEntry("redirect_uri", hospital.screeningBase + "/login/oauth2/code/calciscreen")
                .containsKeys("code_challenge", "state", "nonce");
        assertThat(asked.get("scope").split(" ")).contains("openid", "fhirUser", "user/Flag.rs", "user/Task.crs");
        Map<String, String> token = hospital.issuer.tokenRequests.stream()
                .filter(t -> "authorization_code".equals(t.get("grant_type"))).reduce((a, b) -> b).orElseThrow();
        assertThat(token).containsEntry("client_assertion_type", TestIssuer.ASSERTION_TYPE).containsKeys("code_verifier")
                .doesNotContainKey("client_secret");

        List<String> cookies = SignedInClient.setCookies(landed);
        assertThat(cookies).anySatisfy(c -> assertThat(c).startsWith("CALCISCREEN_SESSION=").containsIgnoringCase("HttpOnly")
                .containsIgnoringCase("SameSite=Lax"));
        assertThat(cookies).noneMatch(c -> c.startsWith("JSESSIONID="));

        HttpResponse<String> rows = browser.json("/worklist/api/flags");
        assertThat(rows.statusCode()).as(rows.body()).isEqualTo(200);
        assertThat(rows.body()).contains("\"patientId\":\"" + patient + "\"");
        HttpResponse<String> view = browser.json("/worklist/api/patients/" + patient);
        assertThat(view.statusCode()).as(view.body()).isEqualTo(200);
        HttpResponse<String> me = browser.json("/worklist/api/me");
        assertThat(me.body()).contains("\"name\":\"Dr External\"").contains("\"mayAct\":true");

        AuditEvent read = auditOf("read", patient);
        assertThat(read.getAgent()).anySatisfy(agent -> {
            assertThat(agent.getRequestor()).isTrue();
            assertThat(agent.getWho().getIdentifier().getSystem()).isEqualTo(hospital.issuer.issuer() + "/people");
            assertThat(agent.getWho().getIdentifier().getValue()).isEqualTo("dr-external");
            assertThat(agent.getWho().getDisplay()).isEqualTo("Dr External");
        });
        assertThat(read.getAgent()).as("the client the person came through")
                .anySatisfy(agent -> assertThat(agent.getWho().getIdentifier().getValue()).isEqualTo("calciscreen-worklist"));
        assertThat(read.getAction()).isEqualTo(AuditEvent.AuditEventAction.R);
        AuditEvent query = auditOf("search-type", patient);
        assertThat(query.getAction()).isEqualTo(AuditEvent.AuditEventAction.E);

        int endSessions = hospital.issuer.endSessionRequests.size();
        HttpResponse<String> out = browser.signOut();
        assertThat(out.statusCode()).isEqualTo(200);
        assertThat(SignedInClient.path(out).get(SignedInClient.path(out).size() - 1))
                .isEqualTo(hospital.screeningBase + "/signin/signed-out");
        assertThat(out.body()).contains("You are signed out");
        assertThat(hospital.issuer.endSessionRequests).hasSize(endSessions + 1);
        assertThat(hospital.issuer.endSessionRequests.get(endSessions))
                .containsEntry("post_logout_redirect_uri", hospital.screeningBase + "/signin/signed-out")
                .containsKey("id_token_hint");
        assertThat(browser.json("/worklist/api/flags").statusCode()).as("signed out").isEqualTo(401);
    }

    @Test
    void aSignOutWithoutTheCsrfTokenDoesNothing() {
        SignedInClient browser = hospital.browserOf(new TestIssuer.Person("dr-csrf", "Dr Csrf", List.of("reader")));
        assertThat(browser.signIn().statusCode()).isEqualTo(200);
        HttpResponse<String> forged = browser.send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(hospital.screeningBase + "/signin/sign-out"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("")));
        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(browser.json("/worklist/api/me").statusCode()).as("still signed in").isEqualTo(200);
    }

    @Test
    void anEhrLaunchOpensThatPatientsViewAndALaunchFromAnotherServerIsRefused() {
        String patient = hospital.flaggedPatient();
        SignedInClient browser = hospital.browserOf(new TestIssuer.Person("dr-launch", "Dr Launch", List.of("clinician")));
        String launch = hospital.issuer.launchFor(patient);
        int authorizations = hospital.issuer.authorizationRequests.size();

        HttpResponse<String> landed = browser.page("/signin/launch?iss=" + hospital.fhirBase + "&launch=" + launch);

        assertThat(landed.statusCode()).isEqualTo(200);
        assertThat(hospital.issuer.authorizationRequests.get(authorizations)).containsEntry("launch", launch)
                .containsEntry("aud", hospital.fhirBase);
        assertThat(hospital.issuer.authorizationRequests.get(authorizations).get("scope").split(" ")).contains("launch");
        HttpResponse<String> callback = landed.previousResponse().orElseThrow();
        assertThat(callback.uri().getPath()).isEqualTo("/login/oauth2/code/calciscreen");
        assertThat(callback.headers().firstValue("Location").orElseThrow())
                .as("the patient open in the EHR").endsWith("/worklist#patient=" + patient);
        assertThat(browser.json("/worklist/api/patients/" + patient).statusCode()).isEqualTo(200);

        SignedInClient stranger = new SignedInClient(hospital.screeningBase, java.net.http.HttpClient.Redirect.NEVER);
        HttpResponse<String> foreign = stranger.page("/signin/launch?iss=https://other-ehr.example/fhir&launch="
                + hospital.issuer.launchFor(patient));
        assertThat(foreign.statusCode()).as("a launch for another FHIR server").isEqualTo(400);
        assertThat(foreign.headers().firstValue("Location")).isEmpty();
    }

    /** The newest AuditEvent of the screening's reads of that kind naming the patient. */
    private static AuditEvent auditOf(String subtype, String patient) {
        Bundle found = hospital.operator.search().byUrl("AuditEvent?subtype=" + subtype + "&_sort=-date&_count=50")
                .returnBundle(Bundle.class).execute();
        Optional<AuditEvent> event = found.getEntry().stream().map(e -> (AuditEvent) e.getResource())
                .filter(e -> e.getEntity().stream().anyMatch(en -> en.getWhat().hasIdentifier()
                        && ("Patient/" + patient).equals(en.getWhat().getIdentifier().getValue())))
                .findFirst();
        assertThat(event).as("an AuditEvent (" + subtype + ") naming Patient/" + patient).isPresent();
        return event.get();
    }
}
