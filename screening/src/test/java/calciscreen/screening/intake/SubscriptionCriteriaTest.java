package calciscreen.screening.intake;

import static org.assertj.core.api.Assertions.assertThat;

import calciscreen.model.terminology.Code;
import calciscreen.model.terminology.Concept;
import calciscreen.model.terminology.Icd10Cm;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.MedicationStatement;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.Timing;
import org.junit.jupiter.api.Test;

/** What the Subscriptions watch, and what reconciliation may pass over: a first version the rules never read. */
class SubscriptionCriteriaTest {

    private static final LocalDate WINDOW = LocalDate.parse("2026-08-30");

    @Test
    void aRuleLabAndADialysisSessionMatchAHeartRateAndAnAppendectomyDoNot() {
        Observation heartRate = lab("8867-4");
        heartRate.setEffective(new DateTimeType("2026-11-20"));
        Procedure appendectomy = procedure("80146002", new DateTimeType("2026-11-20"));

        assertThat(SubscriptionRegistrar.rulesMayRead(lab("2731-8").setEffective(new DateTimeType("2026-11-20")), WINDOW)).isTrue();
        assertThat(SubscriptionRegistrar.rulesMayRead(heartRate, WINDOW)).isFalse();
        assertThat(SubscriptionRegistrar.rulesMayRead(procedure("265764009", new DateTimeType("2026-11-20")), WINDOW)).isTrue();
        assertThat(SubscriptionRegistrar.rulesMayRead(appendectomy, WINDOW)).isFalse();
    }

    @Test
    void aLabOrDialysisSessionDatedBeforeTheWindowIsNotWatched() {
        assertThat(SubscriptionRegistrar.rulesMayRead(lab("2731-8").setEffective(new DateTimeType("2026-08-28T23:00:00Z")), WINDOW)).isFalse();
        assertThat(SubscriptionRegistrar.rulesMayRead(procedure("265764009", new DateTimeType("2025-01-10")), WINDOW)).isFalse();
    }

    /**
     * The criteria take results from the window's first day (2026-08-30, two days before the lookback) in the
     * server's own time zone; reconciliation reads a patient again for a first version it may read and no
     * notification brought, so it asks for a day into the window: the rules' lookback starts a day later still.
     */
    @Test
    void aResultMayBeReadFromADayIntoTheWindowAndADateWithoutATimeLastsItsWholeDay() {
        assertThat(SubscriptionRegistrar.rulesMayRead(lab("2731-8").setEffective(new DateTimeType("2026-08-31T00:00:00Z")), WINDOW)).isTrue();
        assertThat(SubscriptionRegistrar.rulesMayRead(lab("2731-8").setEffective(new DateTimeType("2026-08-30")), WINDOW)).isTrue();
        assertThat(SubscriptionRegistrar.rulesMayRead(lab("2731-8").setEffective(new DateTimeType("2026-08")), WINDOW)).isTrue();
        assertThat(SubscriptionRegistrar.rulesMayRead(lab("2731-8").setEffective(new DateTimeType("2026")), WINDOW)).isTrue();
        // on the window's first day, or the day before it, with a time: no criteria need notify it, no rule reads it
        assertThat(SubscriptionRegistrar.rulesMayRead(lab("2731-8").setEffective(new DateTimeType("2026-08-30T23:59:59Z")), WINDOW)).isFalse();
        assertThat(SubscriptionRegistrar.rulesMayRead(lab("2731-8").setEffective(new DateTimeType("2026-08-29T12:00:00Z")), WINDOW)).isFalse();
        assertThat(SubscriptionRegistrar.rulesMayRead(lab("2731-8").setEffective(new DateTimeType("2026-08-29")), WINDOW)).isFalse();
        Period sessionBefore = new Period().setStartElement(new DateTimeType("2026-08-29T08:00:00Z"))
                .setEndElement(new DateTimeType("2026-08-29T12:00:00Z"));
        assertThat(SubscriptionRegistrar.rulesMayRead(procedure("265764009", sessionBefore), WINDOW)).isFalse();
    }

    @Test
    void everythingInTheRulesLookbackMayBeReadWhateverTheTimeOfDay() {
        Duration lookback = Duration.ofDays(90);
        for (String now : new String[] {"2026-11-28T00:00:00Z", "2026-11-28T00:00:01Z", "2026-11-28T23:59:59Z"}) {
            Instant at = Instant.parse(now);
            LocalDate window = SubscriptionRegistrar.windowStart(at, lookback);
            DateTimeType firstMomentRead = new DateTimeType(java.util.Date.from(at.minus(lookback)));
            assertThat(SubscriptionRegistrar.rulesMayRead(lab("2731-8").setEffective(firstMomentRead), window))
                    .as("at %s", now).isTrue();
        }
    }

