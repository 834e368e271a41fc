package calciscreen.screening.rules;

import static calciscreen.screening.rules.Fhir.assess;
import static calciscreen.screening.rules.Fhir.medication;
import static calciscreen.screening.rules.Fhir.noteTexts;
import static calciscreen.screening.rules.Fhir.request;
import static calciscreen.screening.rules.Fhir.rxnorm;
import static calciscreen.screening.rules.Fhir.statement;
import static calciscreen.screening.rules.Fhir.text;
import static org.assertj.core.api.Assertions.assertThat;

import calciscreen.model.terminology.Snomed;
import org.hl7.fhir.r4.model.Medication;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.MedicationRequest.MedicationRequestStatus;
import org.hl7.fhir.r4.model.MedicationStatement.MedicationStatementStatus;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/** screening-rules.md, "Medication status", R7 and R11. */
class MedicationRulesTest {

    @Nested
    class Warfarin {

        @ParameterizedTest(name = "RxNorm {0} -> R7 fires")
        @CsvSource({"11289", "855288", "855296", "855302", "855312", "855318", "855324", "855332", "855338", "855344",
                "855350"})
        void byCode(String code) {
            RuleResult r7 = assess(request("mr", rxnorm(code, null))).result(RuleId.R7);
            assertThat(r7.fired()).isTrue();
            assertThat(r7.points()).isEqualTo(2);
            assertThat(r7.sources()).containsExactly("MedicationRequest/mr");
        }

        @ParameterizedTest(name = "name ''{0}'' -> R7 fires: {1}")
        @CsvSource(delimiter = '|', value = {"Warfarin sodium 5 mg tablet | true", "WARFARIN | true",
                "apixaban 5 MG Oral Tablet | false"})
        void byNameInTextOrDisplay(String name, boolean fires) {
            assertThat(assess(request("mr", text(name))).result(RuleId.R7).fired()).isEqualTo(fires);
            assertThat(assess(request("mr", rxnorm("99999999", name))).result(RuleId.R7).fired()).isEqualTo(fires);
        }

        @Test
        void byReferenceToAMedicationResource() {
            MedicationRequest mr = request("mr", null);
            mr.setMedication(new Reference("Medication/warf"));
            Assessment a = assess(mr, medication("warf", rxnorm("855332", "warfarin sodium 5 MG Oral Tablet")));
            assertThat(a.result(RuleId.R7).fired()).isTrue();
            assertThat(a.result(RuleId.R7).sources()).containsExactly("MedicationRequest/mr", "Medication/warf");
            assertThat(a.evidenceResourceIds()).containsExactly("MedicationRequest/mr", "Medication/warf");
        }

        @Test
        void byVersionedOrAbsoluteReference() {
            MedicationRequest mr = request("mr", null);
            mr.setMedication(new Reference("http://fhir.example/fhir/Medication/warf/_history/3"));
            assertThat(assess(mr, medication("warf", text("warfarin"))).result(RuleId.R7).fired()).isTrue();
        }

        @Test
        void byReferenceToAContainedMedication() {
            MedicationRequest mr = request("mr", null);
            Medication contained = medication("med1", rxnorm("855332", null));
            mr.addContained(contained);
            mr.setMedication(new Reference("#med1"));
            RuleResult r7 = assess(mr).result(RuleId.R7);
            assertThat(r7.fired()).isTrue();
            assertThat(r7.sources()).containsExactly("MedicationRequest/mr");
        }

        @Test
        void anUnresolvedReferenceIsNoted() {
            MedicationRequest mr = request("mr", null);
            mr.setMedication(new Reference("Medication/missing"));
            Assessment a = assess(mr);
            assertThat(a.result(RuleId.R7).fired()).isFalse();
            assertThat(noteTexts(a)).anySatisfy(n -> assertThat(n).startsWith("MedicationRequest/mr")
                    .contains("Medication/missing").contains("could not be resolved"));
        }

