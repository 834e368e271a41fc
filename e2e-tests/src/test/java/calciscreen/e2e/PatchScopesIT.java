package calciscreen.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.UUID;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * PATCH follows the scopes: it changes a resource and answers it whole (a {@code test} operation even probes its
 * content), so it needs both update and read on the type. A write-only client neither patches nor reads through one.
 */
class PatchScopesIT extends EndToEndTest {

    static FhirHttp http;

    @BeforeAll
    static void raw() {
        http = new FhirHttp(stack);
    }

    @Test
    void aWriteOnlyClientCanNeitherPatchNorProbeAResourceWithAPatch() {
        String mrn = "mrn-" + UUID.randomUUID();
        Patient stored = patient(mrn);
        String id = stored.getIdElement().getIdPart();
        String token = stack.token("calciscreen-lab", "system/Patient.cu");

        HttpResponse<String> probe = http.send("PATCH", "/Patient/" + id,
                "[{\"op\":\"test\",\"path\":\"/gender\",\"value\":\"female\"}]", token);
        HttpResponse<String> byMrn = http.send("PATCH", "/Patient?identifier=urn:mrn|" + mrn,
                "[{\"op\":\"test\",\"path\":\"/gender\",\"value\":\"female\"}]", token);
        HttpResponse<String> change = http.send("PATCH", "/Patient/" + id,
                "[{\"op\":\"replace\",\"path\":\"/gender\",\"value\":\"male\"}]", token);

        for (HttpResponse<String> answer : java.util.List.of(probe, byMrn, change)) {
            assertThat(answer.statusCode()).isEqualTo(403);
            assertThat(answer.body()).contains("\"resourceType\":\"OperationOutcome\"").doesNotContain("Testperson");
        }
        Patient now = client.read().resource(Patient.class).withId(id).execute();
        assertThat(now.getGender()).isEqualTo(AdministrativeGender.FEMALE);
        assertThat(now.getMeta().getVersionId()).isEqualTo(stored.getMeta().getVersionId());
    }

    @Test
    void aClientThatMayReadAndUpdateMayPatch() {
        Patient stored = patient("mrn-" + UUID.randomUUID());
        String token = stack.token("calciscreen-lab", "system/Patient.rus");
        HttpResponse<String> change = http.send("PATCH", "/Patient/" + stored.getIdElement().getIdPart(),
                "[{\"op\":\"replace\",\"path\":\"/gender\",\"value\":\"male\"}]", token);
        assertThat(change.statusCode()).isEqualTo(200);
        assertThat(client.read().resource(Patient.class).withId(stored.getIdElement().getIdPart()).execute()
                .getGender()).isEqualTo(AdministrativeGender.MALE);
    }

    static Patient patient(String mrn) {
        Patient patient = new Patient().setGender(AdministrativeGender.FEMALE)
                .addName(new HumanName().setFamily("Testperson").addGiven("Ada"));
        patient.addIdentifier().setSystem("urn:mrn").setValue(mrn);
        String id = client.create().resource(patient).execute().getId().getIdPart();
        return client.read().resource(Patient.class).withId(id).execute();
    }
}
