package calciscreen.screening.rules;

import static calciscreen.screening.rules.Fhir.NOW;
import static calciscreen.screening.rules.Fhir.VERIFICATION;
import static calciscreen.screening.rules.Fhir.assess;
import static calciscreen.screening.rules.Fhir.concept;
import static calciscreen.screening.rules.Fhir.condition;
import static calciscreen.screening.rules.Fhir.dateTime;
import static calciscreen.screening.rules.Fhir.daysAgo;
import static calciscreen.screening.rules.Fhir.noteTexts;
import static calciscreen.screening.rules.Fhir.withClinicalStatus;
import static org.assertj.core.api.Assertions.assertThat;

import calciscreen.model.terminology.CodeSystems;
import calciscreen.model.terminology.DialysisStatus;
import calciscreen.model.terminology.Snomed;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.StringType;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConditionAndDialysisRulesTest {

    private static Condition coded(String system, String code) {
        return condition("c1", concept(system, code, null));
    }

    @Nested
    class WhichCodesFireWhichRule {

        @ParameterizedTest(name = "{0}|{1} -> {2} fires: {3}")
        @CsvSource({
                "http://snomed.info/sct, 46177005, R1, true",
                "http://snomed.info/sct, 433146000, R1, true",
                "http://snomed.info/sct, 714152005, R1, true",
                "http://snomed.info/sct, 105502003, R1, true",
                "http://snomed.info/sct, 236435004, R1, true",
                "http://hl7.org/fhir/sid/icd-10-cm, N18.5, R1, true",
                "http://hl7.org/fhir/sid/icd-10-cm, N186, R1, true",
                "http://hl7.org/fhir/sid/icd-10-cm, Z99.2, R1, true",
                "http://hl7.org/fhir/sid/icd-10-cm, N18.4, R1, false",
                "http://snomed.info/sct, 66931009, R2, true",
                "http://hl7.org/fhir/sid/icd-10-cm, E83.52, R2, true",
                "http://snomed.info/sct, 66999008, R5, true",
                "http://snomed.info/sct, 36348003, R5, true",
                "http://snomed.info/sct, 91478007, R5, true",
                "http://snomed.info/sct, 19034001, R5, true",
                "http://snomed.info/sct, 78200003, R5, true",
                "http://hl7.org/fhir/sid/icd-10-cm, E21.0, R5, true",
                "http://hl7.org/fhir/sid/icd-10-cm, E21.1, R5, true",
                "http://hl7.org/fhir/sid/icd-10-cm, E21.2, R5, true",
                "http://hl7.org/fhir/sid/icd-10-cm, E21.3, R5, true",
                "http://hl7.org/fhir/sid/icd-10-cm, N25.81, R5, true",
                "http://snomed.info/sct, 73211009, R9, true",
                "http://snomed.info/sct, 44054006, R9, true",
                "http://snomed.info/sct, 46635009, R9, true",
                "http://snomed.info/sct, 714628002, R9, false",   // prediabetes
                "http://hl7.org/fhir/sid/icd-10-cm, E11.9, R9, true",
                "http://hl7.org/fhir/sid/icd-10-cm, E10.65, R9, true",
                "http://hl7.org/fhir/sid/icd-10-cm, E08, R9, true",
                "http://hl7.org/fhir/sid/icd-10-cm, E09.9, R9, true",
                "http://hl7.org/fhir/sid/icd-10-cm, E13.9, R9, true",
                "http://hl7.org/fhir/sid/icd-10-cm, R73.03, R9, false",   // prediabetes
                "http://hl7.org/fhir/sid/icd-10-cm, R73.09, R9, false",
                "http://snomed.info/sct, 414916001, R10, true",
                "http://snomed.info/sct, 162864005, R10, true",
                "http://snomed.info/sct, 408512008, R10, true",
                "http://snomed.info/sct, 238136002, R10, true",
                "http://hl7.org/fhir/sid/icd-10-cm, E66.01, R10, true",
                "http://hl7.org/fhir/sid/icd-10-cm, E66.9, R10, true",
                "http://hl7.org/fhir/sid/icd-10-cm, E66.3, R10, false",   // overweight
                "http://hl7.org/fhir/sid/icd-10-cm, Z68.30, R10, true",
                "http://hl7.org/fhir/sid/icd-10-cm, Z68.45, R10, true",
                "http://hl7.org/fhir/sid/icd-10-cm, Z68.29, R10, false",
                "http://snomed.info/sct, 34000006, R11, true",
                "http://hl7.org/fhir/sid/icd-10-cm, K50.90, R11, true",
                "http://hl7.org/fhir/sid/icd-10-cm, K51.90, R11, false",
                "http://snomed.info/sct, 403783002, R12, true",
                "http://hl7.org/fhir/sid/icd-10-cm, E83.59, R12, false",  // without the word calciphylaxis
                "http://example.org/local, N18.5, R1, false"})
        void conditionCodes(String system, String code, RuleId rule, boolean fires) {
            assertThat(assess(coded(system, code)).result(rule).fired()).isEqualTo(fires);
        }

        @Test
        void e8359CountsAsCalciphylaxisWhenItsTextSaysSo() {
            Condition c = condition("c1", concept(CodeSystems.ICD_10_CM, "E83.59", null).setText("Calciphylaxis, both legs"));
            assertThat(assess(c).result(RuleId.R12).fired()).isTrue();
            Condition d = condition("c2", concept(CodeSystems.ICD_10_CM, "E83.59", "Calciphylaxis"));
            assertThat(assess(d).result(RuleId.R12).fired()).isTrue();
        }
    }

    @Nested
    class ConditionStatus {

        @ParameterizedTest(name = "clinicalStatus ''{0}'' -> R9 {1}, R12 {2}")
        @CsvSource({"active, true, true", "recurrence, true, true", "relapse, true, true", "'', true, true",
                "inactive, false, true", "remission, false, true", "resolved, false, true"})
        void clinicalStatus(String status, boolean r9, boolean r12) {
            Condition diabetes = withClinicalStatus(condition("d", Snomed.DIABETES_MELLITUS), status);
            Condition calciphylaxis = withClinicalStatus(condition("c", Snomed.CALCIPHYLAXIS), status);
            Assessment a = assess(diabetes, calciphylaxis);
            assertThat(a.result(RuleId.R9).fired()).isEqualTo(r9);
            assertThat(a.result(RuleId.R12).fired()).isEqualTo(r12);
        }

        @ParameterizedTest(name = "verificationStatus ''{0}'' -> counts: {1}")
        @CsvSource({"confirmed, true", "unconfirmed, true", "provisional, true", "differential, true",
                "refuted, false", "entered-in-error, false"})
        void verificationStatus(String status, boolean counts) {
            Condition diabetes = condition("d", Snomed.DIABETES_MELLITUS)
                    .setVerificationStatus(concept(VERIFICATION, status, null));
            Condition calciphylaxis = withClinicalStatus(condition("c", Snomed.CALCIPHYLAXIS), "resolved")
                    .setVerificationStatus(concept(VERIFICATION, status, null));
            Assessment a = assess(diabetes, calciphylaxis);
            assertThat(a.result(RuleId.R9).fired()).isEqualTo(counts);
            assertThat(a.result(RuleId.R12).fired()).as("R12 never counts refuted/entered-in-error").isEqualTo(counts);
        }

        @Test
        void abatementInThePastWithoutClinicalStatusIsResolved() {
            Condition d = withClinicalStatus(condition("d", Snomed.DIABETES_MELLITUS), null)
                    .setAbatement(dateTime(daysAgo(400)));
            Condition c = withClinicalStatus(condition("c", Snomed.CALCIPHYLAXIS), null).setAbatement(dateTime(daysAgo(400)));
            Assessment a = assess(d, c);
            assertThat(a.result(RuleId.R9).fired()).isFalse();
            assertThat(a.result(RuleId.R12).fired()).isTrue();
        }

        @Test
        void abatementInTheFutureWithoutClinicalStatusIsStillCurrent() {
            Condition d = withClinicalStatus(condition("d", Snomed.DIABETES_MELLITUS), null)
                    .setAbatement(dateTime(NOW.plusSeconds(3600)));
            assertThat(assess(d).result(RuleId.R9).fired()).isTrue();
        }

        @Test
        void abatementStatedAsTextIsTakenAsPast() {
            Condition d = withClinicalStatus(condition("d", Snomed.DIABETES_MELLITUS), null)
                    .setAbatement(new StringType("in childhood"));
            assertThat(assess(d).result(RuleId.R9).fired()).isFalse();
        }

        @Test
        void clinicalStatusWinsOverAbatement() {
            Condition d = condition("d", Snomed.DIABETES_MELLITUS).setAbatement(dateTime(daysAgo(400)));
            assertThat(assess(d).result(RuleId.R9).fired()).isTrue();
        }

        @Test
        void conditionsCountWhateverTheirAge() {
            Condition d = condition("d", Snomed.DIABETES_MELLITUS).setOnset(dateTime(daysAgo(20 * 365)));
            assertThat(assess(d).result(RuleId.R9).fired()).isTrue();
        }

        @Test
        void anUnknownClinicalStatusIsNoted() {
            Condition d = withClinicalStatus(condition("d", Snomed.DIABETES_MELLITUS), "smouldering");
            Assessment a = assess(d);
            assertThat(a.result(RuleId.R9).fired()).isFalse();
            assertThat(noteTexts(a)).anySatisfy(n -> assertThat(n).contains("smouldering"));
        }
    }

    @Nested
    class DialysisProcedures {

        @ParameterizedTest(name = "{0} performed {1} days ago, {2} -> R1 fires: {3}")
        @CsvSource({"HEMODIALYSIS, 30, COMPLETED, true", "PERITONEAL_DIALYSIS, 90, COMPLETED, true",
                "RENAL_DIALYSIS, 1, INPROGRESS, true", "DIALYSIS_PROCEDURE, 1, COMPLETED, true",
                "HEMODIALYSIS, 91, COMPLETED, false", "HEMODIALYSIS, 1, NOTDONE, false",
                "HEMODIALYSIS, 1, PREPARATION, false", "HEMODIALYSIS, 1, STOPPED, false",
                "HEMODIALYSIS, 1, ENTEREDINERROR, false", "HEMODIALYSIS, -1, COMPLETED, false"})
        void dialysisProcedureInTheLookback(String code, long daysAgo, Procedure.ProcedureStatus status, boolean fires) {
            var c = switch (code) {
                case "HEMODIALYSIS" -> Snomed.HEMODIALYSIS;
                case "PERITONEAL_DIALYSIS" -> Snomed.PERITONEAL_DIALYSIS;
                case "RENAL_DIALYSIS" -> Snomed.RENAL_DIALYSIS;
                default -> Snomed.DIALYSIS_PROCEDURE;
            };
            assertThat(assess(Fhir.procedure("p", c, status, daysAgo(daysAgo))).result(RuleId.R1).fired()).isEqualTo(fires);
        }

        @Test
        void anInProgressPeriodStartedLongAgoStillCounts() {
            Procedure p = Fhir.procedure("p", Snomed.HEMODIALYSIS, Procedure.ProcedureStatus.INPROGRESS, null)
                    .setPerformed(new Period().setStartElement(dateTime(daysAgo(400))));
            assertThat(assess(p).result(RuleId.R1).fired()).isTrue();
        }

        @Test
        void aCompletedPeriodThatEndedBeforeTheLookbackDoesNotCount() {
            Procedure p = Fhir.procedure("p", Snomed.HEMODIALYSIS, Procedure.ProcedureStatus.COMPLETED, null)
                    .setPerformed(new Period().setStartElement(dateTime(daysAgo(400))).setEndElement(dateTime(daysAgo(100))));
            assertThat(assess(p).result(RuleId.R1).fired()).isFalse();
            Procedure q = Fhir.procedure("q", Snomed.HEMODIALYSIS, Procedure.ProcedureStatus.COMPLETED, null)
                    .setPerformed(new Period().setStartElement(dateTime(daysAgo(400))).setEndElement(dateTime(daysAgo(80))));
            assertThat(assess(q).result(RuleId.R1).fired()).isTrue();
        }

        @Test
        void aProcedureWithoutTimeIsNoted() {
            Procedure p = Fhir.procedure("p", Snomed.HEMODIALYSIS, Procedure.ProcedureStatus.COMPLETED, null);
            Assessment a = assess(p);
            assertThat(a.result(RuleId.R1).fired()).isFalse();
            assertThat(noteTexts(a)).anySatisfy(n -> assertThat(n).startsWith("Procedure/p"));
        }
    }

    @Nested
    class DialysisStatusObservations {

        private Observation status(String id, long daysAgo) {
            return Fhir.observation(id, Snomed.DEPENDENCE_ON_RENAL_DIALYSIS, daysAgo(daysAgo));
        }

        @Test
        void valueBooleanTrueFires() {
            assertThat(assess(status("s", 10).setValue(new BooleanType(true))).result(RuleId.R1).fired()).isTrue();
            assertThat(assess(status("s", 10).setValue(new BooleanType(false))).result(RuleId.R1).fired()).isFalse();
        }

        @Test
        void ourCodeSystemWorksToo() {
            Observation o = Fhir.observation("s", DialysisStatus.ON_DIALYSIS, daysAgo(10)).setValue(new BooleanType(true));
            assertThat(assess(o).result(RuleId.R1).fired()).isTrue();
        }

        @ParameterizedTest(name = "value coding {0}|{1} ''{2}'' -> on dialysis: {3}")
        @CsvSource(delimiter = '|', value = {
                "http://snomed.info/sct | 373067005 | No | false",
                "http://snomed.info/sct | 260385009 | Negative | false",
                "http://terminology.hl7.org/CodeSystem/v2-0136 | N | | false",
                "http://example.org/x | 0 | negative | false",
                "http://snomed.info/sct | 373066001 | Yes | true",
                "http://snomed.info/sct | 302497006 | Hemodialysis | true",
                "http://terminology.hl7.org/CodeSystem/v2-0136 | Y | | true"})
        void aValueCodingThatIsNotNoOrNegative(String system, String code, String display, boolean fires) {
            Observation o = status("s", 10).setValue(concept(system, code, display));
            assertThat(assess(o).result(RuleId.R1).fired()).isEqualTo(fires);
        }

        @Test
        void aTextOnlyNoAnswer() {
            Observation o = status("s", 10).setValue(new CodeableConcept().setText("No"));
            assertThat(assess(o).result(RuleId.R1).fired()).isFalse();
        }

        @Test
        void onlyWithinTheLookbackAndWithACountingStatus() {
            assertThat(assess(status("s", 91).setValue(new BooleanType(true))).result(RuleId.R1).fired()).isFalse();
            assertThat(assess(status("s", 90).setValue(new BooleanType(true))).result(RuleId.R1).fired()).isTrue();
            assertThat(assess(status("s", 1).setValue(new BooleanType(true))
                    .setStatus(Observation.ObservationStatus.PRELIMINARY)).result(RuleId.R1).fired()).isFalse();
        }

        @Test
        void kidneyFailureReportsEveryKindOfEvidenceOnce() {
            Assessment a = assess(condition("esrd", Snomed.END_STAGE_RENAL_DISEASE),
                    Fhir.procedure("hd", Snomed.HEMODIALYSIS, Procedure.ProcedureStatus.COMPLETED, daysAgo(2)),
                    status("s", 1).setValue(new BooleanType(true)));
            RuleResult r1 = a.result(RuleId.R1);
            assertThat(r1.points()).isEqualTo(3);
            assertThat(r1.sources()).containsExactly("Condition/esrd", "Procedure/hd", "Observation/s");
            assertThat(a.score()).isEqualTo(3);
        }
    }
}