        @ParameterizedTest(name = "MedicationRequest {0} -> counts: {1}")
        @CsvSource({"ACTIVE, true", "ONHOLD, true", "CANCELLED, false", "COMPLETED, false", "ENTEREDINERROR, false",
                "STOPPED, false", "DRAFT, false", "UNKNOWN, false"})
        void requestStatus(MedicationRequestStatus status, boolean counts) {
            MedicationRequest mr = request("mr", rxnorm("855332", null)).setStatus(status);
            assertThat(assess(mr).result(RuleId.R7).fired()).isEqualTo(counts);
        }

        @ParameterizedTest(name = "MedicationStatement {0} -> counts: {1}")
        @CsvSource({"ACTIVE, true", "INTENDED, true", "COMPLETED, false", "ENTEREDINERROR, false", "STOPPED, false",
                "ONHOLD, false", "UNKNOWN, false", "NOTTAKEN, false"})
        void statementStatus(MedicationStatementStatus status, boolean counts) {
            assertThat(assess(statement("ms", rxnorm("855332", null), status)).result(RuleId.R7).fired()).isEqualTo(counts);
        }
    }

    @Nested
    class OtherExposures {

        @ParameterizedTest(name = "RxNorm {0} -> R11 fires: {1}")
        @CsvSource({"8640, true", "8638, true", "6902, true", "3264, true", "5492, true", "312615, true",
                "312617, true", "198145, true", "106258, false", "5992, true", "311144, true", "828529, true"})
        void byCode(String code, boolean fires) {
            assertThat(assess(request("mr", rxnorm(code, null))).result(RuleId.R11).fired()).isEqualTo(fires);
        }

        @ParameterizedTest(name = "''{0}'' -> R11 fires: {1}")
        @CsvSource(delimiter = '|', value = {
                "prednisone 10 MG Oral Tablet | true",
                "methylprednisolone sodium succinate 125 MG Injection | true",
                "Hydrocortisone 10 MG/ML Topical Cream | false",
                "hydrocortisone 25 MG Rectal Suppository | false",
                "dexamethasone 1 MG/ML Ophthalmic Solution | false",
                "ciprofloxacin / dexamethasone Otic Suspension | false",
                "budesonide nasal spray | false",
                "INFeD (iron dextran) 50 MG/ML | true",
                "ferrous sulfate 325 MG Oral Tablet | false",
                "iron | false",
                "albumin human, USP 250 MG/ML Injectable Solution | true",
                "paracetamol | false"})
        void byName(String name, boolean fires) {
            assertThat(assess(request("mr", text(name))).result(RuleId.R11).fired()).isEqualTo(fires);
        }

        @Test
        void topicalHydrocortisoneDoesNotCountEvenWithAnIngredientCode() {
            var cream = rxnorm("5492", "hydrocortisone").setText("hydrocortisone 1% cream");
            assertThat(assess(request("mr", cream)).result(RuleId.R11).fired()).isFalse();
        }

        @Test
        void countsOnceWhateverTheNumberOfExposures() {
            Assessment a = assess(Fhir.condition("crohn", Snomed.CROHNS_DISEASE),
                    request("pred", rxnorm("312617", null)),
                    request("iron", rxnorm("311144", null)),
                    statement("alb", text("albumin human 5%"), MedicationStatementStatus.ACTIVE));
            RuleResult r11 = a.result(RuleId.R11);
            assertThat(r11.points()).isEqualTo(1);
            assertThat(a.score()).isEqualTo(1);
            assertThat(r11.sources()).containsExactly("Condition/crohn", "MedicationRequest/pred",
                    "MedicationRequest/iron", "MedicationStatement/alb");
        }

        @ParameterizedTest
        @EnumSource(value = MedicationRequestStatus.class, names = {"COMPLETED", "STOPPED"})
        void inactiveExposuresDoNotCount(MedicationRequestStatus status) {
            assertThat(assess(request("mr", rxnorm("312617", null)).setStatus(status)).result(RuleId.R11).fired()).isFalse();
        }
    }
}
