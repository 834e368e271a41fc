package calciscreen.screening.rules;

import static calciscreen.screening.rules.Fhir.NOW;
import static calciscreen.screening.rules.Fhir.assess;
import static calciscreen.screening.rules.Fhir.dateTime;
import static calciscreen.screening.rules.Fhir.daysAgo;
import static calciscreen.screening.rules.Fhir.lab;
import static calciscreen.screening.rules.Fhir.lastUpdated;
import static calciscreen.screening.rules.Fhir.noteTexts;
import static org.assertj.core.api.Assertions.assertThat;

import calciscreen.model.terminology.Loinc;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.StringType;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/** screening-rules.md, "Time", "Latest value wins", "Observation status". */
class LookbackAndLatestValueTest {

    private static Observation highPth(String id, Instant at) {
        return lab(id, Loinc.PTH_INTACT_MASS, "700", "pg/mL", at);
    }

    private static Observation normalPth(String id, Instant at) {
        return lab(id, Loinc.PTH_INTACT_MASS, "100", "pg/mL", at);
    }

    private static boolean r5(Observation... obs) {
        return assess(obs).result(RuleId.R5).fired();
    }

    @Nested
    class Lookback {

        @Test
        void exactly90DaysBeforeTheEvaluationCounts() {
            assertThat(r5(highPth("o", NOW.minus(Duration.ofDays(90))))).isTrue();
        }

        @Test
        void ninetyDaysAndOneSecondDoesNotCount() {
            assertThat(r5(highPth("o", NOW.minus(Duration.ofDays(90)).minusSeconds(1)))).isFalse();
        }

        @Test
        void exactlyAtTheEvaluationTimeCounts() {
            assertThat(r5(highPth("o", NOW))).isTrue();
        }

        @Test
        void afterTheEvaluationTimeDoesNotCountAndIsNoted() {
            Assessment a = assess(highPth("future", NOW.plusSeconds(1)));
            assertThat(a.result(RuleId.R5).fired()).isFalse();
            assertThat(noteTexts(a)).anySatisfy(n -> assertThat(n).startsWith("Observation/future").contains("after the evaluation time"));
        }

        @Test
        void aFutureValueDoesNotHideTheLatestValueUpToTheEvaluationTime() {
            assertThat(r5(normalPth("future", NOW.plus(Duration.ofDays(2))), highPth("now", daysAgo(1)))).isTrue();
        }

        @Test
        void theSamePreparedContextGivesDifferentAnswersAtDifferentTimes() {
            PatientContext ctx = Fhir.context(Fhir.patient(), highPth("o", daysAgo(10)));
            RuleSet rules = RuleSet.v1();
            assertThat(rules.evaluate(ctx, NOW).result(RuleId.R5).fired()).isTrue();
            assertThat(rules.evaluate(ctx, NOW.plus(Duration.ofDays(81))).result(RuleId.R5).fired()).isFalse();
            assertThat(rules.evaluate(ctx, daysAgo(11)).result(RuleId.R5).fired()).isFalse();
        }

        @Test
        void lookbackIsConfiguration() {
            RuleSet shortLookback = new RuleSet(RuleConfig.v1().withLookback(Duration.ofDays(7)));
            PatientContext ctx = Fhir.context(Fhir.patient(), highPth("o", daysAgo(10)));
            assertThat(shortLookback.evaluate(ctx, NOW).result(RuleId.R5).fired()).isFalse();
        }
    }

    @Nested
    class LatestValueWins {

        @Test
        void aNewerNormalValueWinsOverAnOlderHighOne() {
            assertThat(r5(highPth("old", daysAgo(20)), normalPth("new", daysAgo(5)))).isFalse();
        }

        @Test
        void aNewerHighValueWinsOverAnOlderNormalOne() {
            assertThat(r5(normalPth("old", daysAgo(20)), highPth("new", daysAgo(5)))).isTrue();
        }

        @Test
        void massAndMolarCodesCompeteTogether() {
            assertThat(r5(highPth("mass", daysAgo(20)), lab("molar", Loinc.PTH_INTACT_MOLES, "5", "pmol/L", daysAgo(5)))).isFalse();
            assertThat(r5(normalPth("mass", daysAgo(20)), lab("molar", Loinc.PTH_INTACT_MOLES, "70", "pmol/L", daysAgo(5)))).isTrue();
        }

