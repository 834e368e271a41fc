package calciscreen.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;

/**
 * SMART's EHR launch with the embedded server standing in for the EHR: an operator creates a launch of a patient,
 * the sign-in that carries it gets that patient as its context (token response, access and ID tokens), once.
 */
class LaunchContextIT extends EndToEndTest {

    static final String SCOPES = SignInFlow.CLINICIAN_SCOPES + " launch";

    private HttpResponse<String> launch(String token, String contentType, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(stack.fhirBase().replaceAll("/fhir$", "")
                + "/oauth2/launch")).header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return stack.send(request.build());
    }

    private String newPatient() {
        return client.create().resource(new Patient().setActive(true)).execute().getId().getIdPart();
    }

    private String launchOf(String patient) {
        HttpResponse<String> answer = launch(stack.token("calciscreen-admin"), "application/x-www-form-urlencoded",
                "patient=" + patient);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        Map<String, Object> body = SignInFlow.json(answer.body());
        assertThat(body).containsEntry("expires_in", 300L);
        return (String) body.get("launch");
    }

    @Test
    void aSignInWithALaunchGetsItsPatientInTheTokenResponseAndTheTokens() {
        String patient = newPatient();
        String launch = launchOf(patient);
        SignInFlow flow = new SignInFlow(stack);

        Map<String, Object> tokens = flow.tokensFor(flow.code("clinician", stack.demoPassword("clinician"), SCOPES,
                Map.of("launch", launch)));

        assertThat(tokens).containsEntry("patient", patient);
        assertThat(SignInFlow.claims((String) tokens.get("id_token"))).containsEntry("patient", patient)
                .containsEntry("sub", "clinician");
        assertThat(SignInFlow.claims((String) tokens.get("access_token"))).containsEntry("patient", patient);
        assertThat(((String) tokens.get("scope")).split(" ")).contains("launch");
    }

    @Test
    void aLaunchIsGoodForOneSignInAndAnUnknownOneForNone() {
        String launch = launchOf(newPatient());
        SignInFlow flow = new SignInFlow(stack);
        flow.tokensFor(flow.code("clinician", stack.demoPassword("clinician"), SCOPES, Map.of("launch", launch)));

        for (String spent : new String[] {launch, "not-a-launch"}) {
            HttpResponse<String> again = flow.authorize(SCOPES, Map.of("launch", spent));
            String location = SignInFlow.location(again);
            assertThat(location).as(spent).startsWith(stack.worklistRedirectUri() + "?");
            assertThat(SignInFlow.query(location)).as(spent).containsEntry("error", "invalid_request")
                    .doesNotContainKey("code");
        }
    }

    @Test
    void aSignInWithoutALaunchHasNoPatientContext() {
        Map<String, Object> tokens = new SignInFlow(stack).tokens("clinician", stack.demoPassword("clinician"), SCOPES);
        assertThat(tokens).doesNotContainKey("patient");
        assertThat(SignInFlow.claims((String) tokens.get("id_token"))).doesNotContainKey("patient");
    }

    @Test
    void aLaunchWithoutTheLaunchScopeIsRefused() {
        String launch = launchOf(newPatient());
        SignInFlow flow = new SignInFlow(stack);
        flow.code("clinician", stack.demoPassword("clinician"), SignInFlow.CLINICIAN_SCOPES); // signed in
        HttpResponse<String> refused = flow.authorize(SignInFlow.CLINICIAN_SCOPES, Map.of("launch", launch));
        assertThat(SignInFlow.query(SignInFlow.location(refused))).containsEntry("error", "invalid_request")
                .doesNotContainKey("code");
    }

    @Test
    void launchingNeedsAnOperatorTokenAndAPatientTheServerHas() {
        String patient = newPatient();
        assertThat(launch(null, "application/x-www-form-urlencoded", "patient=" + patient).statusCode()).isEqualTo(401);
        assertThat(launch(stack.token("calciscreen-lab"), "application/x-www-form-urlencoded", "patient=" + patient)
                .statusCode()).isEqualTo(403);
        String admin = stack.token("calciscreen-admin");
        HttpResponse<String> unknown = launch(admin, "application/x-www-form-urlencoded", "patient=no-such-patient");
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(unknown.body()).contains("invalid_request");
        assertThat(launch(admin, "application/x-www-form-urlencoded", "").statusCode()).isEqualTo(400);
        HttpResponse<String> json = launch(admin, "application/json", "{\"patient\":\"" + patient + "\"}");
        assertThat(json.statusCode()).isEqualTo(200);
        assertThat(SignInFlow.json(json.body())).containsKey("launch");
    }
}
