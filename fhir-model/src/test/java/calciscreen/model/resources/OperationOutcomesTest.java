package calciscreen.model.resources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.junit.jupiter.api.Test;

class OperationOutcomesTest {

    @Test
    void anErrorIsOneIssueWithItsCodeAndSentence() {
        OperationOutcome outcome = OperationOutcomes.error(IssueType.LOGIN, "This request needs a bearer token.");
        assertThat(outcome.getIssue()).singleElement().satisfies(issue -> {
            assertThat(issue.getSeverity()).isEqualTo(IssueSeverity.ERROR);
            assertThat(issue.getCode()).isEqualTo(IssueType.LOGIN);
            assertThat(issue.getDiagnostics()).isEqualTo("This request needs a bearer token.");
        });
    }

    @Test
    void theJsonParsesBackWhateverTheSentenceHoldsQuotesIncluded() {
        String sentence = "body \"too\" large: 6 MB > 5 MB \\ {}";
        String json = OperationOutcomes.errorJson(IssueType.TOOCOSTLY, sentence);
        OperationOutcome parsed = FhirContext.forR4Cached().newJsonParser().parseResource(OperationOutcome.class, json);
        assertThat(parsed.getIssueFirstRep().getDiagnostics()).isEqualTo(sentence);
        assertThat(parsed.getIssueFirstRep().getCode()).isEqualTo(IssueType.TOOCOSTLY);
        assertThat(OperationOutcomes.FHIR_JSON).startsWith("application/fhir+json");
    }

    @Test
    void anErrorNeedsACodeAndASentence() {
        assertThatThrownBy(() -> OperationOutcomes.error(null, "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> OperationOutcomes.error(IssueType.LOGIN, " ")).isInstanceOf(IllegalArgumentException.class);
    }
}
