package calciscreen.e2e;

import static calciscreen.e2e.ClinicalData.daysAgo;
import static org.assertj.core.api.Assertions.assertThat;

import calciscreen.model.CanonicalUrls;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.Task;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * CDS Hooks feedback on the calciphylaxis-risk card, sent as an EHR sends it: accepted, overridden with a reason from
 * the card's overrideReasons, malformed, unsigned; an overridden card is not shown again for the patient until new
 * scoring evidence appears.
 */
class CdsFeedbackIT extends EndToEndTest {

    static CdsHooks cds;

    @BeforeAll
    static void cdsClient() {
        cds = new CdsHooks(stack);
    }

    String feedbackUrl() {
        return cds.serviceUrl() + "/feedback";
    }

    HttpResponse<String> feedback(String body, boolean signed) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(feedbackUrl())).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (signed) {
            request.header("Authorization", "Bearer " + CdsHooks.token(devKey(), "calciscreen-dev-ehr", feedbackUrl(),
                    Instant.now().plusSeconds(300)));
        }
        return stack.send(request.build());
    }

    static com.nimbusds.jose.jwk.ECKey devKey() {
        try {
            return com.nimbusds.jose.jwk.ECKey.parse(java.nio.file.Files.readString(
                    stack.screeningStateDir().resolve("cds-dev-client.jwk.json")));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String item(String card, String outcome, String extra) {
        return "{\"feedback\":[{\"card\":\"" + card + "\",\"outcome\":\"" + outcome + "\",\"outcomeTimestamp\":\""
                + Instant.now() + "\"" + extra + "}]}";
    }

    static String overridden(String card, String code, String comment) {
        return item(card, "overridden", ",\"overrideReason\":{\"reason\":{\"system\":\""
                + CanonicalUrls.FLAG_ACTION_REASON_SYSTEM + "\",\"code\":\"" + code + "\"},\"userComment\":\""
                + comment + "\"}");
    }

    /** ESKD + phosphate 6.2 + PTH 700: R1 3 + R3 2 + R5 2 = 7, moderate; the EHR's own data, in the prefetch. */
    static List<Resource> moderate(Patient patient) {
        List<Resource> data = new ArrayList<>();
        data.add(CdsHooksIT.esrd(patient, "c1"));
        data.add(CdsHooksIT.lab(patient, "o1", "2777-1", 6.2, "mg/dL", daysAgo(3)));
        data.add(CdsHooksIT.lab(patient, "o2", "2731-8", 700, "pg/mL", daysAgo(3)));
        return data;
    }

    static List<JsonNode> cards(List<Resource> data, Patient patient) {
        HttpResponse<String> response = cds.call(CdsHooks.withPrefetch(patient, data).toString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        List<JsonNode> cards = new ArrayList<>();
        CdsHooks.json(response).get("cards").forEach(cards::add);
        return cards;
    }

    static Patient patient(String name) {
        return CdsHooksIT.patient(name + "-" + System.nanoTime(), AdministrativeGender.MALE);
    }

    @Test
    void theCardOffersTheReasonListAndAnAcceptedCardIsStoredAndStillShown() {
        Patient patient = patient("fb-accept");
        List<JsonNode> first = cards(moderate(patient), patient);
        assertThat(first).hasSize(1);
        JsonNode reasons = first.get(0).get("overrideReasons");
        assertThat(reasons.isArray()).isTrue();
        List<String> codes = new ArrayList<>();
        reasons.forEach(r -> codes.add(r.get("code").asText()));
        assertThat(codes).contains("already-managed", "goals-of-care", "other");

        String uuid = first.get(0).get("uuid").asText();
        HttpResponse<String> stored = feedback(item(uuid, "accepted", ""), true);
        assertThat(stored.statusCode()).as(stored.body()).isEqualTo(200);
        assertThat(feedback(item(uuid, "accepted", ""), true).statusCode()).isEqualTo(200); // a resend
        Bundle tasks = client.search().byUrl("Task?identifier=" + CanonicalUrls.FLAG_ACTION_IDENTIFIER_SYSTEM + "|"
                + uuid + "/card-accepted").returnBundle(Bundle.class).execute();
        assertThat(tasks.getEntry()).hasSize(1); // stored once
        Task task = (Task) tasks.getEntryFirstRep().getResource();
        assertThat(task.getGroupIdentifier().getValue()).isEqualTo(patient.getIdElement().getIdPart());
        assertThat(cards(moderate(patient), patient)).hasSize(1);
    }

    @Test
    void anOverriddenCardIsQuietUntilNewScoringEvidenceAppears() {
        Patient patient = patient("fb-override");
        List<Resource> data = moderate(patient);
        String uuid = cards(data, patient).get(0).get("uuid").asText();
        HttpResponse<String> stored = feedback(overridden(uuid, "already-managed", "followed in renal clinic"), true);
        assertThat(stored.statusCode()).as(stored.body()).isEqualTo(200);
        Task task = (Task) client.search().byUrl("Task?identifier=" + CanonicalUrls.FLAG_ACTION_IDENTIFIER_SYSTEM + "|"
                + uuid + "/card-overridden").returnBundle(Bundle.class).execute().getEntryFirstRep().getResource();
        assertThat(task.getReasonCode().getCodingFirstRep().getCode()).isEqualTo("already-managed");
        assertThat(task.getReasonCode().getText()).isEqualTo("followed in renal clinic");

        assertThat(cards(data, patient)).isEmpty();
        // a newer PTH that scores too is new evidence: the card is back
        data.add(CdsHooksIT.lab(patient, "o3", "2731-8", 800, "pg/mL", daysAgo(1)));
        assertThat(cards(data, patient)).hasSize(1);
    }

    @Test
    void malformedFeedbackIs400AndUnsignedIs401AndAnUnknownCardIs404() {
        HttpResponse<String> malformed = feedback("{\"feedback\":[{\"card\":\"x\",\"outcome\":\"maybe\"}]}", true);
        assertThat(malformed.statusCode()).as(malformed.body()).isEqualTo(400);
        assertThat(CdsHooks.json(malformed).get("message").asText()).contains("`accepted` or `overridden`");
        assertThat(feedback("not json", true).statusCode()).isEqualTo(400);
        HttpResponse<String> unsigned = feedback(item("x", "accepted", ""), false);
        assertThat(unsigned.statusCode()).isEqualTo(401);
        assertThat(unsigned.headers().firstValue("WWW-Authenticate")).isPresent();
        assertThat(feedback(item("no-such-card", "accepted", ""), true).statusCode()).isEqualTo(404);
    }
}
