package calciscreen.e2e;

import static calciscreen.e2e.ClinicalData.LOINC;
import static calciscreen.e2e.ClinicalData.SNOMED;
import static calciscreen.e2e.ClinicalData.daysAgo;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.Flag;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.RiskAssessment;
import org.junit.jupiter.api.Test;

/**
 * Rule set v1 end to end: data posted as a client would (transaction Bundles), the Flag and RiskAssessment read
 * back by FHIR search only. Each expected score is worked out from docs/screening-rules.md in the comment.
 */
class ScreeningEndToEndIT extends EndToEndTest {

    static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void highRiskPatientGetsAnActiveHighPriorityFlagWithItsEvidence() {
        // R1 ESRD 3 + R2 calcium 10.8 > 10.2: 2 + R3 phosphate 6.2 > 5.5: 2 + R4 10.8 x 6.2 = 66.96 >= 55: 1
        // + R5 PTH 700 > 585: 2 + R7 warfarin 2 + R8 female 1 = 13 -> high (PH)
        String patient = post(ClinicalData.newPatient(AdministrativeGender.FEMALE)
                .condition(SNOMED, "46177005", "End-stage renal disease")
                .lab("2731-8", 700, "pg/mL", daysAgo(3))
                .lab("17861-6", 10.8, "mg/dL", daysAgo(3))
                .lab("2777-1", 6.2, "mg/dL", daysAgo(3))
                .warfarin());

        Flag flag = flags.await(patient, Flags::active, WAIT);

        assertThat(Flags.priority(flag)).contains("PH");
        assertThat(flag.getSubject().getReference()).isEqualTo("Patient/" + patient);
        assertThat(flag.getCode().getCodingFirstRep().getCode()).isEqualTo("calciphylaxis-risk");
        assertThat(flag.getPeriod().hasStart()).isTrue();
        assertThat(flag.getAuthor().getReference()).startsWith("Device/");
        List<String> evidence = Flags.evidence(flag);
        assertThat(evidence).filteredOn(r -> r.startsWith("Observation/")).hasSize(3);
        assertThat(evidence).filteredOn(r -> r.startsWith("Condition/")).hasSize(1);
        assertThat(evidence).filteredOn(r -> r.startsWith("MedicationRequest/")).hasSize(1);
        assertThat(evidence).filteredOn(r -> r.startsWith("RiskAssessment/")).hasSize(1);

        RiskAssessment assessment = flags.assessmentOf(patient).orElseThrow();
        assertThat(Flags.score(assessment)).isEqualTo(13);
        assertThat(Flags.qualitativeRisk(assessment)).isEqualTo("high");
        assertThat(assessment.getBasis()).hasSize(5);
    }

    @Test
    void moderateRiskPatientGetsAMediumPriorityFlag() {
        // R1 ESRD 3 + R9 diabetes 1 + R6 albumin 2.8 < 3.0: 1 = 5 -> moderate (PM); male: no R8
        String patient = post(ClinicalData.newPatient(AdministrativeGender.MALE)
                .condition(SNOMED, "46177005", "End-stage renal disease")
                .condition(SNOMED, "44054006", "Diabetes mellitus type 2")
                .lab("1751-7", 2.8, "g/dL", daysAgo(5)));

        Flag flag = flags.await(patient, Flags::active, WAIT);

        assertThat(Flags.priority(flag)).contains("PM");
        assertThat(Flags.score(flags.assessmentOf(patient).orElseThrow())).isEqualTo(5);
    }

    @Test
    void labsInMolarUnitsAreConvertedAndScored() {
        // R8 female 1 + R2 calcium 2.70 mmol/L > 2.55: 2 + R3 phosphate 1.90 mmol/L > 1.78: 2
        // + R4 (2.70 x 4.008 = 10.82 mg/dL) x (1.90 x 3.097 = 5.88 mg/dL) = 63.7 >= 55: 1 = 6 -> moderate
        String patient = post(ClinicalData.newPatient(AdministrativeGender.FEMALE)
                .lab("2000-8", 2.70, "mmol/L", daysAgo(2))
                .lab("14879-1", 1.90, "mmol/L", daysAgo(2)));

        Flag flag = flags.await(patient, Flags::active, WAIT);

        assertThat(Flags.priority(flag)).contains("PM");
        assertThat(Flags.score(flags.assessmentOf(patient).orElseThrow())).isEqualTo(6);
    }

    @Test
    void aResultWithOnlyIssuedCountsAndAnOldResultStoredTodayDoesNot() {
        // R1 ESRD 3 + R5 PTH 700 (no effective time, issued 3 days ago) 2 + R8 female 1 = 6 -> moderate;
        // calcium 10.8 taken 200 days ago (outside the 90-day lookback) but stored now would add R2 2 = 8 -> high
        String patient = post(ClinicalData.newPatient(AdministrativeGender.FEMALE)
                .condition(SNOMED, "46177005", "End-stage renal disease")
                .labIssuedOnly("2731-8", 700, "pg/mL", daysAgo(3))
                .lab("17861-6", 10.8, "mg/dL", daysAgo(200)));

        Flag flag = flags.await(patient, Flags::active, WAIT);

        assertThat(Flags.priority(flag)).contains("PM");
        RiskAssessment assessment = flags.assessmentOf(patient).orElseThrow();
        assertThat(Flags.score(assessment)).isEqualTo(6);
        assertThat(Flags.evidence(flag)).filteredOn(r -> r.startsWith("Observation/")).hasSize(1);
    }

