package calciscreen.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Nothing on port 8081 with patient data is open: the worklist's JSON refuses an anonymous caller (401, no redirect),
 * a signed-in person without an allowed role (403), a state-changing request without the CSRF token (403), a reader
 * who acts (403), and answers for a patient outside the person's reach exactly as for one that does not exist. Every
 * response carries the security headers; a session ends after its idle timeout. Against the hospital's own issuer
 * ({@link ExternalSignIn}).
 */
class WorklistAccessIT {

    static final TestIssuer.Person CLINICIAN = new TestIssuer.Person("dr-access", "Dr Access", List.of("clinician"));
    static final TestIssuer.Person READER = new TestIssuer.Person("reader-access", "Reader Access", List.of("reader"));
    static final TestIssuer.Person NO_ROLE = new TestIssuer.Person("porter", "No Role", List.of("porter"));

    static ExternalSignIn hospital;

    @BeforeAll
    static void start() {
        hospital = ExternalSignIn.get();
    }

    static SignedInClient signedIn(TestIssuer.Person person) {
        SignedInClient browser = hospital.browserOf(person);
        browser.signIn();
        return browser;
    }

    @Test
    void anonymousCallersGet401OnTheJsonAndARedirectToSignInOnThePage() {
        SignedInClient anonymous = new SignedInClient(hospital.screeningBase, HttpClient.Redirect.NEVER);
        for (String path : List.of("/worklist/api/flags", "/worklist/api/patients/1", "/worklist/api/reviews",
                "/worklist/api/flags/1/actions", "/worklist/api/me")) {
            HttpResponse<String> refused = anonymous.json(path);
            assertThat(refused.statusCode()).as(path).isEqualTo(401);
            assertThat(refused.headers().firstValue("Location")).as(path).isEmpty();
            assertThat(refused.body()).as(path).doesNotContain("patientId");
        }
        HttpResponse<String> page = anonymous.page("/worklist");
        assertThat(page.statusCode()).isEqualTo(302);
        assertThat(page.headers().firstValue("Location")).hasValue(hospital.screeningBase
                + "/oauth2/authorization/calciscreen");
        for (String path : List.of("/worklist/index.html", "/worklist/worklist.js", "/")) {
            assertThat(anonymous.page(path).statusCode()).as(path).isEqualTo(302);
        }
        HttpResponse<String> post = anonymous.post("/worklist/api/flags/1/review", "{}", Optional.empty());
        assertThat(post.statusCode()).as("no session, no CSRF token").isIn(401, 403);
    }

    @Test
    void aSignedInPersonWithoutAnAllowedRoleGets403() {
        SignedInClient porter = signedIn(NO_ROLE);
        assertThat(porter.json("/worklist/api/flags").statusCode()).isEqualTo(403);
        assertThat(porter.json("/worklist/api/patients/1").statusCode()).isEqualTo(403);
        HttpResponse<String> page = porter.page("/worklist");
        assertThat(page.statusCode()).isEqualTo(403);
        assertThat(page.body()).doesNotContain("Calciphylaxis risk worklist");
    }

