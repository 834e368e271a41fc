package calciscreen.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.util.UrlUtil;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SearchLimitsTest {

    SearchLimits limits = new SearchLimits(3, 10);

    @Test
    void valuesAreCountedAcrossCommasAndRepeatsButNotEscapedCommas() {
        assertThat(SearchLimits.orValues("a,b,c")).isEqualTo(3);
        assertThat(SearchLimits.orValues("a\\,b")).isEqualTo(1);
        assertThatThrownBy(() -> search("_id=a,b&_id=c,d")).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("max-values-per-parameter");
        assertThatCode(() -> search("_id=a,b,c")).doesNotThrowAnyException();
    }

    @Test
    void parametersAreCountedWithTheirRepeats() {
        limits = new SearchLimits(10, 4);
        String five = IntStream.range(0, 5).mapToObj(i -> "_lastUpdated=gt2000-01-0" + (i + 1)).collect(Collectors.joining("&"));
        assertThatThrownBy(() -> search(five)).hasMessageContaining("max-parameters");
        assertThatCode(() -> search(five.substring(0, five.lastIndexOf('&')))).doesNotThrowAnyException();
    }

    private void search(String query) {
        SystemRequestDetails request = new SystemRequestDetails();
        request.setParameters(UrlUtil.parseQueryString(query));
        limits.withinLimits(request, RestOperationTypeEnum.SEARCH_TYPE);
    }
}
