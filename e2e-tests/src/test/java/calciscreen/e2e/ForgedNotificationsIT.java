package calciscreen.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Collections;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Flag;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Quantity;
import org.junit.jupiter.api.Test;

/**
 * What a Flag is computed from is exactly what the server stores, whatever reaches {@code /fhir-notify}: even with a
 * Subscription's secret (as if it had leaked), a forged payload for a stored result, or one for a result the server
 * does not have, neither raises nor lowers the Flag, now or after a reconciliation pass. Each Subscription's secret
 * opens its own notifications only, and only from the loopback (the server delivers over localhost).
 */
class ForgedNotificationsIT extends EndToEndTest {

    @Test
    void forgedPayloadsNeitherRaiseNorLowerAFlagEvenWithAValidSecret() {
        String patient = post(ReliabilityIT.moderatePatient());
        flags.await(patient, f -> Flags.priority(f).equals(java.util.Optional.of("PM")), SecurityIT.WAIT);
        Observation pth = (Observation) client.search().forResource(Observation.class)
                .where(Observation.SUBJECT.hasId("Patient/" + patient)).returnBundle(Bundle.class).execute()
                .getEntryFirstRep().getResource();

        Observation lowered = pth.copy(); // the stored version's id and versionId, a harmless value
        lowered.setValue(new Quantity().setValue(20).setUnit("pg/mL").setSystem("http://unitsofmeasure.org").setCode("pg/mL"));
        String forgedId = "forged-" + UUID.randomUUID();
        Observation invented = ClinicalData.observation("Patient/" + patient, "17861-6", 13.5, "mg/dL", ClinicalData.daysAgo(1));
        invented.setId(forgedId);
        invented.getMeta().setVersionId("1");
        Observation phosphate = ClinicalData.observation("Patient/" + patient, "2777-1", 9.5, "mg/dL", ClinicalData.daysAgo(1));
        phosphate.setId(forgedId + "-p");
        // claims the stored transaction's stamp: taken as already in the patient's read, so never read back, and
        // never counted as that read's content either
        Observation claimsTheTransaction = invented.copy();
        claimsTheTransaction.setId("claim-" + UUID.randomUUID());
        claimsTheTransaction.getMeta().setLastUpdated(pth.getMeta().getLastUpdated());
        double inReadBefore = inRead();

        for (Observation forged : new Observation[] {lowered, invented, phosphate, claimsTheTransaction}) {
            assertThat(notify(forged.getIdElement().getIdPart(), Stack.FHIR.newJsonParser().encodeResourceToString(forged),
                    stack.notificationSecretHeader("Observation")).statusCode()).isEqualTo(200);
        }
        if (stack.screeningLog().filter(line -> line.contains("event=screened patient=" + patient + " ")).count() == 1) {
            // read once, after its transaction's stamp arrived: the two payloads claiming that stamp (the stored copy
            // and the invented one) are taken as in that read; a reconciliation pass that met the transaction before
            // its notifications would have read the patient again, with no stamp, and both are then read back
            assertThat(inRead()).as("payloads claiming the stamp of a read").isEqualTo(inReadBefore + 2);
        }
        Stack.sleep(25_000); // past the stack's reconciliation period (20 s)
        Flag flag = flags.of(patient).get(0);
        assertThat(Flags.priority(flag)).as("PTH 700 as stored, no invented calcium or phosphate").contains("PM");
        assertThat(Flags.evidence(flag)).noneMatch(reference -> reference.contains(forgedId)
                || reference.contains(claimsTheTransaction.getIdElement().getIdPart()));
        assertThat(stack.screeningLog().filter(line -> line.contains("event=notification_dropped")
                && line.contains(forgedId))).hasSize(2);
    }

    @Test
    void aSubscriptionsSecretOpensOnlyItsOwnNotifications() {
        String observationSecret = stack.notificationSecretHeader("Observation")[1];
        HttpResponse<String> asPatient = notifyType("Patient", "p-1", "{\"resourceType\":\"Patient\",\"id\":\"p-1\"}",
                new String[] {"X-Calciscreen-Notification-Secret", observationSecret});
        assertThat(asPatient.statusCode()).isEqualTo(401);
    }

    @Test
    void aNotificationFromOutsideTheLoopbackIsRefused() throws Exception {
        InetAddress outside = Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
                .flatMap(i -> Collections.list(i.getInetAddresses()).stream())
                .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress())
                .findFirst().orElseThrow(() -> new AssertionError("this machine has no non-loopback IPv4 address"));
        String port = stack.screeningBase().substring(stack.screeningBase().lastIndexOf(':') + 1);
        HttpResponse<String> answer = stack.send(HttpRequest.newBuilder(URI.create("http://" + outside.getHostAddress()
                        + ":" + port + "/fhir-notify")).headers(stack.notificationSecretHeader("Observation"))
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        assertThat(answer.statusCode()).isEqualTo(401);
        assertThat(stack.screeningLog().filter(line -> line.contains("reason=not_from_loopback"))).isNotEmpty();
    }

    /** {@code calciscreen_notifications_in_read_total}: notifications taken as already in their patient's read. */
    private static double inRead() {
        String metrics = stack.send(HttpRequest.newBuilder(URI.create(stack.screeningBase() + "/actuator/prometheus"))
                .header("Authorization", "Bearer " + stack.token("calciscreen-admin")).build()).body();
        return SignInBrowserIT.metric(metrics, "calciscreen_notifications_in_read_total");
    }

    private static HttpResponse<String> notify(String id, String body, String[] secret) {
        return notifyType("Observation", id, body, secret);
    }

    private static HttpResponse<String> notifyType(String type, String id, String body, String[] secret) {
        return stack.send(HttpRequest.newBuilder(URI.create(stack.screeningBase() + "/fhir-notify/" + type + "/" + id))
                .header("Content-Type", "application/fhir+json").headers(secret)
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build());
    }
}