    @Test
    void actingNeedsTheCsrfTokenAndTheActRole() {
        String patient = hospital.flaggedPatient();
        String flag = hospital.flags.of(patient).get(0).getIdElement().getIdPart();
        String review = "/worklist/api/flags/" + flag + "/review";

        SignedInClient clinician = signedIn(CLINICIAN);
        assertThat(clinician.cookie("XSRF-TOKEN")).isPresent();
        assertThat(clinician.post(review, "{\"note\":\"forged\"}", Optional.empty()).statusCode())
                .as("no CSRF header").isEqualTo(403);
        assertThat(clinician.post(review, "{\"note\":\"forged\"}", Optional.of("not-the-token")).statusCode())
                .as("a wrong CSRF header").isEqualTo(403);
        HttpResponse<String> crossSite = clinician.send(HttpRequest.newBuilder(URI.create(hospital.screeningBase + review))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Origin", "https://attacker.example")
                .POST(HttpRequest.BodyPublishers.ofString("note=forged")));
        assertThat(crossSite.statusCode()).as("a cross-site form post").isEqualTo(403);
        assertThat(hospital.operator.search().byUrl("Task?focus=Flag/" + flag)
                .returnBundle(org.hl7.fhir.r4.model.Bundle.class).execute().getEntry()).as("nothing recorded").isEmpty();

        HttpResponse<String> reviewed = clinician.postWithCsrf(review, "{\"note\":\"discussed with nephrologist\"}");
        assertThat(reviewed.statusCode()).as(reviewed.body()).isEqualTo(201);
        assertThat(reviewed.body()).contains("\"by\":\"Dr Access\"");

        SignedInClient reader = signedIn(READER);
        assertThat(reader.json("/worklist/api/flags").statusCode()).as("a reader reads").isEqualTo(200);
        HttpResponse<String> refused = reader.postWithCsrf(review, "{\"note\":\"mine\"}");
        assertThat(refused.statusCode()).as("a reader does not act").isEqualTo(403);
        assertThat(reader.json("/worklist/api/me").body()).contains("\"mayAct\":false");
    }

    @Test
    void aPatientOutsideTheWorklistIsAnsweredAsOneThatDoesNotExist() {
        Patient unflagged = new Patient().setGender(AdministrativeGender.MALE);
        String id = hospital.operator.create().resource(unflagged).execute().getId().getIdPart();
        SignedInClient clinician = signedIn(CLINICIAN);

        HttpResponse<String> outside = clinician.json("/worklist/api/patients/" + id);
        HttpResponse<String> missing = clinician.json("/worklist/api/patients/no-such-patient-" + id);
        assertThat(outside.statusCode()).isEqualTo(404);
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(outside.body()).isEqualTo(missing.body());
        assertThat(outside.headers().firstValue("Content-Type")).isEqualTo(missing.headers().firstValue("Content-Type"));
    }

    @Test
    void everyResponseOfPort8081CarriesTheSecurityHeaders() {
        SignedInClient anonymous = new SignedInClient(hospital.screeningBase, HttpClient.Redirect.NEVER);
        SignedInClient clinician = signedIn(CLINICIAN);
        List<HttpResponse<String>> responses = List.of(anonymous.page("/worklist"), anonymous.json("/worklist/api/flags"),
                anonymous.json("/cds-services"), anonymous.json("/.well-known/jwks.json"),
                anonymous.json("/actuator/health"), anonymous.json("/actuator/metrics"),
                anonymous.page("/signin/signed-out"), clinician.page("/worklist"), clinician.json("/worklist/api/flags"),
                clinician.page("/worklist/worklist.js"));
        for (HttpResponse<String> r : responses) {
            assertThat(r.headers().firstValue("Content-Security-Policy")).as(r.uri().toString())
                    .hasValue("default-src 'self'; frame-ancestors 'none'");
            assertThat(r.headers().firstValue("X-Content-Type-Options")).as(r.uri().toString()).hasValue("nosniff");
            assertThat(r.headers().firstValue("Referrer-Policy")).as(r.uri().toString()).hasValue("no-referrer");
        }
        assertThat(anonymous.page("/signin/signed-out").statusCode()).isEqualTo(200);
        assertThat(anonymous.json("/cds-services").statusCode()).as("CDS discovery keeps its own rules").isEqualTo(200);
        assertThat(anonymous.json("/actuator/health").statusCode()).isEqualTo(200);
        assertThat(anonymous.json("/actuator/metrics").statusCode()).as("an operator token").isEqualTo(401);
    }

    @Test
    void aSessionEndsAfterItsIdleTimeout() throws InterruptedException {
        SignedInClient clinician = signedIn(CLINICIAN);
        assertThat(clinician.json("/worklist/api/me").statusCode()).isEqualTo(200);
        Thread.sleep(java.time.Duration.parse("PT" + ExternalSignIn.IDLE_TIMEOUT).plusSeconds(5).toMillis());
        assertThat(clinician.json("/worklist/api/me").statusCode()).isEqualTo(401);
    }
}
