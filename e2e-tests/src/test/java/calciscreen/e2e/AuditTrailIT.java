package calciscreen.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import calciscreen.smart.SigningKey;
import calciscreen.smart.SmartBackendClient;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The audit trail is append-only: no client updates, patches or deletes an AuditEvent, not even an operator with
 * {@code system/*.cruds}; creating one needs the explicit scope {@code system/AuditEvent.c} (no wildcard implies it),
 * and the server then names the client that submitted it, whatever the body claims.
 */
class AuditTrailIT extends EndToEndTest {

    static final String FORGED = "{\"resourceType\":\"AuditEvent\",\"type\":{\"system\":"
            + "\"http://terminology.hl7.org/CodeSystem/audit-event-type\",\"code\":\"rest\"},\"recorded\":\"2026-01-01T00:00:00Z\","
            + "\"agent\":[{\"who\":{\"identifier\":{\"system\":\"%s\",\"value\":\"calciscreen-lab\"}},\"name\":\"calciscreen-lab\","
            + "\"altId\":\"calciscreen-lab\",\"requestor\":true}],"
            + "\"source\":{\"observer\":{\"display\":\"calciscreen-lab\"}},"
            + "\"entity\":[{\"what\":{\"identifier\":{\"system\":\"%s\",\"value\":\"Patient/%s\"}}}]}";
    static FhirHttp http;

    @BeforeAll
    static void raw() {
        http = new FhirHttp(stack);
    }

    @Test
    void noClientMayUpdatePatchOrDeleteAnAuditEventNotEvenAnOperator() {
        String patient = client.create().resource(new Patient()).execute().getId().getIdPart();
        AuditEvent event = auditEventsNaming("Patient/" + patient).get(0);
        String id = event.getIdElement().getIdPart();
        String operator = stack.token("calciscreen-admin");

        HttpResponse<String> update = http.send("PUT", "/AuditEvent/" + id,
                Stack.FHIR.newJsonParser().encodeResourceToString(event.setOutcomeDesc("edited")), operator);
        HttpResponse<String> patch = http.send("PATCH", "/AuditEvent/" + id,
                "[{\"op\":\"add\",\"path\":\"/outcomeDesc\",\"value\":\"edited\"}]", operator);
        HttpResponse<String> delete = http.send("DELETE", "/AuditEvent/" + id, "", operator);
        HttpResponse<String> conditionalDelete = http.send("DELETE", "/AuditEvent?entity-id=Patient/" + patient, "", operator);
        HttpResponse<String> inATransaction = http.send("POST", "", "{\"resourceType\":\"Bundle\",\"type\":\"transaction\","
                + "\"entry\":[{\"request\":{\"method\":\"DELETE\",\"url\":\"AuditEvent/" + id + "\"}}]}", operator);

        for (HttpResponse<String> answer : List.of(update, patch, delete, conditionalDelete, inATransaction)) {
            assertThat(answer.statusCode()).isEqualTo(403);
            assertThat(answer.body()).contains("\"resourceType\":\"OperationOutcome\"");
        }
        AuditEvent now = client.read().resource(AuditEvent.class).withId(id).execute();
        assertThat(now.getMeta().getVersionId()).isEqualTo("1");
        assertThat(now.hasOutcomeDesc()).isFalse();
    }

    @Test
    void anOperatorsWildcardScopeDoesNotCreateAuditEvents() {
        String patient = client.create().resource(new Patient()).execute().getId().getIdPart();
        HttpResponse<String> forged = http.send("POST", "/AuditEvent", forged(patient), stack.token("calciscreen-admin"));
        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(auditEventsNaming("Patient/" + patient)).as("only the server's record of the Patient's create")
                .hasSize(1);
    }

    @Test
    void anAuditEventTheScreeningSubmitsNamesTheScreeningWhateverItsBodySays() {
        String patient = client.create().resource(new Patient()).execute().getId().getIdPart();
        HttpResponse<String> created = http.send("POST", "/AuditEvent", forged(patient), screeningToken("system/AuditEvent.c"));
        assertThat(created.statusCode()).isEqualTo(201);

        List<AuditEvent> naming = auditEventsNaming("Patient/" + patient);
        AuditEvent submitted = naming.stream().filter(event -> !event.getAgent().isEmpty()
                && event.getAgent().stream().noneMatch(agent -> "calciscreen-fhir-server".equals(agent.getWho().getDisplay())))
                .findFirst().orElseThrow();
        assertThat(submitted.getAgent()).extracting(AuditEvent.AuditEventAgentComponent::getName)
                .contains("calciscreen-screening").doesNotContain("calciscreen-lab");
        assertThat(submitted.getSource().getObserver().getDisplay()).isEqualTo("calciscreen-screening");
        String auditEvent = submitted.getIdElement().toUnqualifiedVersionless().getValue();
        assertThat(auditEventsNaming(auditEvent)).as("the create of an AuditEvent is itself audited").singleElement()
                .satisfies(event -> assertThat(event.getAgentFirstRep().getName()).isEqualTo("calciscreen-screening"));
    }

    static String screeningToken(String... scopes) {
        return new SmartBackendClient(stack.fhirBase(), "calciscreen-screening",
                SigningKey.read(stack.screeningStateDir().resolve("client-key.jwk")), List.of(scopes)).accessToken();
    }

    static String forged(String patient) {
        return String.format(FORGED, stack.fhirBase().replace("/fhir", ""), stack.fhirBase(), patient);
    }

    static List<AuditEvent> auditEventsNaming(String entity) {
        return client.search().forResource(AuditEvent.class)
                .where(new ca.uhn.fhir.rest.gclient.TokenClientParam("entity-id").exactly().code(entity))
                .returnBundle(Bundle.class).execute().getEntry().stream()
                .map(entry -> (AuditEvent) entry.getResource()).toList();
    }
}
