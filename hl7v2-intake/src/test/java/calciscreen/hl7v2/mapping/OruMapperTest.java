package calciscreen.hl7v2.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.model.v251.message.ADT_A01;
import ca.uhn.hl7v2.model.v251.message.ORU_R01;
import calciscreen.hl7v2.IntakeProperties.Facility;
import calciscreen.hl7v2.demo.Examples;
import calciscreen.hl7v2.mllp.BoundedMllp;
import calciscreen.hl7v2.mllp.MllpListener;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Observation.ObservationStatus;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Range;
import org.hl7.fhir.r4.model.Specimen;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The V2-to-FHIR mapping of the shipped messages, and what it refuses (AR) and where. */
class OruMapperTest {

    static final HapiContext HAPI = MllpListener.context(new BoundedMllp(1 << 20, Duration.ofSeconds(5), () -> {}), null);
    static final Facility PARIS = new Facility(Map.of(), Map.of("CA", "17861-6"), "Europe/Paris");
    static final LocalDate DAY = LocalDate.of(2026, 11, 20);

    static Transaction map(String message, Facility facility) throws Exception {
        Message parsed = HAPI.getGenericParser().parse(message);
        MessageFacts facts = MessageFacts.of(parsed);
        facts.requireSupported();
        Transaction.Builder tx = new Transaction.Builder();
        if (parsed instanceof ORU_R01 oru) {
            OruMapper.map(oru, facts, facility, tx);
        } else {
            AdtMapper.map((ADT_A01) parsed, facts, facility, tx);
        }
        return tx.build();
    }

    static Transaction example(String name) throws Exception {
        return map(Examples.load(name, DAY, "").get(0), PARIS);
    }

    static String changed(String name, String from, String to) {
        String message = Examples.load(name, DAY, "").get(0);
        assertThat(message).contains(from);
        return message.replace(from, to);
    }

    static <T> List<T> all(Transaction tx, Class<T> type) {
        return tx.bundle().getEntry().stream().map(BundleEntryComponent::getResource).filter(type::isInstance)
                .map(type::cast).toList();
    }

    static BundleEntryComponent entryOf(Transaction tx, Class<?> type) {
        return tx.bundle().getEntry().stream().filter(e -> type.isInstance(e.getResource())).findFirst().orElseThrow();
    }

    @Test
    void aRenalPanelIsOneTransactionOfPatientOrderSpecimenReportAndResults() throws Exception {
        Transaction tx = example("02-oru-renal-panel");
        assertThat(tx.bundle().getType()).isEqualTo(Bundle.BundleType.TRANSACTION);
        assertThat(tx.results()).isEqualTo(3);
        assertThat(tx.patientKeys()).containsExactly(
                "http://calciscreen.example/fhir/sid/hl7v2-patient/CITYHOSP|100001");

        BundleEntryComponent patient = entryOf(tx, Patient.class);
        assertThat(patient.getRequest().getMethod()).isEqualTo(Bundle.HTTPVerb.POST);
        assertThat(patient.getRequest().getIfNoneExist())
                .isEqualTo("identifier=http%3A%2F%2Fcalciscreen.example%2Ffhir%2Fsid%2Fhl7v2-patient%2FCITYHOSP|100001");
        assertThat(((Patient) patient.getResource()).getGender()).isEqualTo(AdministrativeGender.FEMALE);
        assertThat(((Patient) patient.getResource()).getBirthDateElement().getValueAsString()).isEqualTo("1958-02-14");

        Observation calcium = all(tx, Observation.class).get(0);
        assertThat(calcium.getIdentifierFirstRep().getSystem())
                .isEqualTo("http://calciscreen.example/fhir/sid/hl7v2-result/CITYHOSP");
        assertThat(calcium.getIdentifierFirstRep().getValue()).isEqualTo("FL-5001^CITYLAB/17861-6/");
        assertThat(calcium.getCode().getCodingFirstRep().getSystem()).isEqualTo("http://loinc.org");
        assertThat(calcium.getCode().getCodingFirstRep().getCode()).isEqualTo("17861-6");
        Quantity value = calcium.getValueQuantity();
        assertThat(value.getValue()).isEqualByComparingTo("10.8");
        assertThat(value.getUnit()).isEqualTo("mg/dl");
        assertThat(value.getSystem()).isEqualTo("http://unitsofmeasure.org");
        assertThat(value.getCode()).as("the screening's spelling of the unit").isEqualTo("mg/dL");
        assertThat(calcium.getReferenceRangeFirstRep().getLow().getValue()).isEqualByComparingTo("8.6");
        assertThat(calcium.getReferenceRangeFirstRep().getHigh().getValue()).isEqualByComparingTo("10.2");
        assertThat(calcium.getInterpretationFirstRep().getCodingFirstRep().getCode()).isEqualTo("H");
        assertThat(calcium.getEffectiveDateTimeType().getValueAsString()).isEqualTo("2026-11-20T08:15:00+01:00");
        assertThat(calcium.getIssued()).isEqualTo(java.time.Instant.parse("2026-11-20T08:28:00Z"));
        assertThat(calcium.getStatus()).isEqualTo(ObservationStatus.FINAL);
        assertThat(calcium.getSubject().getReference()).isEqualTo(patient.getFullUrl());

        BundleEntryComponent result = tx.bundle().getEntry().stream()
                .filter(e -> e.getResource() == calcium).findFirst().orElseThrow();
        assertThat(result.getRequest().getMethod()).isEqualTo(Bundle.HTTPVerb.PUT);
        assertThat(result.getRequest().getUrl()).as("at the id its identifier gives, no search")
                .isEqualTo("Observation/" + Transaction.idFor("Observation", calcium.getIdentifierFirstRep()))
                .matches("Observation/hl7v2-[0-9a-f]{32}");

        DiagnosticReport report = all(tx, DiagnosticReport.class).get(0);
        assertThat(report.getStatus()).isEqualTo(DiagnosticReport.DiagnosticReportStatus.FINAL);
        assertThat(report.getResult()).hasSize(3);
        assertThat(report.getCode().getCodingFirstRep().getCode()).isEqualTo("24362-6");
        Specimen specimen = all(tx, Specimen.class).get(0);
        assertThat(specimen.getType().getCodingFirstRep().getCode()).isEqualTo("SER");
        assertThat(calcium.getSpecimen().getReference()).isNotBlank();
    }

