package calciscreen.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;
import org.hl7.fhir.r4.model.Flag;
import org.junit.jupiter.api.Test;

/**
 * Only the screening writes the screening's Flags and RiskAssessments: an operator cannot set a high Flag inactive,
 * delete it, or plant one with the screening's code; clinicians act on a Flag beside it, never by editing it.
 */
class ScreeningResultsIT extends EndToEndTest {

    @Test
    void noOtherClientMayChangeDeleteOrForgeTheScreeningsFlags() {
        String patient = post(ReliabilityIT.moderatePatient());
        Flag flag = flags.await(patient, Flags::active, SecurityIT.WAIT);
        String id = flag.getIdElement().getIdPart();
        String operator = stack.token("calciscreen-admin");
        FhirHttp http = new FhirHttp(stack);

        flag.setStatus(Flag.FlagStatus.INACTIVE);
        HttpResponse<String> silenced = http.send("PUT", "/Flag/" + id,
                Stack.FHIR.newJsonParser().encodeResourceToString(flag), operator);
        HttpResponse<String> patched = http.send("PATCH", "/Flag/" + id,
                "[{\"op\":\"replace\",\"path\":\"/status\",\"value\":\"inactive\"}]", operator);
        HttpResponse<String> deleted = http.send("DELETE", "/Flag/" + id, "", operator);
        flag.setId((String) null);
        HttpResponse<String> planted = http.send("POST", "/Flag", Stack.FHIR.newJsonParser().encodeResourceToString(flag),
                operator);
        String assessment = flags.assessmentOf(patient).orElseThrow().getIdElement().getIdPart();
        HttpResponse<String> assessmentDeleted = http.send("DELETE", "/RiskAssessment/" + assessment, "", operator);

        for (HttpResponse<String> answer : List.of(silenced, patched, deleted, planted, assessmentDeleted)) {
            assertThat(answer.statusCode()).isEqualTo(403);
            assertThat(answer.body()).contains("\"resourceType\":\"OperationOutcome\"").contains("screening");
        }
        assertThat(flags.of(patient)).singleElement()
                .satisfies(now -> assertThat(now.getStatus()).isEqualTo(Flag.FlagStatus.ACTIVE));
    }
}
