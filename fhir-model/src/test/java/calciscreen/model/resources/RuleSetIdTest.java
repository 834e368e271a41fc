package calciscreen.model.resources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import calciscreen.model.CanonicalUrls;
import org.hl7.fhir.r4.model.Coding;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RuleSetIdTest {

    @Test
    void splitsTheCanonicalIntoSystemCodeAndVersion() {
        RuleSetId id = RuleSetId.parse("http://calciscreen.example/fhir/rules/calciphylaxis|1.0.0");
        assertThat(id.url()).isEqualTo(CanonicalUrls.RULES_CALCIPHYLAXIS);
        assertThat(id.version()).isEqualTo("1.0.0");
        assertThat(id.system()).isEqualTo(CanonicalUrls.RULES_SYSTEM);
        assertThat(id.name()).isEqualTo("calciphylaxis");
        assertThat(id.canonical()).isEqualTo(CanonicalUrls.rulesCanonical("1.0.0"));
        Coding coding = id.toCoding();
        assertThat(coding.getSystem() + "/" + coding.getCode() + "|" + coding.getVersion()).isEqualTo(id.canonical());
        assertThat(RuleSetId.of(coding)).contains(id);
    }

    @Test
    void worksUnderAnotherBase() {
        RuleSetId id = RuleSetId.parse(CanonicalUrls.under("https://h.example/fhir", "/rules/calciphylaxis") + "|2.0.0");
        assertThat(id.system()).isEqualTo("https://h.example/fhir/rules");
        assertThat(RuleSetId.of(id.toCoding())).contains(id);
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://calciscreen.example/fhir/rules/calciphylaxis", "calciphylaxis|1.0.0",
            "http://calciscreen.example/fhir/rules/calciphylaxis|", "|1.0.0", "http://x/rules/|1.0.0", " "})
    void refusesWhatIsNotUrlBarVersion(String canonical) {
        assertThatThrownBy(() -> RuleSetId.parse(canonical)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aCodingWithoutVersionIsNoRuleSet() {
        assertThat(RuleSetId.of(new Coding(CanonicalUrls.RULES_SYSTEM, "calciphylaxis", null))).isEmpty();
        assertThat(RuleSetId.of(null)).isEmpty();
    }
}
