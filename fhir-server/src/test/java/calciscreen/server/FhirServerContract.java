package calciscreen.server;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleType;
import org.hl7.fhir.r4.model.Bundle.HTTPVerb;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * What the FHIR server must do on any database it runs on. Each subclass boots the real server
 * (Spring Boot, HAPI JPA, Tomcat on a random port) against one database and runs every test here over HTTP.
 */
abstract class FhirServerContract extends FhirServerTestBase {

    @Test
    void metadataAnswersAnR4CapabilityStatement() {
        CapabilityStatement capabilities = client.capabilities().ofType(CapabilityStatement.class).execute();
        assertThat(capabilities.getFhirVersion().toCode()).isEqualTo("4.0.1");
        assertThat(capabilities.getRestFirstRep().getResource())
                .extracting(r -> r.getType())
                .contains("Observation", "Condition", "Patient", "Flag", "RiskAssessment", "Subscription");
    }

    @Test
    void createReadAndSearchObservationByPatientCodeAndDate() {
        IdType patient = createPatient();
        IdType calcium = createLab(patient, "17861-6", 10.4, "mg/dL", "2026-03-01T08:00:00Z");
        createLab(patient, "2777-1", 6.1, "mg/dL", "2026-03-01T08:00:00Z");
        createLab(patient, "17861-6", 9.1, "mg/dL", "2025-01-01T08:00:00Z");
        createLab(createPatient(), "17861-6", 11.0, "mg/dL", "2026-03-01T08:00:00Z");

        Observation read = client.read().resource(Observation.class).withId(calcium.toUnqualifiedVersionless()).execute();
        assertThat(read.getValueQuantity().getValue()).isEqualByComparingTo("10.4");

        Bundle found = client.search().forResource(Observation.class)
                .where(Observation.SUBJECT.hasId(patient.toUnqualifiedVersionless()))
                .and(Observation.CODE.exactly().systemAndCode(LOINC, "17861-6"))
                .and(Observation.DATE.afterOrEquals().day("2026-01-01"))
                .returnBundle(Bundle.class)
                .execute();
        assertThat(found.getEntry()).hasSize(1);
        assertThat(found.getEntryFirstRep().getResource().getIdElement().getIdPart()).isEqualTo(calcium.getIdPart());
    }

    @Test
    void searchesByLastUpdatedAndIncludesTheSubject() {
        IdType patient = createPatient();
        createLab(patient, "2731-8", 700, "pg/mL", "2026-03-02T08:00:00Z");

        Bundle found = client.search().forResource(Observation.class)
                .where(Observation.SUBJECT.hasId(patient.toUnqualifiedVersionless()))
                .and(new ca.uhn.fhir.rest.gclient.DateClientParam("_lastUpdated").afterOrEquals().day("2020-01-01"))
                .include(Observation.INCLUDE_SUBJECT)
                .returnBundle(Bundle.class)
                .execute();
        assertThat(found.getEntry()).extracting(e -> e.getResource().getResourceType().name())
                .containsExactlyInAnyOrder("Observation", "Patient");

        Bundle reverse = client.search().forResource(Patient.class)
                .where(Patient.RES_ID.exactly().code(patient.getIdPart()))
                .revInclude(Observation.INCLUDE_SUBJECT)
                .returnBundle(Bundle.class)
                .execute();
        assertThat(reverse.getEntry()).hasSize(2);
    }

    @Test
    void transactionResolvesUrnUuidReferences() {
        String patientUrn = "urn:uuid:" + UUID.randomUUID();
        Bundle transaction = new Bundle().setType(BundleType.TRANSACTION);
        transaction.addEntry().setFullUrl(patientUrn).setResource(new Patient().setGender(AdministrativeGender.FEMALE))
                .getRequest().setMethod(HTTPVerb.POST).setUrl("Patient");
        Observation lab = lab(new IdType(patientUrn), "17861-6", 10.9, "mg/dL", "2026-03-03T08:00:00Z");
        lab.setSubject(new Reference(patientUrn));
        transaction.addEntry().setResource(lab).getRequest().setMethod(HTTPVerb.POST).setUrl("Observation");

        Bundle response = client.transaction().withBundle(transaction).execute();

        assertThat(response.getEntry()).allSatisfy(e -> assertThat(e.getResponse().getStatus()).startsWith("201"));
        String patientId = new IdType(response.getEntry().get(0).getResponse().getLocation()).toUnqualifiedVersionless().getValue();
        Observation stored = client.read().resource(Observation.class)
                .withUrl(response.getEntry().get(1).getResponse().getLocation()).execute();
        assertThat(stored.getSubject().getReference()).isEqualTo(patientId);
    }