    @Test
    void aPeriodCountsByItsEndAndAnOpenOneAlwaysReaches() {
        Period endsInside = new Period().setStartElement(new DateTimeType("2026-08-01")).setEndElement(new DateTimeType("2026-09-02"));
        Period endedBefore = new Period().setStartElement(new DateTimeType("2026-07-01")).setEndElement(new DateTimeType("2026-07-02"));
        Period stillGoing = new Period().setStartElement(new DateTimeType("2026-01-01"));

        assertThat(SubscriptionRegistrar.rulesMayRead(procedure("265764009", endsInside), WINDOW)).isTrue();
        assertThat(SubscriptionRegistrar.rulesMayRead(procedure("265764009", endedBefore), WINDOW)).isFalse();
        assertThat(SubscriptionRegistrar.rulesMayRead(procedure("265764009", stillGoing), WINDOW)).isTrue();
        assertThat(SubscriptionRegistrar.rulesMayRead(lab("2731-8").setEffective(endedBefore), WINDOW)).isFalse();
    }

    @Test
    void aLabWithoutEffectiveTimeMayBeReadAnUndatedProcedureNever() {
        Observation issuedOnly = lab("2731-8");
        issuedOnly.setIssuedElement(new InstantType("2026-11-20T08:00:00Z"));
        Procedure undated = new Procedure();
        undated.getCode().addCoding().setSystem("http://snomed.info/sct").setCode("265764009");

        assertThat(SubscriptionRegistrar.rulesMayRead(issuedOnly, WINDOW)).isTrue();
        // the rules cannot place a dialysis session without a time in the lookback
        assertThat(SubscriptionRegistrar.rulesMayRead(undated, WINDOW)).isFalse();
    }

    @Test
    void aTimingCannotBeToldApartAndIsWatched() {
        assertThat(SubscriptionRegistrar.rulesMayRead(lab("2731-8").setEffective(new Timing()), WINDOW)).isTrue();
    }

    @Test
    void anOrderOrStatementMayBeReadInTheStatusesInWhichItCounts() {
        assertThat(SubscriptionRegistrar.rulesMayRead(order(MedicationRequest.MedicationRequestStatus.ACTIVE), WINDOW)).isTrue();
        assertThat(SubscriptionRegistrar.rulesMayRead(order(MedicationRequest.MedicationRequestStatus.ONHOLD), WINDOW)).isTrue();
        assertThat(SubscriptionRegistrar.rulesMayRead(order(MedicationRequest.MedicationRequestStatus.STOPPED), WINDOW)).isFalse();
        assertThat(SubscriptionRegistrar.rulesMayRead(order(MedicationRequest.MedicationRequestStatus.COMPLETED), WINDOW)).isFalse();
        assertThat(SubscriptionRegistrar.rulesMayRead(new MedicationRequest(), WINDOW)).isFalse();
        assertThat(SubscriptionRegistrar.rulesMayRead(new MedicationStatement()
                .setStatus(MedicationStatement.MedicationStatementStatus.INTENDED), WINDOW)).isTrue();
        assertThat(SubscriptionRegistrar.rulesMayRead(new MedicationStatement()
                .setStatus(MedicationStatement.MedicationStatementStatus.COMPLETED), WINDOW)).isFalse();
    }

    @Test
    void aConditionMayBeReadWhenTheRulesReadItsCodeInAnySpellingOrWhenItHasNone() {
        assertThat(SubscriptionRegistrar.rulesMayRead(condition("http://snomed.info/sct", "46177005"), WINDOW)).isTrue();
        assertThat(SubscriptionRegistrar.rulesMayRead(condition("urn:oid:2.16.840.1.113883.6.96", "44054006"), WINDOW)).isTrue();
        assertThat(SubscriptionRegistrar.rulesMayRead(condition("http://hl7.org/fhir/sid/icd-10-cm", "e1165"), WINDOW)).isTrue();
        assertThat(SubscriptionRegistrar.rulesMayRead(condition(" https://snomed.info/sct/ ", "46177005"), WINDOW)).isTrue();
        // noted on the risk assessment ("Condition has no code")
        assertThat(SubscriptionRegistrar.rulesMayRead(new Condition(), WINDOW)).isTrue();

        assertThat(SubscriptionRegistrar.rulesMayRead(condition("http://snomed.info/sct", "314529007"), WINDOW))
                .as("medication review due").isFalse();
        assertThat(SubscriptionRegistrar.rulesMayRead(condition("http://snomed.info/sct", "714628002"), WINDOW))
                .as("prediabetes").isFalse();
        assertThat(SubscriptionRegistrar.rulesMayRead(condition("http://hl7.org/fhir/sid/icd-10-cm", "E66.3"), WINDOW))
                .as("overweight").isFalse();
    }

