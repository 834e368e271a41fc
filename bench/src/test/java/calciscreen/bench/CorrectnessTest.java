package calciscreen.bench;

import static org.assertj.core.api.Assertions.assertThat;

import calciscreen.model.CanonicalUrls;
import calciscreen.screening.rules.Assessment;
import calciscreen.screening.rules.PatientContext;
import calciscreen.screening.rules.RuleSet;
import java.time.Instant;
import java.util.List;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Flag;
import org.junit.jupiter.api.Test;

class CorrectnessTest {

    @Test
    void thePreparedPatientIsHighRiskSoItsFlagMustSayPH() {
        Instant at = RuleEngineBenchmark.AT;
        Assessment assessment = RuleSet.v1().evaluate(
                PatientContext.from(PreparedPatient.patient(), PreparedPatient.resources(at)), at);
        assertThat(Correctness.expected(assessment)).isEqualTo("PH");
    }

    @Test
    void aPatientWithNoDataNeedsNoActiveFlag() {
        Instant at = RuleEngineBenchmark.AT;
        Assessment assessment = RuleSet.v1().evaluate(PatientContext.from(PreparedPatient.patient(), List.of()), at);
        assertThat(Correctness.expected(assessment)).isEqualTo("none");
    }

    @Test
    void aFlagSaysItsPriorityWhileActiveAndNothingOnceInactive() {
        Flag flag = new Flag();
        flag.setStatus(Flag.FlagStatus.ACTIVE);
        flag.addExtension(CanonicalUrls.FLAG_PRIORITY_EXTENSION, new CodeableConcept(
                new Coding(CanonicalUrls.FLAG_PRIORITY_SYSTEM, CanonicalUrls.FLAG_PRIORITY_MEDIUM, "medium")));
        assertThat(Correctness.found(flag)).isEqualTo("PM");
        flag.setStatus(Flag.FlagStatus.INACTIVE);
        assertThat(Correctness.found(flag)).isEqualTo("none");
    }
}
