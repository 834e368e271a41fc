package calciscreen.screening.intake;

import static org.assertj.core.api.Assertions.assertThat;

import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Procedure;
import org.junit.jupiter.api.Test;

/** What reconciliation may pass over: a first version the Subscriptions would not match. */
class SubscriptionCriteriaTest {

    @Test
    void aRuleLabAndADialysisSessionMatchAHeartRateAndAnAppendectomyDoNot() {
        Observation pth = new Observation();
        pth.getCode().addCoding().setSystem("http://loinc.org").setCode("2731-8");
        Observation heartRate = new Observation();
        heartRate.getCode().addCoding().setSystem("http://loinc.org").setCode("8867-4");
        Procedure dialysis = new Procedure();
        dialysis.getCode().addCoding().setSystem("http://snomed.info/sct").setCode("265764009");
        Procedure appendectomy = new Procedure();
        appendectomy.getCode().addCoding().setSystem("http://snomed.info/sct").setCode("80146002");

        assertThat(SubscriptionRegistrar.matchesCriteria(pth)).isTrue();
        assertThat(SubscriptionRegistrar.matchesCriteria(heartRate)).isFalse();
        assertThat(SubscriptionRegistrar.matchesCriteria(dialysis)).isTrue();
        assertThat(SubscriptionRegistrar.matchesCriteria(appendectomy)).isFalse();
    }

    @Test
    void typesWatchedWholeAlwaysMatch() {
        assertThat(SubscriptionRegistrar.matchesCriteria(new Condition())).isTrue();
    }
}
