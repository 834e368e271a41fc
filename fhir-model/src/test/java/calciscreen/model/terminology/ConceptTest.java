package calciscreen.model.terminology;

import static org.assertj.core.api.Assertions.assertThat;

import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConceptTest {

    private static final String ICD = CodeSystems.ICD_10_CM;
    private static final String SCT = CodeSystems.SNOMED_CT;
    private static final String RX = CodeSystems.RXNORM;

    private static CodeableConcept cc(String system, String code, String display) {
        return new CodeableConcept().addCoding(new Coding(system, code, display));
    }

    private static CodeableConcept text(String text) {
        return new CodeableConcept().setText(text);
    }

    @Nested
    class Icd10 {

        @ParameterizedTest(name = "ICD-10-CM {0} is {1}: {2}")
        @CsvSource({
                "N18.5, KIDNEY_FAILURE, true", "N185, KIDNEY_FAILURE, true", "n18.6, KIDNEY_FAILURE, true",
                "Z99.2, KIDNEY_FAILURE, true", "N18.4, KIDNEY_FAILURE, false", "N18, KIDNEY_FAILURE, false",
                "E83.52, HYPERCALCEMIA, true", "E8352, HYPERCALCEMIA, true", "E83.5, HYPERCALCEMIA, false",
                "E21.0, HYPERPARATHYROIDISM, true", "E21.3, HYPERPARATHYROIDISM, true", "N25.81, HYPERPARATHYROIDISM, true",
                "E21.4, HYPERPARATHYROIDISM, false",
                "E11, DIABETES, true", "E11.9, DIABETES, true", "E11.65, DIABETES, true", "E1022, DIABETES, true",
                "E08.00, DIABETES, true", "E09.9, DIABETES, true", "E13.9, DIABETES, true",
                "R73.03, DIABETES, false", "R73.09, DIABETES, false", "R73.9, DIABETES, false", "E12, DIABETES, false",
                "E66, OBESITY, true", "E66.01, OBESITY, true", "E66.9, OBESITY, true", "E66.3, OBESITY, false",
                "E663, OBESITY, false", "Z68.30, OBESITY, true", "Z68.39, OBESITY, true", "Z68.41, OBESITY, true",
                "Z68.45, OBESITY, true", "Z68.29, OBESITY, false", "Z68.1, OBESITY, false",
                "K50, CROHNS, true", "K50.90, CROHNS, true", "K51.90, CROHNS, false",
        })
        void icd10CodesWithOrWithoutDotAndPrefixes(String code, Concept concept, boolean matches) {
            assertThat(concept.matches(cc(ICD, code, null))).isEqualTo(matches);
        }

        @Test
        void e8359IsCalciphylaxisOnlyWhenDisplayOrTextNamesIt() {
            assertThat(Concept.CALCIPHYLAXIS.matches(cc(ICD, "E83.59", "Other disorders of calcium metabolism"))).isFalse();
            assertThat(Concept.CALCIPHYLAXIS.matches(cc(ICD, "E83.59", "Calciphylaxis"))).isTrue();
            assertThat(Concept.CALCIPHYLAXIS.matches(cc(ICD, "E8359", null).setText("calciphylaxis, left calf"))).isTrue();
            assertThat(Concept.CALCIPHYLAXIS.matches(cc(ICD, "E83.59", null))).isFalse();
            assertThat(Concept.CALCIPHYLAXIS.matches(cc(SCT, "403783002", null))).isTrue();
            assertThat(Concept.CALCIPHYLAXIS.matches(text("calciphylaxis"))).as("text alone is not a code").isFalse();
        }
    }

    @Nested
    class Systems {

        @Test
        void codesInOtherSystemsDoNotMatch() {
            assertThat(Concept.KIDNEY_FAILURE.matches(cc("http://example.org/local", "N18.5", null))).isFalse();
            assertThat(Concept.KIDNEY_FAILURE.matches(cc(null, "46177005", null))).isFalse();
            assertThat(Concept.HYPERCALCEMIA.matches(cc(SCT, "E83.52", null))).isFalse();
        }

        @Test
        void hl7OidsAndTrailingSlashesNameTheSameSystem() {
            assertThat(Concept.KIDNEY_FAILURE.matches(cc("urn:oid:2.16.840.1.113883.6.96", "46177005", null))).isTrue();
            assertThat(Concept.KIDNEY_FAILURE.matches(cc("http://snomed.info/sct/", "46177005", null))).isTrue();
            assertThat(Concept.WARFARIN.matches(cc("urn:oid:2.16.840.1.113883.6.88", "855332", null))).isTrue();
            assertThat(Concept.PTH.matches(cc("urn:oid:2.16.840.1.113883.6.1", "2731-8", null))).isTrue();
        }

        @Test
        void snomedPrediabetesIsNotDiabetes() {
            assertThat(Concept.DIABETES.matches(Snomed.PREDIABETES.toCoding())).isFalse();
            assertThat(Concept.DIABETES.matches(Snomed.DIABETES_MELLITUS_TYPE_2.toCoding())).isTrue();
        }

        @Test
        void classifyFindsEveryConcept() {
            assertThat(Concept.classify(cc(SCT, "105502003", null)))
                    .containsExactlyInAnyOrder(Concept.KIDNEY_FAILURE, Concept.DIALYSIS_STATUS);
            assertThat(Concept.classify(cc(ICD, "E11.9", null))).containsExactly(Concept.DIABETES);
            assertThat(Concept.classify(new CodeableConcept())).isEmpty();
            assertThat(Concept.classify(null)).isEmpty();
        }

        @Test
        void classifyRemembersByEverythingTheMatchingReads() {
            // asked twice each, interleaved: a remembered answer never stands for a concept that differs in display,
            // text, system spelling or code
            for (int round = 0; round < 2; round++) {
                assertThat(Concept.classify(cc(ICD, "E83.59", "Calciphylaxis"))).containsExactly(Concept.CALCIPHYLAXIS);
                assertThat(Concept.classify(cc(ICD, "E83.59", "Other disorders of calcium metabolism"))).isEmpty();
                assertThat(Concept.classify(cc(ICD, "E83.59", null).setText("calciphylaxis, left calf")))
                        .containsExactly(Concept.CALCIPHYLAXIS);
                assertThat(Concept.classify(cc(ICD, "E83.59", null))).isEmpty();
                assertThat(Concept.classify(cc("urn:oid:2.16.840.1.113883.6.90", "E11.9", null)))
                        .containsExactly(Concept.DIABETES);
                assertThat(Concept.classify(cc(SCT, "E11.9", null))).isEmpty();
                assertThat(Concept.classify(text("warfarin 5 mg tablet"))).containsExactly(Concept.WARFARIN);
                assertThat(Concept.classify(text("hydrocortisone 10 mg oral tablet")))
                        .containsExactly(Concept.GLUCOCORTICOID_SYSTEMIC);
                assertThat(Concept.classify(text("hydrocortisone cream"))).isEmpty();
            }
        }

        @Test
        void aClassificationChangedByItsCallerIsNotRemembered() {
            CodeableConcept esrd = cc(SCT, "105502003", null);
            Concept.classify(esrd).clear();
            assertThat(Concept.classify(esrd)).containsExactlyInAnyOrder(Concept.KIDNEY_FAILURE, Concept.DIALYSIS_STATUS);
        }

        @Test
        void dialysisStatusAcceptsAnyCodeOfOurCodeSystem() {
            assertThat(Concept.DIALYSIS_STATUS.matches(cc(CodeSystems.DIALYSIS_STATUS, "anything", null))).isTrue();
            assertThat(Concept.DIALYSIS_STATUS.matches(DialysisStatus.ON_DIALYSIS.toCoding())).isTrue();
        }

        @Test
        void proteinCorrectedCalcium18281_6IsInNoValueSet() {
            assertThat(Concept.classify(new CodeableConcept().addCoding(Loinc.CALCIUM_PROTEIN_CORRECTED_MASS.toCoding())))
                    .isEmpty();
        }
    }

    @Nested
    class Medications {

        @ParameterizedTest(name = "RxNorm {0} is warfarin")
        @CsvSource({"11289", "855288", "855296", "855302", "855312", "855318", "855324", "855332", "855338", "855344",
                "855350"})
        void warfarinByCode(String code) {
            assertThat(Concept.WARFARIN.matches(cc(RX, code, null))).isTrue();
        }

        @ParameterizedTest(name = "''{0}'' names a warfarin: {1}")
        @CsvSource(delimiter = '|', value = {
                "Warfarin Sodium 5 MG Oral Tablet | true", "WARFARIN 2mg | true", "Coumadin | false",
                "warfarinized? | false"})
        void warfarinByName(String name, boolean matches) {
            assertThat(Concept.WARFARIN.matches(text(name))).isEqualTo(matches);
            assertThat(Concept.WARFARIN.matches(cc(RX, "999999999", name))).isEqualTo(matches);
        }

        @ParameterizedTest(name = "RxNorm {0} is a systemic glucocorticoid: {1}")
        @CsvSource({"8640, true", "8638, true", "6902, true", "3264, true", "5492, true", "312615, true",
                "312617, true", "198145, true", "197582, true", "259966, true", "106258, false"})
        void glucocorticoidByCode(String code, boolean matches) {
            assertThat(Concept.GLUCOCORTICOID_SYSTEMIC.matches(cc(RX, code, null))).isEqualTo(matches);
        }

        @ParameterizedTest(name = "''{0}'' is a systemic glucocorticoid: {1}")
        @CsvSource(delimiter = '|', value = {
                "prednisone 5 MG Oral Tablet | true",
                "methylprednisolone sodium succinate 125 MG Injection | true",
                "dexamethasone sodium phosphate 4 MG/ML Injectable Solution | true",
                "Hydrocortisone 10 MG/ML Topical Cream | false",
                "hydrocortisone 1 % Rectal Cream | false",
                "dexamethasone 1 MG/ML Ophthalmic Suspension | false",
                "prednisolone acetate 10 MG/ML Ophthalmic Suspension | false",
                "dexamethasone 0.1 % Otic Solution | false",
                "hydrocortisone 100 MG Enema | false",
                "hydrocortisone rectal foam | false",
                "budesonide 0.09 MG/ACTUAT Inhalation Powder | false",
                "hydrocortisone ointment | false",
                "fluticasone nasal spray | false",
                "cortisone | false"})
        void glucocorticoidByName(String name, boolean matches) {
            assertThat(Concept.GLUCOCORTICOID_SYSTEMIC.matches(text(name))).isEqualTo(matches);
        }

        @Test
        void topicalHydrocortisoneCodeNeverCountsEvenWithASystemicName() {
            CodeableConcept topical = cc(RX, "106258", "hydrocortisone").setText("hydrocortisone tablets");
            assertThat(Concept.GLUCOCORTICOID_SYSTEMIC.matches(topical)).isFalse();
        }

        @Test
        void ingredientCodeWithATopicalFormInTheTextDoesNotCount() {
            CodeableConcept cream = cc(RX, "5492", "hydrocortisone").setText("hydrocortisone 1% cream");
            assertThat(Concept.GLUCOCORTICOID_SYSTEMIC.matches(cream)).isFalse();
        }

        @ParameterizedTest(name = "''{0}'' is iron dextran: {1}")
        @CsvSource(delimiter = '|', value = {
                "iron dextran 50 MG/ML Injectable Solution | true", "Iron-Dextran complex | true", "INFeD (iron dextran) | true",
                "ferrous sulfate 325 MG Oral Tablet | false", "iron | false", "iron sucrose 20 MG/ML | false",
                "dextran 40 | false"})
        void ironDextranByNameNeverPlainIron(String name, boolean matches) {
            assertThat(Concept.IRON_DEXTRAN.matches(text(name))).isEqualTo(matches);
        }

        @Test
        void ironDextranByCode() {
            assertThat(Concept.IRON_DEXTRAN.matches(cc(RX, "5992", null))).isTrue();
            assertThat(Concept.IRON_DEXTRAN.matches(cc(RX, "311144", null))).isTrue();
        }

        @ParameterizedTest(name = "''{0}'' is an albumin infusion: {1}")
        @CsvSource(delimiter = '|', value = {
                "albumin human, USP 250 MG/ML Injectable Solution | true", "Albumin (Human) 25% | true",
                "albumin | false", "albumin bound paclitaxel | false"})
        void albuminByName(String name, boolean matches) {
            assertThat(Concept.ALBUMIN_INFUSION.matches(text(name))).isEqualTo(matches);
        }

        @Test
        void albuminByCode() {
            assertThat(Concept.ALBUMIN_INFUSION.matches(cc(RX, "828529", null))).isTrue();
        }

        @Test
        void everyCodeCarriesSystemAndDisplay() {
            for (Concept concept : Concept.values()) {
                assertThat(concept.codes()).as(concept.name()).isNotEmpty().allSatisfy(code -> {
                    assertThat(code.system()).isNotBlank();
                    assertThat(code.display()).isNotBlank();
                });
            }
        }
    }
}