    @Test
    void aVersion23ResultInMolarUnitsWithoutAnOffsetIsReadInTheFacilitysZone() throws Exception {
        Observation pth = all(example("07-oru-pth-pmol-l-v23"), Observation.class).get(0);
        assertThat(pth.getValueQuantity().getCode()).isEqualTo("pmol/L");
        assertThat(pth.getEffectiveDateTimeType().getValueAsString()).isEqualTo("2026-11-20T08:00:00+01:00");
    }

    @Test
    void aGreaterThanValueKeepsItsComparator() throws Exception {
        Quantity pth = all(example("10-oru-greater-than-v24"), Observation.class).get(0).getValueQuantity();
        assertThat(pth.getComparator()).isEqualTo(Quantity.QuantityComparator.GREATER_THAN);
        assertThat(pth.getValue()).isEqualByComparingTo("5000");
        assertThat(pth.getCode()).isEqualTo("pg/mL");
        Observation nm = all(map(changed("03-oru-pth-pg-ml", "|NM|2731-8", "|NM|2731-8").replace("||720|", "||<5|"),
                PARIS), Observation.class).get(0);
        assertThat(nm.getValueQuantity().getComparator()).as("a comparator sent in an NM").isEqualTo(
                Quantity.QuantityComparator.LESS_THAN);
    }

    @Test
    void aStructuredNumericRangeIsARange() throws Exception {
        Observation range = all(map(changed("10-oru-greater-than-v24", "|>^5000|", "|^100^-^200|"), PARIS),
                Observation.class).get(0);
        assertThat(range.getValue()).isInstanceOf(Range.class);
        assertThat(((Range) range.getValue()).getHigh().getValue()).isEqualByComparingTo("200");
    }

    @Test
    void aLocalCodeWithALoincAlternateIsReadAsLoincAndKeepsTheLocalCode() throws Exception {
        Observation calcium = all(example("11-oru-local-code-loinc-alternate"), Observation.class).get(0);
        assertThat(calcium.getCode().getCoding()).extracting(c -> c.getSystem() + "|" + c.getCode()).containsExactly(
                "http://calciscreen.example/fhir/CodeSystem/hl7v2-local/CITYHOSP/L|CA", "http://loinc.org|17861-6");
        assertThat(calcium.getValueQuantity().getCode()).isEqualTo("mg/dL");
    }

