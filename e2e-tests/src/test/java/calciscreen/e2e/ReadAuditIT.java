package calciscreen.e2e;

import static calciscreen.e2e.ClinicalData.daysAgo;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;

/**
 * Reads of patient data are audited where the writes are, in the FHIR server's audit trail (IHE BALP): here a CDS
 * call that returned a card, naming the person at the chart ({@code context.userId}) and the EHR client; one that
 * returned none leaves no record.
 */
class ReadAuditIT extends EndToEndTest {

    @Test
    void aCdsCallThatReturnsACardIsAuditedNamingTheUserAndTheClient() {
        CdsHooks cds = new CdsHooks(stack);
        String id = "audit-" + UUID.randomUUID().toString().substring(0, 8);
        Patient patient = CdsHooksIT.patient(id, AdministrativeGender.FEMALE);
        List<Resource> data = List.of(CdsHooksIT.esrd(patient, "c1"),
                CdsHooksIT.lab(patient, "o1", "2777-1", 6.2, "mg/dL", daysAgo(3)),
                CdsHooksIT.lab(patient, "o2", "2731-8", 700, "pg/mL", daysAgo(3)));
        HttpResponse<String> answer = cds.call(CdsHooks.withPrefetch(patient, data).toString());
        assertThat(CdsHooks.json(answer).get("cards")).hasSize(1);

        List<AuditEvent> reads = readsOf(id);
        assertThat(reads).hasSize(1);
        AuditEvent read = reads.get(0);
        assertThat(read.getAction()).isEqualTo(AuditEvent.AuditEventAction.R);
        assertThat(read.getSubtypeFirstRep().getCode()).isEqualTo("read");
        assertThat(read.getAgent()).anySatisfy(agent -> {
            assertThat(agent.getRequestor()).isTrue();
            assertThat(agent.getWho().getIdentifier().getValue()).isEqualTo("Practitioner/example");
            assertThat(agent.getWho().getReference()).as("by identifier: never blocks a delete").isNull();
        });
        assertThat(read.getAgent()).anySatisfy(agent -> assertThat(agent.getWho().getIdentifier().getValue())
                .isEqualTo("calciscreen-dev-ehr"));
        assertThat(read.getSource().getObserver().getDisplay()).as("stamped by the server").isEqualTo("calciscreen-screening");

        String low = "audit-low-" + UUID.randomUUID().toString().substring(0, 8);
        Patient healthy = CdsHooksIT.patient(low, AdministrativeGender.MALE);
        HttpResponse<String> none = cds.call(CdsHooks.withPrefetch(healthy, List.of()).toString());
        assertThat(CdsHooks.json(none).get("cards")).isEmpty();
        assertThat(readsOf(low)).as("no card, nothing shown, nothing to audit").isEmpty();
    }

    static List<AuditEvent> readsOf(String patientId) {
        Bundle found = client.search().byUrl("AuditEvent?subtype=read&_sort=-date&_count=100")
                .returnBundle(Bundle.class).execute();
        return found.getEntry().stream().map(e -> (AuditEvent) e.getResource())
                .filter(e -> e.getEntity().stream().anyMatch(en -> en.getWhat().hasIdentifier()
                        && ("Patient/" + patientId).equals(en.getWhat().getIdentifier().getValue())))
                .toList();
    }
}