        @Test
        void onATimeTieTheLaterLastUpdatedWins() {
            Instant t = daysAgo(5);
            assertThat(r5(lastUpdated(highPth("a", t), daysAgo(4)), lastUpdated(normalPth("b", t), daysAgo(1)))).isFalse();
            assertThat(r5(lastUpdated(highPth("a", t), daysAgo(1)), lastUpdated(normalPth("b", t), daysAgo(4)))).isTrue();
        }

        @Test
        void onATimeTieAValueWithLastUpdatedWinsOverOneWithout() {
            Instant t = daysAgo(5);
            assertThat(r5(lastUpdated(highPth("a", t), daysAgo(4)), normalPth("b", t))).isTrue();
        }

        @Test
        void aNewerUnreadableValueDoesNotHideAnOlderValidOne() {
            Observation newer = lab("newer", Loinc.PTH_INTACT_MASS, "100", "furlongs", daysAgo(1));
            Assessment a = assess(highPth("older", daysAgo(30)), newer);
            assertThat(a.result(RuleId.R5).fired()).isTrue();
            assertThat(a.result(RuleId.R5).sources()).containsExactly("Observation/older");
            assertThat(noteTexts(a)).anySatisfy(n -> assertThat(n).contains("Observation/newer").contains("furlongs"));
        }

        @Test
        void aNewerNonCountingStatusDoesNotHideAnOlderValidOne() {
            Observation prelim = normalPth("prelim", daysAgo(1)).setStatus(Observation.ObservationStatus.PRELIMINARY);
            assertThat(r5(highPth("older", daysAgo(30)), prelim)).isTrue();
        }

        @Test
        void aNewerDataAbsentReasonDoesNotHideAnOlderValidOne() {
            Observation absent = Fhir.observation("absent", Loinc.PTH_INTACT_MASS, daysAgo(1));
            absent.setDataAbsentReason(new CodeableConcept().setText("specimen haemolysed"));
            assertThat(r5(highPth("older", daysAgo(30)), absent)).isTrue();
        }

        @Test
        void aNewerUnreadableValueOverAnOlderNormalOneMakesTheRuleIndeterminate() {
            Observation newer = lab("newer", Loinc.PTH_INTACT_MASS, "100", "furlongs", daysAgo(1));
            RuleResult r5 = assess(normalPth("older", daysAgo(30)), newer).result(RuleId.R5);
            assertThat(r5.verdict()).isInstanceOfSatisfying(Verdict.Indeterminate.class, i -> {
                assertThat(i.source()).isEqualTo("Observation/newer");
                assertThat(i.reason()).contains("unknown UCUM code 'furlongs'");
            });
            assertThat(r5.points()).isZero();
        }

        @Test
        void anOlderUnreadableValueDoesNotMakeTheRuleIndeterminate() {
            Observation older = lab("older", Loinc.PTH_INTACT_MASS, "100", "furlongs", daysAgo(30));
            assertThat(assess(older, normalPth("newer", daysAgo(1))).result(RuleId.R5).verdict())
                    .isInstanceOf(Verdict.NotFired.class);
        }

        @Test
        void onlyAnUnreadableValueMakesTheRuleIndeterminate() {
            Observation s = Fhir.observation("s", Loinc.PHOSPHATE_MASS, daysAgo(1)).setValue(new StringType("6.2"));
            assertThat(assess(s).result(RuleId.R3).verdict()).isInstanceOfSatisfying(Verdict.Indeterminate.class,
                    i -> assertThat(i.reason()).contains("value is a string"));
        }
    }

    @Nested
    class ObservationStatus {

        @ParameterizedTest(name = "status {0} counts: {1}")
        @CsvSource({"FINAL, true", "AMENDED, true", "CORRECTED, true", "PRELIMINARY, false", "REGISTERED, false",
                "CANCELLED, false", "ENTEREDINERROR, false", "UNKNOWN, false"})
        void onlyFinalAmendedCorrectedCount(Observation.ObservationStatus status, boolean counts) {
            Assessment a = assess(highPth("o", daysAgo(1)).setStatus(status));
            assertThat(a.result(RuleId.R5).fired()).isEqualTo(counts);
            if (!counts) {
                assertThat(noteTexts(a)).anySatisfy(n -> assertThat(n).contains("status " + status.toCode()));
            }
        }

        @Test
        void aMissingStatusDoesNotCount() {
            assertThat(r5(highPth("o", daysAgo(1)).setStatus(null))).isFalse();
        }
    }

    @Nested
    class ObservationTime {

        private Observation pth(String id) {
            Observation o = highPth(id, null);
            return o;
        }

        @Test
        void effectiveDateTimeWinsOverIssued() {
            Observation o = highPth("o", daysAgo(100));
            o.setIssued(Date.from(daysAgo(1)));
            assertThat(r5(o)).isFalse();
        }

