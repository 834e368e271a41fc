package calciscreen.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CanonicalUrlsTest {

    @Test
    void urlsAreTheOnesDesignMdNames() {
        assertThat(CanonicalUrls.SCREENING_FLAG_SYSTEM).isEqualTo("http://calciscreen.example/fhir/CodeSystem/screening-flag");
        assertThat(CanonicalUrls.CALCIPHYLAXIS_RISK_CODE).isEqualTo("calciphylaxis-risk");
        assertThat(CanonicalUrls.CALCIPHYLAXIS_RISK_DISPLAY).isEqualTo("Calciphylaxis risk");
        assertThat(CanonicalUrls.rulesCanonical(CanonicalUrls.RULES_VERSION))
                .isEqualTo("http://calciscreen.example/fhir/rules/calciphylaxis|1.0.0");
        assertThat(CanonicalUrls.SCREENING_IDENTIFIER_SYSTEM).isEqualTo("http://calciscreen.example/fhir/sid/screening");
        assertThat(CanonicalUrls.DIALYSIS_STATUS_SYSTEM).isEqualTo("http://calciscreen.example/fhir/CodeSystem/dialysis-status");
        assertThat(CanonicalUrls.FLAG_PRIORITY_EXTENSION).isEqualTo("http://hl7.org/fhir/StructureDefinition/flag-priority");
        assertThat(CanonicalUrls.FLAG_DETAIL_EXTENSION).isEqualTo("http://hl7.org/fhir/StructureDefinition/flag-detail");
        assertThat(CanonicalUrls.FLAG_PRIORITY_SYSTEM).isEqualTo("http://terminology.hl7.org/CodeSystem/flag-priority-code");
        assertThat(CanonicalUrls.RISK_PROBABILITY_SYSTEM).isEqualTo("http://terminology.hl7.org/CodeSystem/risk-probability");
    }

    @Test
    void identifierValueIsCodeSlashPatientId() {
        assertThat(CanonicalUrls.screeningIdentifierValue("123")).isEqualTo("calciphylaxis-risk/123");
        assertThatThrownBy(() -> CanonicalUrls.screeningIdentifierValue(" ")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void urlsUnderAnotherBase() {
        assertThat(CanonicalUrls.under("https://h/fhir/", "/sid/screening")).isEqualTo("https://h/fhir/sid/screening");
        assertThat(CanonicalUrls.under("https://h/fhir", "sid/screening")).isEqualTo("https://h/fhir/sid/screening");
    }
}
