package calciscreen.model.resources;

import static org.assertj.core.api.Assertions.assertThat;

import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class RiskTierTest {

    @Test
    void onlyModerateAndHighFlag() {
        assertThat(RiskTier.LOW.flags()).isFalse();
        assertThat(RiskTier.LOW.flagPriority()).isEmpty();
        assertThat(RiskTier.MODERATE.flagPriority().orElseThrow().code()).isEqualTo("PM");
        assertThat(RiskTier.HIGH.flagPriority().orElseThrow().code()).isEqualTo("PH");
    }

    @ParameterizedTest
    @EnumSource(RiskTier.class)
    void readsBackFromItsOwnCodings(RiskTier tier) {
        assertThat(RiskTier.ofRiskProbability(new CodeableConcept(tier.riskProbability().toCoding()))).contains(tier);
        tier.flagPriority().ifPresent(p ->
                assertThat(RiskTier.ofFlagPriority(new CodeableConcept(p.toCoding()))).contains(tier));
    }

    @Test
    void foreignCodesAreNoTier() {
        assertThat(RiskTier.ofRiskProbability(new CodeableConcept(new Coding("http://x", "high", null)))).isEmpty();
        assertThat(RiskTier.ofFlagPriority(new CodeableConcept(new Coding(RiskTier.HIGH.flagPriority().orElseThrow()
                .system(), "PL", null)))).isEmpty();
        assertThat(RiskTier.ofRiskProbability(null)).isEmpty();
    }
}
