package calciscreen.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import ca.uhn.fhir.rest.server.exceptions.PreconditionFailedException;
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
 * A FHIR client and raw HTTP helpers for tests that boot the real server on a free port. Security is on, as in
 * production: the client and the helpers carry the operator's token (SMART Backend Services against the embedded
 * authorization server, with the key it generates for {@code calciscreen-admin}).
 */
abstract class FhirServerTestBase {

    static final FhirContext FHIR = FhirContext.forR4Cached();
    static final String LOINC = "http://loinc.org";

    @LocalServerPort
    int port;

    @org.springframework.beans.factory.annotation.Value("${calciscreen.auth.key-dir}")
    java.nio.file.Path keyDir;

    IGenericClient client;
    String token;
    final HttpClient http = HttpClient.newHttpClient();

    /**
     * The issuer and the audience are URLs with the port in them, so the port is chosen before the server starts;
     * each test context keeps its own keys.
     */
    @org.springframework.test.context.DynamicPropertySource
    static void portAndKeys(org.springframework.test.context.DynamicPropertyRegistry registry) throws Exception {
        int free;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            free = socket.getLocalPort();
        }
        java.nio.file.Path keys = java.nio.file.Files.createTempDirectory(java.nio.file.Path.of("target"), "auth-");
        registry.add("server.port", () -> free);
        registry.add("calciscreen.auth.key-dir", keys::toString);
    }

    @BeforeEach
    void connect() {
        FHIR.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
        token = new calciscreen.smart.SmartBackendClient(base(), "calciscreen-admin",
                calciscreen.smart.SigningKey.read(keyDir.resolve("clients").resolve("calciscreen-admin.jwk")), List.of())
                .accessToken();
        client = FHIR.newRestfulGenericClient(base());
        client.registerInterceptor(new ca.uhn.fhir.rest.client.interceptor.BearerTokenAuthInterceptor(token));
    }

    String base() {
        return "http://localhost:" + port + "/fhir";
    }

    void assertBadRequestOutcome(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.body()).doesNotContain("\tat ").doesNotContain("Exception:");
        OperationOutcome outcome = FHIR.newJsonParser().parseResource(OperationOutcome.class, response.body());
        assertThat(outcome.getIssueFirstRep().getSeverity()).isEqualTo(OperationOutcome.IssueSeverity.ERROR);
        assertThat(outcome.getIssueFirstRep().getDiagnostics()).isNotBlank();
    }

    HttpResponse<String> post(String path, String contentType, HttpRequest.BodyPublisher body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base() + path))
                        .header("Content-Type", contentType)
                        .header("Accept", "application/fhir+json")
                        .header("Authorization", "Bearer " + token)
                        .POST(body).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> put(String path, String body, String ifMatch) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base() + path))
                        .header("Content-Type", "application/fhir+json")
                        .header("Authorization", "Bearer " + token)
                        .header("If-Match", ifMatch)
                        .PUT(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path, String accept) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base() + path)).header("Accept", accept)
                        .header("Authorization", "Bearer " + token).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    IdType createPatient() {
        return (IdType) client.create().resource(new Patient().setGender(AdministrativeGender.FEMALE)).execute().getId();
    }

    IdType createLab(IdType patient, String loinc, double value, String unit, String when) {
        return (IdType) client.create().resource(lab(patient, loinc, value, unit, when)).execute().getId();
    }

    static Observation lab(IdType patient, String loinc, double value, String unit, String when) {
        Observation lab = new Observation();
        lab.setStatus(Observation.ObservationStatus.FINAL);
        lab.setCode(new CodeableConcept(new Coding(LOINC, loinc, null)));
        lab.setSubject(new Reference(patient.toUnqualifiedVersionless()));
        lab.setEffective(new DateTimeType(when));
        lab.setValue(new Quantity().setValue(value).setUnit(unit).setSystem("http://unitsofmeasure.org").setCode(unit));
        return lab;
    }
}
