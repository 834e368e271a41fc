package calciscreen.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** One search asks for a bounded amount of work: values per parameter and parameters per search are capped (400). */
class SearchLimitsIT extends EndToEndTest {

    static FhirHttp http;

    @BeforeAll
    static void raw() {
        http = new FhirHttp(stack);
    }

    @Test
    void aSearchWithMoreValuesForOneParameterThanTheCapIsRefusedWith400() {
        String token = stack.token("calciscreen-admin");
        HttpResponse<String> huge = http.postSearch("Patient", "_id=" + ids(20_000), token);
        assertThat(huge.statusCode()).isEqualTo(400);
        assertThat(huge.body()).contains("\"resourceType\":\"OperationOutcome\"").contains("max-values-per-parameter");

        assertThat(http.postSearch("Patient", "_id=" + ids(1_000), token).statusCode()).as("at the cap").isEqualTo(200);
    }

    @Test
    void aSearchWithMoreParametersThanTheCapIsRefusedWith400() {
        String token = stack.token("calciscreen-admin");
        String many = IntStream.range(0, 101).mapToObj(i -> "identifier:not=urn:mrn%7C" + i)
                .collect(Collectors.joining("&"));
        HttpResponse<String> answer = http.get("/Patient?" + many, token);
        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(answer.body()).as(many.length() + " characters").contains("max-parameters");
        assertThat(http.get("/Patient?" + many.substring(0, many.lastIndexOf('&')), token).statusCode())
                .as("at the cap").isEqualTo(200);
    }

    private static String ids(int count) {
        return IntStream.range(0, count).mapToObj(i -> "x" + i).collect(Collectors.joining("%2C"));
    }
}