    /**
     * The Condition criteria name each SNOMED CT code the rules read as a bare value (any system matches it) and
     * ICD-10-CM as a whole system, in each spelling the rules read as it: a FHIR token search of them misses none of
     * the rules' Conditions. (That HAPI matches them so, in memory, is RestHookSubscriptionIT's.)
     */
    @Test
    void theConditionCriteriaMatchEveryCodeTheRulesReadInEverySpellingOfItsSystem() {
        String criteria = SubscriptionRegistrar.watches(WINDOW).stream().filter(w -> w.tag().equals("Condition"))
                .findFirst().orElseThrow().criteria();
        assertThat(criteria).startsWith("Condition?code=").doesNotContain("&");
        List<String> tokens = List.of(criteria.substring("Condition?code=".length()).split(","));
        assertThat(tokens).contains("46177005", "44054006", "403783002", "http://hl7.org/fhir/sid/icd-10-cm|",
                "https://hl7.org/fhir/sid/icd-10-cm/|", "urn:oid:2.16.840.1.113883.6.90|");
        assertThat(tokens).noneMatch(t -> t.startsWith("E") || t.startsWith("N") || t.startsWith("Z"));

        List<String> snomed = List.of("http://snomed.info/sct", "http://snomed.info/sct/", "https://snomed.info/sct",
                "urn:oid:2.16.840.1.113883.6.96");
        List<String> icd = List.of("http://hl7.org/fhir/sid/icd-10-cm", "http://hl7.org/fhir/sid/icd-10-cm/",
                "https://hl7.org/fhir/sid/icd-10-cm", "urn:oid:2.16.840.1.113883.6.90");
        for (Concept concept : Concept.CONDITIONS) {
            for (Code code : concept.codes()) {
                List<String> systems = Icd10Cm.SYSTEM.equals(code.system()) ? icd : snomed;
                for (String system : systems) {
                    assertThat(tokens.stream().anyMatch(t -> tokenMatches(t, system, code.code())))
                            .as("%s %s|%s", concept, system, code.code()).isTrue();
                }
            }
        }
        assertThat(tokens.stream().anyMatch(t -> tokenMatches(t, "http://hl7.org/fhir/sid/icd-10-cm", "E11.65")))
                .as("a code under a prefix").isTrue();
        assertThat(tokens.stream().anyMatch(t -> tokenMatches(t, "http://snomed.info/sct", "314529007"))).isFalse();
        assertThat(tokens.stream().anyMatch(t -> tokenMatches(t, "http://hl7.org/fhir/sid/icd-10", "E11.9")))
                .as("WHO ICD-10, which the rules do not read").isFalse();
    }

    /** FHIR token search: {@code code} matches in any system, {@code system|} any code of that system. */
    private static boolean tokenMatches(String token, String system, String code) {
        int bar = token.indexOf('|');
        if (bar < 0) {
            return token.equals(code);
        }
        String tokenCode = token.substring(bar + 1);
        return token.substring(0, bar).equals(system) && (tokenCode.isEmpty() || tokenCode.equals(code));
    }

    private static Condition condition(String system, String code) {
        Condition condition = new Condition();
        condition.getCode().addCoding().setSystem(system).setCode(code);
        return condition;
    }

    @Test
    void theWindowStartsTwoDaysBeforeTheLookbackAndTheDatedCriteriaCarryIt() {
        LocalDate window = SubscriptionRegistrar.windowStart(Instant.parse("2026-11-30T10:00:00Z"), Duration.ofDays(90));
        assertThat(window).isEqualTo(LocalDate.parse("2026-08-30"));

        Map<String, String> criteria = SubscriptionRegistrar.watches(window).stream()
                .collect(Collectors.toMap(SubscriptionRegistrar.Watch::tag, SubscriptionRegistrar.Watch::criteria));
        assertThat(criteria).containsOnlyKeys("Observation", "Condition", "Procedure", "MedicationRequest",
                "MedicationStatement", "Patient");
        assertThat(criteria.get("Observation")).startsWith("Observation?code=").endsWith("&date=ge2026-08-30");
        assertThat(criteria.get("Procedure")).startsWith("Procedure?code=").endsWith("&date=ge2026-08-30");
        assertThat(criteria.get("MedicationRequest")).isEqualTo("MedicationRequest?status=active,on-hold");
        assertThat(criteria.get("MedicationStatement")).isEqualTo("MedicationStatement?status=active,intended");
        assertThat(criteria.get("Condition")).startsWith("Condition?code=");
    }

    private static MedicationRequest order(MedicationRequest.MedicationRequestStatus status) {
        return new MedicationRequest().setStatus(status);
    }

    private static Observation lab(String loinc) {
        Observation observation = new Observation();
        observation.getCode().addCoding().setSystem("http://loinc.org").setCode(loinc);
        return observation;
    }

    private static Procedure procedure(String snomed, org.hl7.fhir.r4.model.Type performed) {
        Procedure procedure = new Procedure();
        procedure.getCode().addCoding().setSystem("http://snomed.info/sct").setCode(snomed);
        procedure.setPerformed(performed);
        return procedure;
    }
}
