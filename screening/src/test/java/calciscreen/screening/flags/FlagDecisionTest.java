package calciscreen.screening.flags;

import static org.assertj.core.api.Assertions.assertThat;

import calciscreen.model.resources.FlagBuilder;
import calciscreen.model.resources.RiskAssessmentBuilder;
import calciscreen.model.terminology.RxNorm;
import calciscreen.model.terminology.Snomed;
import calciscreen.screening.flags.FlagDecision.Kind;
import calciscreen.screening.rules.Assessment;
import calciscreen.screening.rules.PatientContext;
import calciscreen.screening.rules.RuleSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.Flag;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.RiskAssessment;
import org.junit.jupiter.api.Test;

/** What FlagWriter must write, decided without a server: unchanged, deferred, not flagged, or write what. */
class FlagDecisionTest {

    private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");

    /** Female (1) + ESKD (3) = 4, low; + warfarin (2) = 6, moderate; + diabetes (1) = 7, moderate; + calciphylaxis (3) = 10, high. */
    private static Assessment assess(boolean warfarin, boolean diabetes, boolean calciphylaxis) {
        Patient patient = new Patient();
        patient.setId("p1");
        patient.setGender(AdministrativeGender.FEMALE);
        List<Resource> resources = new ArrayList<>();
        resources.add(condition("esrd", Snomed.END_STAGE_RENAL_DISEASE.toCoding()));
        if (warfarin) {
            MedicationRequest m = new MedicationRequest();
            m.setId("w");
            m.setStatus(MedicationRequest.MedicationRequestStatus.ACTIVE);
            m.setMedication(new CodeableConcept(RxNorm.WARFARIN.toCoding()));
            m.setSubject(new Reference("Patient/p1"));
            resources.add(m);
        }
        if (diabetes) {
            resources.add(condition("dm", Snomed.DIABETES_MELLITUS_TYPE_2.toCoding()));
        }
        if (calciphylaxis) {
            resources.add(condition("calci", Snomed.CALCIPHYLAXIS.toCoding()));
        }
        return RuleSet.v1().evaluate(PatientContext.from(patient, resources), NOW);
    }

    private static Condition condition(String id, org.hl7.fhir.r4.model.Coding code) {
        Condition c = new Condition();
        c.setId(id);
        c.setCode(new CodeableConcept(code));
        c.setSubject(new Reference("Patient/p1"));
        return c;
    }

    /** The RiskAssessment and Flag FlagWriter would have written for this assessment. */
    private static RiskAssessment writtenAssessment(Assessment a) {
        return RiskAssessmentBuilder.forPatient("p1").occurrence(a.evaluatedAt()).ruleSet(a.rulesCanonical())
                .tier(a.tier()).score(a.score()).basis(a.evidenceResourceIds())
                .notes(FlagWriter.noteLines(a)).performer("Device/d").build();
    }

    private static Flag writtenFlag(Assessment a) {
        Instant start = FlagDecision.periodStart(a, Optional.empty());
        return FlagBuilder.forPatient("p1").tier(a.flagActive() ? a.tier() : null).periodStart(start)
                .periodEnd(FlagDecision.periodEnd(a, Optional.empty(), start)).riskAssessment("RiskAssessment/ra")
                .evidence(a.evidenceResourceIds()).author("Device/d").ruleSet(a.rulesCanonical()).build();
    }

    @Test
    void aLowRiskPatientWithoutAFlagIsNotFlagged() {
        Assessment low = assess(false, false, false);
        assertThat(FlagDecision.decide(low, Optional.empty(), Optional.empty(), false).kind())
                .isEqualTo(Kind.NOT_FLAGGED);
    }

    @Test
    void aNewModerateRiskWritesBoth() {
        Assessment moderate = assess(true, false, false);
        assertThat(FlagDecision.decide(moderate, Optional.empty(), Optional.empty(), true))
                .isEqualTo(new FlagDecision(Kind.WRITE, true, true));
    }

    @Test
    void whatIsWrittenAlreadyIsUnchanged() {
        Assessment moderate = assess(true, false, false);
        assertThat(FlagDecision.decide(moderate, Optional.of(writtenAssessment(moderate)),
                Optional.of(writtenFlag(moderate)), false).kind()).isEqualTo(Kind.UNCHANGED);
    }

    @Test
    void aNewScoreWithinTheTierIsDeferredWhenAllowedAndWrittenOtherwise() {
        Assessment six = assess(true, false, false);
        Assessment seven = assess(true, true, false);
        Optional<RiskAssessment> ra = Optional.of(writtenAssessment(six));
        Optional<Flag> flag = Optional.of(writtenFlag(six));
        assertThat(FlagDecision.decide(seven, ra, flag, true).kind()).isEqualTo(Kind.DEFERRED);
        assertThat(FlagDecision.decide(seven, ra, flag, false)).isEqualTo(new FlagDecision(Kind.WRITE, true, true));
    }

    @Test
    void aChangeOfTierIsWrittenAtOnceEvenWhenDeferringIsAllowed() {
        Assessment moderate = assess(true, false, false);
        Assessment high = assess(true, true, true);
        assertThat(FlagDecision.decide(high, Optional.of(writtenAssessment(moderate)),
                Optional.of(writtenFlag(moderate)), true)).isEqualTo(new FlagDecision(Kind.WRITE, true, true));
    }

    @Test
    void aFlagWhoseRiskFallsIsLoweredAndItsPeriodEnds() {
        Assessment moderate = assess(true, false, false);
        Assessment low = assess(false, false, false);
        Flag flag = writtenFlag(moderate);
        assertThat(FlagDecision.decide(low, Optional.of(writtenAssessment(moderate)), Optional.of(flag), true))
                .isEqualTo(new FlagDecision(Kind.WRITE, true, true));
        Instant start = FlagDecision.periodStart(low, Optional.of(flag));
        assertThat(start).isEqualTo(NOW);
        assertThat(FlagDecision.periodEnd(low, Optional.of(flag), start)).contains(NOW);
        assertThat(FlagDecision.periodEnd(moderate, Optional.of(flag), start)).isEmpty();
    }

    @Test
    void anInactiveFlagKeepsTheEndItGotAndNeverEndsBeforeItStarts() {
        Assessment low = assess(false, false, false);
        Flag lowered = writtenFlag(low);
        lowered.setStatus(Flag.FlagStatus.INACTIVE);
        lowered.getPeriod().setStart(java.util.Date.from(NOW.minus(Duration.ofDays(10))));
        lowered.getPeriod().setEnd(java.util.Date.from(NOW.minus(Duration.ofDays(3))));
        Instant start = FlagDecision.periodStart(low, Optional.of(lowered));
        assertThat(start).isEqualTo(NOW.minus(Duration.ofDays(10)));
        assertThat(FlagDecision.periodEnd(low, Optional.of(lowered), start)).contains(NOW.minus(Duration.ofDays(3)));
        assertThat(FlagDecision.periodEnd(low, Optional.of(lowered), NOW)).contains(NOW);
    }
}