    @Test
    void batchAnswersEachEntryOnItsOwn() {
        Bundle batch = new Bundle().setType(BundleType.BATCH);
        batch.addEntry().getRequest().setMethod(HTTPVerb.GET).setUrl("Observation?code=" + LOINC + "|17861-6&_count=1");
        batch.addEntry().getRequest().setMethod(HTTPVerb.GET).setUrl("Patient/does-not-exist");
        Bundle response = client.transaction().withBundle(batch).execute();
        assertThat(response.getEntry()).extracting(e -> e.getResponse().getStatus().substring(0, 3))
                .containsExactly("200", "404");
    }

    @Test
    void conditionalCreateDoesNotDuplicate() {
        String mrn = "mrn-" + UUID.randomUUID();
        Patient patient = new Patient().addIdentifier(new Identifier().setSystem("urn:test:mrn").setValue(mrn));

        MethodOutcome first = client.create().resource(patient).conditionalByUrl("Patient?identifier=urn:test:mrn|" + mrn).execute();
        MethodOutcome second = client.create().resource(patient).conditionalByUrl("Patient?identifier=urn:test:mrn|" + mrn).execute();

        assertThat(first.getCreated()).isTrue();
        assertThat(second.getCreated()).isNotEqualTo(Boolean.TRUE);
        assertThat(second.getId().getIdPart()).isEqualTo(first.getId().getIdPart());
        Bundle found = client.search().forResource(Patient.class)
                .where(Patient.IDENTIFIER.exactly().systemAndIdentifier("urn:test:mrn", mrn))
                .returnBundle(Bundle.class).execute();
        assertThat(found.getEntry()).hasSize(1);
    }

    @Test
    void conditionalUpdateCreatesThenUpdatesTheSameResource() {
        String mrn = "mrn-" + UUID.randomUUID();
        String match = "Patient?identifier=urn:test:mrn|" + mrn;
        Patient patient = new Patient().addIdentifier(new Identifier().setSystem("urn:test:mrn").setValue(mrn));
        MethodOutcome created = client.update().resource(patient).conditionalByUrl(match).execute();
        patient.setGender(AdministrativeGender.MALE);
        MethodOutcome updated = client.update().resource(patient).conditionalByUrl(match).execute();
        assertThat(updated.getId().getIdPart()).isEqualTo(created.getId().getIdPart());
        assertThat(updated.getId().getVersionIdPart()).isEqualTo("2");
    }

    @Test
    void updateWithAStaleIfMatchIsRefusedWith412() throws Exception {
        IdType v1 = createPatient();
        String path = "/Patient/" + v1.getIdPart();
        String body = "{\"resourceType\":\"Patient\",\"id\":\"" + v1.getIdPart() + "\",\"gender\":\"other\"}";

        HttpResponse<String> current = put(path, body, "W/\"1\"");
        assertThat(current.statusCode()).isEqualTo(200);
        assertThat(current.headers().firstValue("ETag")).contains("W/\"2\"");

        HttpResponse<String> stale = put(path, body, "W/\"1\""); // this client has not seen version 2
        assertBadRequestOutcome(stale, 412);
    }

    @Test
    void historyKeepsEveryVersion() {
        Patient patient = new Patient().setGender(AdministrativeGender.FEMALE);
        IdType id = (IdType) client.create().resource(patient).execute().getId();
        patient.setId(id.toUnqualifiedVersionless());
        patient.setBirthDateElement(new org.hl7.fhir.r4.model.DateType("1950-02-03"));
        client.update().resource(patient).execute();
        Bundle history = client.history().onInstance(id.toUnqualifiedVersionless()).returnBundle(Bundle.class).execute();
        assertThat(history.getEntry()).hasSize(2);
    }

