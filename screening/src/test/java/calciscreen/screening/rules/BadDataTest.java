package calciscreen.screening.rules;

import static calciscreen.screening.rules.Fhir.NOW;
import static calciscreen.screening.rules.Fhir.assess;
import static calciscreen.screening.rules.Fhir.daysAgo;
import static calciscreen.screening.rules.Fhir.lab;
import static calciscreen.screening.rules.Fhir.noteTexts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import calciscreen.model.terminology.Loinc;
import calciscreen.model.terminology.Snomed;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Timing;
import org.junit.jupiter.api.Test;

/** Preparing a context never throws on bad data: it decides, and notes what it skipped. */
class BadDataTest {

    @Test
    void anObservationWithoutSubjectIsTakenToBeAboutThePatient() {
        Observation o = lab("o", Loinc.PTH_INTACT_MASS, "900", "pg/mL", daysAgo(1)).setSubject(null);
        assertThat(assess(o).result(RuleId.R5).fired()).isTrue();
    }

    @Test
    void aResourceAboutAnotherPatientIsSkippedAndNoted() {
        Observation o = lab("o", Loinc.PTH_INTACT_MASS, "900", "pg/mL", daysAgo(1)).setSubject(new Reference("Patient/p2"));
        Assessment a = assess(o);
        assertThat(a.result(RuleId.R5).fired()).isFalse();
        assertThat(noteTexts(a)).anySatisfy(n -> assertThat(n).contains("Patient/p2"));
    }

    @Test
    void aStringValueIsNotANumber() {
        Observation o = Fhir.observation("s", Loinc.CALCIUM_SERUM_MASS, daysAgo(1)).setValue(new StringType("12"));
        Assessment a = assess(o);
        assertThat(a.result(RuleId.R2).indeterminate()).isTrue();
        assertThat(noteTexts(a)).containsExactly("Observation/s: corrected calcium not counted: value is a string, not a Quantity");
    }

    @Test
    void anIntegerValueIsNotAQuantity() {
        Observation o = Fhir.observation("i", Loinc.BMI, daysAgo(1)).setValue(new IntegerType(35));
        assertThat(assess(o).result(RuleId.R10).indeterminate()).isTrue();
    }

    @Test
    void absurdButNumericValuesCountAsMeasured() {
        Assessment a = assess(lab("huge", Loinc.CALCIUM_SERUM_MASS, "1e9", "mg/dL", daysAgo(1)),
                lab("neg", Loinc.PHOSPHATE_MASS, "-3", "mg/dL", daysAgo(1)));
        assertThat(a.result(RuleId.R2).fired()).isTrue();
        assertThat(a.result(RuleId.R2).measurement()).hasValueSatisfying(m -> assertThat(m.value()).isEqualTo(1e9));
        assertThat(a.result(RuleId.R3).fired()).isFalse();
        assertThat(a.result(RuleId.R4).fired()).isFalse();
    }

    @Test
    void aValueBeyondDoubleRangeIsNotCounted() {
        Assessment a = assess(lab("inf", Loinc.CALCIUM_SERUM_MASS, "1e400", "mg/dL", daysAgo(1)));
        assertThat(a.result(RuleId.R2).indeterminate()).isTrue();
    }

    @Test
    void aConditionWithoutCodeIsIgnoredWithANote() {
        Condition c = Fhir.condition("nocode", new CodeableConcept());
        Assessment a = assess(c);
        assertThat(a.score()).isZero();
        assertThat(noteTexts(a)).containsExactly("Condition/nocode: Condition has no code: ignored");
    }

    @Test
    void anObservationWithATimingOnlyHasNoTime() {
        Observation o = lab("t", Loinc.PTH_INTACT_MASS, "900", "pg/mL", null).setEffective(new Timing());
        assertThat(assess(o).result(RuleId.R5).fired()).isFalse();
    }

    @Test
    void nullsAndUnreadTypesAreIgnored() {
        List<Resource> rs = new ArrayList<>(Arrays.asList(null, new Encounter(), new Observation(), new Condition(),
                new MedicationRequest(), new org.hl7.fhir.r4.model.Procedure(), new org.hl7.fhir.r4.model.Medication()));
        assertThatCode(() -> RuleSet.v1().evaluate(PatientContext.from(Fhir.patient(), rs), NOW)).doesNotThrowAnyException();
        assertThatCode(() -> RuleSet.v1().evaluate(PatientContext.from(null, null), NOW)).doesNotThrowAnyException();
    }

    @Test
    void resourcesWithoutIdsGetDistinctPlaceholders() {
        Observation a = lab(null, Loinc.PTH_INTACT_MASS, "900", "pg/mL", daysAgo(1));
        Observation b = lab(null, Loinc.PHOSPHATE_MASS, "9", "mg/dL", daysAgo(1));
        Assessment result = assess(a, b);
        assertThat(result.result(RuleId.R5).sources()).containsExactly("Observation/(no id 1)");
        assertThat(result.result(RuleId.R3).sources()).containsExactly("Observation/(no id 2)");
    }

    @Test
    void aMedicationReferenceToAnotherTypeIsUnresolved() {
        MedicationRequest mr = Fhir.request("mr", null);
        mr.setMedication(new Reference("Substance/warf"));
        Assessment a = assess(mr, Fhir.medication("warf", Fhir.text("warfarin")));
        assertThat(a.result(RuleId.R7).fired()).isFalse();
        assertThat(noteTexts(a)).anySatisfy(n -> assertThat(n).contains("could not be resolved"));
    }

    @Test
    void aDialysisStatusWithAStringValueIsNoted() {
        Observation o = Fhir.observation("s", Snomed.DEPENDENCE_ON_RENAL_DIALYSIS, daysAgo(1)).setValue(new StringType("yes"));
        Assessment a = assess(o);
        assertThat(a.result(RuleId.R1).fired()).isFalse();
        assertThat(noteTexts(a)).anySatisfy(n -> assertThat(n).startsWith("Observation/s"));
    }

    @Test
    void aQuantityWithAUcumSystemButNoCodeFallsBackToTheUnit() {
        Observation o = Fhir.observation("q", Loinc.PTH_INTACT_MASS, daysAgo(1))
                .setValue(new Quantity().setValue(900).setSystem(Fhir.UCUM).setUnit("pg/mL"));
        assertThat(assess(o).result(RuleId.R5).fired()).isTrue();
    }

    @Test
    void evaluationIsRepeatableAndDoesNotChangeTheContext() {
        PatientContext ctx = Fhir.context(Fhir.female(), lab("o", Loinc.PTH_INTACT_MASS, "900", "pg/mL", daysAgo(1)),
                lab("f", Loinc.PTH_INTACT_MASS, "100", "pg/mL", NOW.plusSeconds(10)));
        Assessment first = RuleSet.v1().evaluate(ctx, NOW);
        Assessment second = RuleSet.v1().evaluate(ctx, NOW);
        assertThat(second).isEqualTo(first);
        assertThat(ctx.dataNotes()).isEmpty();
        assertThat(first.notes()).hasSize(1);
    }
}