    @Test
    void resultsThatMoveOnlyTheEvidenceArriveOneByOneAndMakeOneNewFlagVersion() {
        // R1 ESRD 3 + R5 PTH 700 2 + R8 female 1 = 6 -> moderate
        String patient = post(ClinicalData.newPatient(AdministrativeGender.FEMALE)
                .condition(SNOMED, "46177005", "End-stage renal disease")
                .lab("2731-8", 700, "pg/mL", daysAgo(3)));
        Flag before = flags.await(patient, Flags::active, WAIT);
        long version = Long.parseLong(before.getMeta().getVersionId());

        // two newer PTH results posted one after the other, both above 585: score and tier stay, the evidence moves
        // to the newer; within the evidence-update delay (1 s) they make one new version, not one each
        post(ClinicalData.forPatient(patient).lab("2731-8", 800, "pg/mL", daysAgo(2)));
        String newest = new IdType(postTransaction(ClinicalData.forPatient(patient).lab("2731-8", 900, "pg/mL", daysAgo(1)))
                .getEntryFirstRep().getResponse().getLocation()).toUnqualifiedVersionless().getValue();

        Flag after = flags.await(patient, f -> Flags.evidence(f).contains(newest), WAIT);
        assertThat(Long.parseLong(after.getMeta().getVersionId())).isEqualTo(version + 1);
        assertThat(Flags.priority(after)).contains("PM");
        assertThat(Flags.evidence(after)).filteredOn(r -> r.startsWith("Observation/")).containsExactly(newest);
        assertThat(Flags.score(flags.assessmentOf(patient).orElseThrow())).isEqualTo(6);
    }

    @Test
    void patientsBelowModerateGetNoFlag() throws Exception {
        // low: R8 female 1 + R9 diabetes 1 = 2; PTH 500 does not exceed 585
        String low = post(ClinicalData.newPatient(AdministrativeGender.FEMALE)
                .condition(SNOMED, "44054006", "Diabetes mellitus type 2")
                .lab("2731-8", 500, "pg/mL", daysAgo(1)));
        // boundaries: R1 ESRD 3; PTH exactly 585 and calcium exactly 10.2 do not fire: 3
        String boundary = post(ClinicalData.newPatient(AdministrativeGender.MALE)
                .condition(SNOMED, "46177005", "End-stage renal disease")
                .lab("2731-8", 585, "pg/mL", daysAgo(1))
                .lab("17861-6", 10.2, "mg/dL", daysAgo(1)));
        // a flagged patient posted after them is screened, so theirs had their turn too
        String witness = post(ClinicalData.newPatient(AdministrativeGender.FEMALE)
                .condition(SNOMED, "46177005", "End-stage renal disease")
                .lab("2731-8", 700, "pg/mL", daysAgo(1)));
        flags.await(witness, Flags::active, WAIT);
        Thread.sleep(2_000);

        assertThat(flags.of(low)).isEmpty();
        assertThat(flags.of(boundary)).isEmpty();
    }

    @Test
    void flagMovesFromModerateToHighThenInactiveAsNewerLabsArrive() {
        // R8 female 1 + R5 PTH 700: 2 + R2 calcium 10.8: 2 = 5 -> moderate
        String patient = post(ClinicalData.newPatient(AdministrativeGender.FEMALE)
                .lab("2731-8", 700, "pg/mL", daysAgo(10))
                .lab("17861-6", 10.8, "mg/dL", daysAgo(10)));
        Flag moderate = flags.await(patient, f -> Flags.active(f) && Flags.priority(f).equals(java.util.Optional.of("PM")), WAIT);

        // + R3 phosphate 6.2: 2 + R4 10.8 x 6.2 = 66.96: 1 = 8 -> high, the same Flag, raised at the same time
        post(ClinicalData.forPatient(patient).lab("2777-1", 6.2, "mg/dL", daysAgo(5)));
        Flag high = flags.await(patient, f -> Flags.priority(f).equals(java.util.Optional.of("PH")), WAIT);
        assertThat(high.getIdElement().getIdPart()).isEqualTo(moderate.getIdElement().getIdPart());
        assertThat(high.getPeriod().getStart()).isEqualTo(moderate.getPeriod().getStart());
        flags.awaitAssessment(patient, r -> Flags.score(r) == 8, WAIT); // fails if the score never settles there

        // newer labs, all normal: only R8 female 1 -> inactive, with period.end, never deleted
        post(ClinicalData.forPatient(patient)
                .lab("2731-8", 300, "pg/mL", daysAgo(1))
                .lab("17861-6", 9.0, "mg/dL", daysAgo(1))
                .lab("2777-1", 4.0, "mg/dL", daysAgo(1)));
        Flag inactive = flags.await(patient, f -> f.getStatus() == Flag.FlagStatus.INACTIVE, WAIT);
        assertThat(inactive.getIdElement().getIdPart()).isEqualTo(moderate.getIdElement().getIdPart());
        assertThat(inactive.getPeriod().hasEnd()).isTrue();
        assertThat(Flags.priority(inactive)).isEmpty();
        flags.awaitAssessment(patient, r -> Flags.score(r) == 1, WAIT); // fails if the score never settles there
    }
}