    @Test
    void speaksXmlToo() throws Exception {
        HttpResponse<String> response = get("/Patient?_count=1", "application/fhir+xml");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).contains("xml");
        assertThat(response.body()).contains("<Bundle xmlns=\"http://hl7.org/fhir\"");
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @CsvSource(delimiter = '|', value = {
        "invalid JSON              | /Observation | 400 | application/fhir+json | {\"resourceType\":\"Observation\",",
        "unknown resource type     | /Foo         | 404 | application/fhir+json | {\"resourceType\":\"Foo\"}",
        "wrong content type        | /Observation | 400 | text/plain            | hello",
        "resource type mismatch    | /Observation | 400 | application/fhir+json | {\"resourceType\":\"Patient\"}",
        "invalid element value     | /Observation | 400 | application/fhir+json | {\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"text\":\"x\"},\"effectiveDateTime\":\"yesterday\"}",
    })
    void malformedInputGetsA4xxWithAnOperationOutcome(String what, String path, int status, String contentType, String body)
            throws Exception {
        HttpResponse<String> response = post(path, contentType, HttpRequest.BodyPublishers.ofString(body));
        assertBadRequestOutcome(response, status);
    }

    /** Over the default limit (32 MB, sized for a patient's 2-year record in one transaction). */
    private static final int OVER_THE_LIMIT = 33 * 1024 * 1024;

    @Test
    void oversizedBodyGets413WithAnOperationOutcome() throws Exception {
        byte[] body = new byte[OVER_THE_LIMIT];
        java.util.Arrays.fill(body, (byte) ' ');
        HttpResponse<String> response = post("/Observation", "application/fhir+json", HttpRequest.BodyPublishers.ofByteArray(body));
        assertBadRequestOutcome(response, 413);
    }

    @Test
    void oversizedChunkedBodyGets413Too() throws Exception {
        byte[] chunk = new byte[1024 * 1024];
        java.util.Arrays.fill(chunk, (byte) ' ');
        List<byte[]> chunks = java.util.Collections.nCopies(OVER_THE_LIMIT / chunk.length, chunk);
        // ofByteArrays has no declared length, so the JDK client sends it chunked
        HttpResponse<String> response = post("/Observation", "application/fhir+json", HttpRequest.BodyPublishers.ofByteArrays(chunks));
        assertBadRequestOutcome(response, 413);
    }

    @Test
    void gzipBodyInflatingPastTheLimitGets413() throws Exception {
        // a valid Observation of 33 MB that compresses to ~33 KB: the limit is on what the server would parse
        String note = "a".repeat(OVER_THE_LIMIT);
        String json = "{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"text\":\"bomb\"},"
                + "\"note\":[{\"text\":\"" + note + "\"}]}";
        HttpResponse<String> response = postGzip("/Observation", json);
        assertBadRequestOutcome(response, 413);
    }

    @Test
    void gzipBodyWithinTheLimitIsStoredAsSent() throws Exception {
        String json = "{\"resourceType\":\"Patient\",\"gender\":\"female\",\"birthDate\":\"1951-04-05\"}";
        HttpResponse<String> response = postGzip("/Patient", json);
        assertThat(response.statusCode()).isEqualTo(201);
        Patient stored = client.read().resource(Patient.class)
                .withUrl(response.headers().firstValue("Location").orElseThrow()).execute();
        assertThat(stored.getBirthDateElement().getValueAsString()).isEqualTo("1951-04-05");
    }

    @Test
    void unsupportedContentEncodingGets415() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base() + "/Patient"))
                        .header("Content-Type", "application/fhir+json")
                        .header("Content-Encoding", "br")
                        .header("Authorization", "Bearer " + token)
                        .POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertBadRequestOutcome(response, 415);
    }

    private HttpResponse<String> postGzip(String path, String json) throws Exception {
        java.io.ByteArrayOutputStream compressed = new java.io.ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream gzip = new java.util.zip.GZIPOutputStream(compressed)) {
            gzip.write(json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        return http.send(HttpRequest.newBuilder(URI.create(base() + path))
                        .header("Content-Type", "application/fhir+json")
                        .header("Content-Encoding", "gzip")
                        .header("Accept", "application/fhir+json")
                        .header("Authorization", "Bearer " + token)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(compressed.toByteArray())).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void healthIncludesTheDatabase() throws Exception {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"status\":\"UP\"").contains("\"db\":{\"status\":\"UP\"");
    }
}
