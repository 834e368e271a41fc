package calciscreen.screening.rules;

import static calciscreen.screening.rules.Fhir.NOW;
import static calciscreen.screening.rules.Fhir.condition;
import static calciscreen.screening.rules.Fhir.context;
import static calciscreen.screening.rules.Fhir.dateTime;
import static calciscreen.screening.rules.Fhir.daysAgo;
import static calciscreen.screening.rules.Fhir.lab;
import static calciscreen.screening.rules.Fhir.medication;
import static calciscreen.screening.rules.Fhir.patient;
import static calciscreen.screening.rules.Fhir.procedure;
import static calciscreen.screening.rules.Fhir.request;
import static calciscreen.screening.rules.Fhir.rxnorm;
import static calciscreen.screening.rules.Fhir.withClinicalStatus;
import static org.assertj.core.api.Assertions.assertThat;

import calciscreen.model.terminology.Concept;
import calciscreen.model.terminology.Loinc;
import calciscreen.model.terminology.Snomed;
import java.util.Optional;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;

/** What a PatientContext works out once for the rules: per value set, per lab, and the latest dated fact. */
class PatientContextIndexTest {

    @Test
    void conditionsAreIndexedByValueSetInTheOrderGivenWithTheirSourcesOnce() {
        PatientContext c = context(patient(),
                condition("dm1", Snomed.DIABETES_MELLITUS_TYPE_1),
                condition("esrd", Snomed.END_STAGE_RENAL_DISEASE),
                condition("dm2", Snomed.DIABETES_MELLITUS_TYPE_2),
                condition("dm1", Snomed.DIABETES_MELLITUS_TYPE_1),
                withClinicalStatus(condition("calci", Snomed.CALCIPHYLAXIS), "resolved"));

        PatientContext.ConditionsOf diabetes = c.conditionsOf(Concept.DIABETES);
        assertThat(diabetes.facts().stream().map(ConditionFact::source))
                .containsExactly("Condition/dm1", "Condition/dm2", "Condition/dm1");
        assertThat(diabetes.sources()).containsExactly("Condition/dm1", "Condition/dm2");
        assertThat(diabetes.allCurrent()).isTrue();
        assertThat(c.conditionsOf(Concept.CALCIPHYLAXIS).allCurrent()).isFalse();
        assertThat(c.conditionsOf(Concept.CALCIPHYLAXIS).sources()).containsExactly("Condition/calci");
        assertThat(c.conditionsOf(Concept.OBESITY).facts()).isEmpty();
        assertThat(c.conditionsOf(Concept.OBESITY).sources()).isEmpty();
        assertThat(c.factSourcesDistinct()).isFalse();
    }

    @Test
    void theCurrentConditionsOfAValueSetAreThoseCurrentAtTheTimeEachOnce() {
        PatientContext c = context(patient(),
                condition("dm1", Snomed.DIABETES_MELLITUS_TYPE_1),
                withClinicalStatus(condition("dm2", Snomed.DIABETES_MELLITUS_TYPE_2), null)
                        .setAbatement(dateTime(daysAgo(10))),
                withClinicalStatus(condition("dm3", Snomed.DIABETES_MELLITUS_TYPE_2), "resolved"),
                condition("dm1", Snomed.DIABETES_MELLITUS_TYPE_1));

        PatientContext.ConditionsOf diabetes = c.conditionsOf(Concept.DIABETES);
        assertThat(diabetes.allCurrent()).isFalse();
        assertThat(diabetes.current(NOW)).containsExactly("Condition/dm1");
        assertThat(diabetes.current(daysAgo(11))).containsExactly("Condition/dm1", "Condition/dm2");
        assertThat(c.conditionsOf(Concept.OBESITY).current(NOW)).isEmpty();
    }

    @Test
    void medicationsAreIndexedByValueSetWithRequestThenMedicationOnce() {
        var warfarin = rxnorm("855332", "warfarin sodium 5 MG Oral Tablet");
        var byReference = request("r2", null);
        byReference.setMedication(new Reference("Medication/m1"));
        PatientContext c = context(patient(), request("r1", warfarin), medication("m1", warfarin), byReference,
                request("r3", rxnorm("855332", "warfarin sodium 5 MG Oral Tablet")));

        assertThat(c.medicationsOf(Concept.WARFARIN).facts()).hasSize(3);
        assertThat(c.medicationsOf(Concept.WARFARIN).sources())
                .containsExactly("MedicationRequest/r1", "MedicationRequest/r2", "Medication/m1", "MedicationRequest/r3");
        assertThat(c.medicationsOf(Concept.IRON_DEXTRAN).sources()).isEmpty();
    }

    @Test
    void eachCountingLabCarriesItsMeasurementAndSource() {
        PatientContext c = context(patient(), lab("old", Loinc.PTH_INTACT_MASS, "700", "pg/mL", daysAgo(20)),
                lab("new", Loinc.PTH_INTACT_MOLES, "62.1", "pmol/L", daysAgo(2)));

        LabValue latest = c.labs(Lab.PTH).get(0);
        assertThat(latest.source()).isEqualTo("Observation/new");
        assertThat(latest.measurement())
                .isEqualTo(new Measurement("intact PTH", 62.1, "pmol/L", Optional.of(daysAgo(2))));
        assertThat(c.labs(Lab.PTH)).extracting(LabValue::source).containsExactly("Observation/new", "Observation/old");
    }

    @Test
    void knowsWhetherAnyDatedFactIsAfterATime() {
        PatientContext c = context(patient(), lab("ca", Loinc.CALCIUM_SERUM_MASS, "9", "mg/dL", daysAgo(10)),
                procedure("hd", Snomed.HEMODIALYSIS, Procedure.ProcedureStatus.COMPLETED, daysAgo(3)));

        assertThat(c.hasFactsAfter(NOW)).isFalse();
        assertThat(c.hasFactsAfter(daysAgo(3))).isFalse();
        assertThat(c.hasFactsAfter(daysAgo(4))).isTrue();
        assertThat(context(patient()).hasFactsAfter(NOW)).isFalse();
        assertThat(c.patientReference()).isEqualTo("Patient/p1");
        assertThat(context(null).patientReference()).isEqualTo("Patient");
    }
}
