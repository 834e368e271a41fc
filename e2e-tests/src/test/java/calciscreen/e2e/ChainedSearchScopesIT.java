package calciscreen.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A chained or {@code _has} search queries every type it passes through, so each of them needs read scope: a
 * token that may read Flags learns nothing about Patients, Observations, Conditions or medications through one.
 */
class ChainedSearchScopesIT extends EndToEndTest {

    static FhirHttp http;

    @BeforeAll
    static void raw() {
        http = new FhirHttp(stack);
    }

    static Stream<String> searchesThroughUnreadableTypes() {
        return Stream.of(
                "/Flag?patient.identifier=urn:mrn|123",
                "/Flag?subject:Patient.name=Testperson&_summary=count",
                "/Flag?subject.birthdate=1950-01-01",
                "/Flag?patient._has:Observation:patient:code=17861-6",
                "/Flag?patient._has:Condition:subject:code=46177005",
                "/Flag?patient._has:MedicationRequest:subject:code=11289");
    }

    @ParameterizedTest(name = "{0} -> 403")
    @MethodSource("searchesThroughUnreadableTypes")
    void aSearchThroughATypeTheTokenCannotReadIsRefused(String search) {
        HttpResponse<String> answer = http.get(search, stack.token("calciscreen-lab", "system/Flag.rs"));
        assertThat(answer.statusCode()).isEqualTo(403);
        assertThat(answer.body()).contains("\"resourceType\":\"OperationOutcome\"");
    }

    @Test
    void aChainedSearchThroughReadableTypesIsAnswered() {
        String token = stack.token("calciscreen-admin", "system/Flag.rs", "system/Patient.rs", "system/Observation.rs");
        for (String search : new String[] {"/Flag?patient:Patient.identifier=urn:mrn|123", "/Flag?subject:Patient.name=x",
                "/Patient?_has:Observation:patient:code=17861-6"}) {
            java.net.http.HttpResponse<String> answer = http.get(search, token);
            assertThat(answer.statusCode()).as(search + " " + answer.body()).isEqualTo(200);
        }
        assertThat(http.get("/Flag?patient.identifier=urn:mrn|123", token).statusCode())
                .as("untyped, Flag's patient may also be a Group").isEqualTo(403);
    }
}
