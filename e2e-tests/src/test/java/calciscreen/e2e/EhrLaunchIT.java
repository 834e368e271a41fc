package calciscreen.e2e;

import static calciscreen.e2e.ClinicalData.SNOMED;
import static calciscreen.e2e.ClinicalData.daysAgo;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.junit.jupiter.api.Test;

/**
 * The SMART EHR launch of the zero-setup default: the embedded server stands in for the EHR (an operator makes a
 * launch of a patient), the EHR opens the worklist's launch URL, the person signs in at the form, and lands on that
 * patient's view. The CDS card's link is that launch URL.
 */
class EhrLaunchIT extends EndToEndTest {

    @Test
    void anEhrLaunchSignsInAndOpensThatPatientsView() {
        String patient = post(ClinicalData.newPatient(AdministrativeGender.MALE)
                .condition(SNOMED, "46177005", "End-stage renal disease").lab("2777-1", 6.2, "mg/dL", daysAgo(2)));
        flags.await(patient, Flags::active, Duration.ofSeconds(60));
        String issuer = stack.fhirBase().replace("/fhir", "");
        HttpResponse<String> made = stack.send(HttpRequest.newBuilder(URI.create(issuer + "/oauth2/launch"))
                .header("Authorization", "Bearer " + stack.token("calciscreen-admin"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("patient=" + patient)).build());
        assertThat(made.statusCode()).as(made.body()).isEqualTo(200);
        String launch = CdsHooks.json(made).get("launch").asText();

        SignedInClient ehrBrowser = new SignedInClient(stack.screeningBase());
        HttpResponse<String> landed = ehrBrowser.signInWithForm("/signin/launch?iss=" + stack.fhirBase() + "&launch="
                + java.net.URLEncoder.encode(launch, java.nio.charset.StandardCharsets.UTF_8), "clinician",
                stack.demoPassword("clinician"));

        assertThat(landed.statusCode()).isEqualTo(200);
        Optional<HttpResponse<String>> callback = landed.previousResponse();
        assertThat(callback).isPresent();
        assertThat(callback.get().uri().getPath()).isEqualTo("/login/oauth2/code/calciscreen");
        assertThat(callback.get().headers().firstValue("Location").orElseThrow()).as("that patient's view")
                .endsWith("/worklist#patient=" + patient);
        assertThat(ehrBrowser.json("/worklist/api/patients/" + patient).statusCode()).isEqualTo(200);

        HttpResponse<String> spent = new SignedInClient(stack.screeningBase()).signInWithForm("/signin/launch?iss="
                + stack.fhirBase() + "&launch=" + java.net.URLEncoder.encode(launch,
                java.nio.charset.StandardCharsets.UTF_8), "clinician", stack.demoPassword("clinician"));
        assertThat(spent.statusCode()).as("a launch is good once: " + spent.body()).isIn(400, 401);
        assertThat(spent.body()).doesNotContain("Calciphylaxis risk worklist");
    }
}