    @Test
    void aLocalCodeAloneIsMappedToLoincByTheFacilitysTable() throws Exception {
        String localOnly = changed("11-oru-local-code-loinc-alternate",
                "CA^Calcium total^L^17861-6^Calcium [Mass/volume] in Serum or Plasma^LN", "CA^Calcium total^L");
        Observation calcium = all(map(localOnly, PARIS), Observation.class).get(0);
        assertThat(calcium.getCode().getCoding()).extracting(c -> c.getSystem() + "|" + c.getCode())
                .contains("http://loinc.org|17861-6");
        Observation unmapped = all(map(localOnly, new Facility(Map.of(), Map.of(), "UTC")), Observation.class).get(0);
        assertThat(unmapped.getCode().getCoding()).extracting(c -> c.getSystem())
                .doesNotContain("http://loinc.org");
    }

    @ParameterizedTest(name = "OBX-11 {0} -> {1}")
    @CsvSource({"F, FINAL", "C, CORRECTED", "P, PRELIMINARY", "X, CANCELLED", "D, ENTEREDINERROR", "W, ENTEREDINERROR",
            "R, PRELIMINARY", "I, REGISTERED"})
    void resultStatusFollowsTheV2ToFhirMap(String obx11, ObservationStatus status) throws Exception {
        String message = changed("03-oru-pth-pg-ml", "|HH|||F|||", "|HH|||" + obx11 + "|||");
        assertThat(all(map(message, PARIS), Observation.class).get(0).getStatus()).isEqualTo(status);
    }

    @Test
    void aDeletedResultWithoutAValueIsEnteredInError() throws Exception {
        Observation deleted = all(example("06-oru-deleted-result"), Observation.class).get(0);
        assertThat(deleted.getStatus()).isEqualTo(ObservationStatus.ENTEREDINERROR);
        assertThat(deleted.getIdentifierFirstRep().getValue()).isEqualTo("FL-5002^CITYLAB/2731-8/");
        assertThat(deleted.getNoteFirstRep().getText()).contains("wrong patient");
    }

    @Test
    void anAdtA08ReplacesTheDemographics() throws Exception {
        Transaction tx = example("04-adt-a08-sex-change");
        BundleEntryComponent patient = entryOf(tx, Patient.class);
        assertThat(patient.getRequest().getMethod()).isEqualTo(Bundle.HTTPVerb.PUT);
        assertThat(patient.getRequest().getUrl()).startsWith("Patient?identifier=");
        assertThat(((Patient) patient.getResource()).getGender()).isEqualTo(AdministrativeGender.MALE);
    }

    @ParameterizedTest(name = "{0}: AR at {3}")
    @CsvSource(delimiter = ';', value = {
            "a result without a code; 12-oru-malformed; ; OBX[2]-3",
            "no patient identifier; 02-oru-renal-panel; ||100001^^^CITYHOSP^MR||=>||||; PID-3",
            "an NM that is not a number; 02-oru-renal-panel; ||10.8|=>||ten|; OBX-5",
            "an unknown result status; 03-oru-pth-pg-ml; |HH|||F|||=>|HH|||Q|||; OBX-11",
            "an unsupported version; 03-oru-pth-pg-ml; |P|2.5.1=>|P|2.7; MSH-12",
            "no filler order number; 07-oru-pth-pmol-l-v23; |FL-5003^CITYLAB|=>||; OBR-3",
            "a value type not read; 03-oru-pth-pg-ml; |NM|2731-8=>|ED|2731-8; OBX-2",
            "a sex not in table 0001; 03-oru-pth-pg-ml; |19580214|F=>|19580214|Z; PID-8",
            "a time that is not a time; 03-oru-pth-pg-ml; |20261120081500+0100|||||=>|2026-11-20|||||; OBR-7"})
    void whatCanNeverBeStoredIsRejectedNamingTheField(String why, String example, String change, String where) {
        String message = Examples.load(example, DAY, "").get(0);
        if (change != null) {
            String[] fromTo = change.split("=>", -1);
            assertThat(message).as(why).contains(fromTo[0]);
            message = message.replace(fromTo[0], fromTo[1]);
        }
        String rejected = message;
        assertThatThrownBy(() -> map(rejected, PARIS)).as(why).isInstanceOfSatisfying(Rejection.class,
                r -> assertThat(r.where()).isEqualTo(where));
    }

    @Test
    void twoResultsWithTheSameCodeAndSubIdInOneOrderAreRefused() {
        String message = Examples.load("02-oru-renal-panel", DAY, "").get(0);
        String calcium = message.substring(message.indexOf("OBX|1|"), message.indexOf("OBX|2|"));
        String twice = message.replace("OBX|2|", calcium.replace("OBX|1|", "OBX|2|") + "OBX|3|");
        assertThatThrownBy(() -> map(twice, PARIS)).isInstanceOfSatisfying(Rejection.class,
                r -> assertThat(r.where()).isEqualTo("OBX[2]-4"));
    }
}
