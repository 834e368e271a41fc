package calciscreen.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A conditional create or update by a client that may not read the type still works (the HL7 v2 intake depends on
 * it), but the answer is the status and the Location only: never the stored resource, never an OperationOutcome
 * that describes the match. {@code Prefer: return=representation} is answered as {@code return=minimal} for it.
 */
class ConditionalWritesIT extends EndToEndTest {

    static final String PATIENT = "{\"resourceType\":\"Patient\",\"identifier\":[{\"system\":\"urn:mrn\",\"value\":\"%s\"}]}";
    static FhirHttp http;

    @BeforeAll
    static void raw() {
        http = new FhirHttp(stack);
    }

    @Test
    void aConditionalCreateWithoutReadAnswersStatusAndLocationOnly() {
        String mrn = "mrn-" + UUID.randomUUID();
        String id = PatchScopesIT.patient(mrn).getIdElement().getIdPart();
        String token = stack.token("calciscreen-lab", "system/Patient.cu");

        for (String prefer : new String[] {"return=representation", "return=OperationOutcome"}) {
            HttpResponse<String> answer = http.send("POST", "/Patient", String.format(PATIENT, mrn), token,
                    "If-None-Exist", "identifier=urn:mrn|" + mrn, "Prefer", prefer);
            assertThat(answer.statusCode()).as(prefer).isEqualTo(200);
            assertThat(answer.headers().firstValue("Location")).as(prefer).hasValueSatisfying(
                    location -> assertThat(location).contains("/Patient/" + id + "/"));
            assertThat(answer.body()).as(prefer).doesNotContain("Testperson").doesNotContain("resourceType");
        }
        assertThat(client.search().forResource(Patient.class).where(Patient.IDENTIFIER.exactly().systemAndCode("urn:mrn", mrn))
                .returnBundle(Bundle.class).execute().getEntry()).as("matched, not created again").hasSize(1);
    }

    @Test
    void aConditionalUpdateWithoutReadAnswersStatusAndLocationOnly() {
        String mrn = "mrn-" + UUID.randomUUID();
        String id = PatchScopesIT.patient(mrn).getIdElement().getIdPart();
        String token = stack.token("calciscreen-lab", "system/Patient.cu");

        HttpResponse<String> answer = http.send("PUT", "/Patient?identifier=urn:mrn|" + mrn,
                String.format(PATIENT, mrn).replace("\"identifier\"", "\"gender\":\"female\",\"identifier\""), token,
                "Prefer", "return=representation");
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.headers().firstValue("Content-Location").or(() -> answer.headers().firstValue("Location"))
                .orElse("")).contains("/Patient/" + id + "/");
        assertThat(answer.body()).doesNotContain("resourceType");
    }

    @Test
    void aClientThatMayReadStillGetsTheRepresentationItAsksFor() {
        String mrn = "mrn-" + UUID.randomUUID();
        PatchScopesIT.patient(mrn);
        String token = stack.token("calciscreen-lab", "system/Patient.crus");
        HttpResponse<String> answer = http.send("POST", "/Patient", String.format(PATIENT, mrn), token,
                "If-None-Exist", "identifier=urn:mrn|" + mrn, "Prefer", "return=representation");
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).contains("Testperson");
    }
}