        @Test
        void periodEndWinsOverPeriodStart() {
            Observation inside = pth("in").setEffective(new Period().setStartElement(dateTime(daysAgo(100)))
                    .setEndElement(dateTime(daysAgo(80))));
            Observation outside = pth("out").setEffective(new Period().setStartElement(dateTime(daysAgo(80)))
                    .setEndElement(dateTime(NOW.plusSeconds(60))));
            assertThat(r5(inside)).isTrue();
            assertThat(r5(outside)).isFalse();
        }

        @Test
        void periodStartWhenThereIsNoEnd() {
            assertThat(r5(pth("o").setEffective(new Period().setStartElement(dateTime(daysAgo(10)))))).isTrue();
            assertThat(r5(pth("o").setEffective(new Period().setStartElement(dateTime(daysAgo(100)))))).isFalse();
        }

        @Test
        void effectiveInstant() {
            assertThat(r5(pth("o").setEffective(new InstantType(Date.from(daysAgo(10)))))).isTrue();
        }

        @Test
        void issuedWhenThereIsNoEffective() {
            assertThat(r5(pth("o").setIssued(Date.from(daysAgo(10))))).isTrue();
            assertThat(r5(pth("o").setIssued(Date.from(daysAgo(91))))).isFalse();
        }

        @Test
        void noTimeAtAllDoesNotCountAndIsNoted() {
            Assessment a = assess(pth("timeless"));
            assertThat(a.result(RuleId.R5).fired()).isFalse();
            assertThat(noteTexts(a)).anySatisfy(n -> assertThat(n).startsWith("Observation/timeless").contains("no effective"));
        }

        @Test
        void aDateWithoutTimeIsItsFirstMomentUtc() {
            Observation o = pth("o").setEffective(new org.hl7.fhir.r4.model.DateTimeType("2025-03-03"));
            // 2025-03-03T00:00Z is exactly 90 days before 2025-06-01T00:00Z
            RuleSet rules = RuleSet.v1();
            PatientContext ctx = Fhir.context(Fhir.patient(), o);
            assertThat(rules.evaluate(ctx, Instant.parse("2025-06-01T00:00:00Z")).result(RuleId.R5).fired()).isTrue();
            assertThat(rules.evaluate(ctx, Instant.parse("2025-06-01T00:00:01Z")).result(RuleId.R5).fired()).isFalse();
        }
    }

    @Nested
    class UnreadableValues {

        @Test
        void aQuantityWithAComparatorDoesNotCount() {
            Observation o = highPth("cmp", daysAgo(1));
            o.getValueQuantity().setComparator(Quantity.QuantityComparator.GREATER_THAN);
            Assessment a = assess(o);
            assertThat(a.result(RuleId.R5).indeterminate()).isTrue();
        }

        @Test
        void aQuantityWithoutValueDoesNotCount() {
            Observation o = Fhir.observation("nv", Loinc.PTH_INTACT_MASS, daysAgo(1))
                    .setValue(new Quantity().setUnit("pg/mL"));
            assertThat(assess(o).result(RuleId.R5).indeterminate()).isTrue();
        }

        @Test
        void aQuantityWithoutUnitDoesNotCount() {
            Observation o = Fhir.observation("nu", Loinc.PTH_INTACT_MASS, daysAgo(1))
                    .setValue(new Quantity().setValue(new BigDecimal("900")));
            Assessment a = assess(o);
            assertThat(a.result(RuleId.R5).indeterminate()).isTrue();
            assertThat(noteTexts(a)).anySatisfy(n -> assertThat(n).contains("no unit"));
        }

        @Test
        void aUnitNotAcceptedForTheAnalyteDoesNotCount() {
            Observation o = lab("wrong", Loinc.PTH_INTACT_MASS, "900", "mg/dL", daysAgo(1));
            assertThat(assess(o).result(RuleId.R5).verdict().reason()).contains("not accepted for pth");
        }

        @ParameterizedTest
        @EnumSource(value = Observation.ObservationStatus.class, names = {"FINAL"})
        void aNonUcumSystemFallsBackToTheUnitString(Observation.ObservationStatus status) {
            Observation o = Fhir.observation("o", Loinc.PTH_INTACT_MASS, daysAgo(1)).setStatus(status)
                    .setValue(new Quantity().setValue(900).setSystem("http://example.org/lab-units").setCode("PGML")
                            .setUnit("pg/mL"));
            assertThat(assess(o).result(RuleId.R5).fired()).isTrue();
        }
    }
}
