package calciscreen.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Subscription;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A rest-hook Subscription sends data where it points, so its endpoint must be on the server's allow-list (here:
 * the screening's callback), only the client that created it may change it, and nobody else reads its headers
 * (where the screening's notification secret travels).
 */
class SubscriptionGuardIT extends EndToEndTest {

    static final String SUBSCRIPTION = "{\"resourceType\":\"Subscription\",\"status\":\"requested\",\"reason\":\"test\","
            + "\"criteria\":\"Observation?code=17861-6\",\"channel\":{\"type\":\"rest-hook\",\"endpoint\":\"%s\","
            + "\"payload\":\"application/fhir+json\",\"header\":[\"Authorization: Bearer stolen\"]}}";
    static FhirHttp http;

    @BeforeAll
    static void raw() {
        http = new FhirHttp(stack);
    }

    @Test
    void aRestHookToAnEndpointOffTheAllowListIsRefused() {
        String operator = stack.token("calciscreen-admin");
        for (String endpoint : List.of("http://attacker.example/hook", stack.screeningBase().replace("localhost", "127.0.0.2"),
                stack.screeningBase().replace("http://", "http://x@") + "/fhir-notify",
                "http://localhost:" + (stack.screeningPort + 1) + "/fhir-notify")) {
            HttpResponse<String> answer = http.send("POST", "/Subscription", String.format(SUBSCRIPTION, endpoint), operator);
            assertThat(answer.statusCode()).as(endpoint).isEqualTo(422);
            assertThat(answer.body()).as(endpoint).contains("allow-list");
        }
        HttpResponse<String> allowed = http.send("POST", "/Subscription",
                String.format(SUBSCRIPTION, stack.screeningBase() + "/fhir-notify"), operator);
        assertThat(allowed.statusCode()).isEqualTo(201);
        http.send("DELETE", "/Subscription/" + id(allowed), "", operator);
    }

    @Test
    void onlyTheClientThatCreatedASubscriptionChangesItAndNobodyElseReadsItsHeaders() {
        String operator = stack.token("calciscreen-admin");
        List<String> secrets = List.of("Observation", "Condition", "Procedure", "MedicationRequest", "MedicationStatement",
                "Patient").stream().map(type -> stack.notificationSecretHeader(type)[1]).toList();
        Bundle screenings = client.search().forResource(Subscription.class)
                .where(new ca.uhn.fhir.rest.gclient.TokenClientParam("_tag").exactly()
                        .systemAndCode("http://calciscreen.example/fhir/CodeSystem/subscription-owner", "calciscreen-screening"))
                .returnBundle(Bundle.class).execute();
        assertThat(screenings.getEntry()).as("the screening's Subscriptions, owned by it").isNotEmpty();
        HttpResponse<String> search = http.get("/Subscription?_count=100", operator);
        assertThat(search.statusCode()).isEqualTo(200);
        assertThat(search.body()).contains("calciscreen-screening");
        assertThat(secrets).as("one secret per Subscription").doesNotHaveDuplicates()
                .allSatisfy(secret -> assertThat(search.body()).doesNotContain(secret));

        Subscription theScreenings = (Subscription) screenings.getEntryFirstRep().getResource();
        assertThat(theScreenings.getChannel().getHeader()).isEmpty();
        String id = theScreenings.getIdElement().getIdPart();
        theScreenings.getChannel().setEndpoint(stack.screeningBase() + "/fhir-notify/elsewhere");
        HttpResponse<String> redirect = http.send("PUT", "/Subscription/" + id,
                Stack.FHIR.newJsonParser().encodeResourceToString(theScreenings), operator);
        assertThat(redirect.statusCode()).isEqualTo(403);

        HttpResponse<String> mine = http.send("POST", "/Subscription",
                String.format(SUBSCRIPTION, stack.screeningBase() + "/fhir-notify"), operator);
        assertThat(http.get("/Subscription/" + id(mine), operator).body()).as("the owner sees its own headers")
                .contains("Bearer stolen");
        HttpResponse<String> byTheScreening = http.send("PUT", "/Subscription/" + id(mine),
                http.get("/Subscription/" + id(mine), operator).body(), AuditTrailIT.screeningToken("system/Subscription.crus"));
        assertThat(byTheScreening.statusCode()).as("the screening changes only its own").isEqualTo(403);
        http.send("DELETE", "/Subscription/" + id(mine), "", operator);
    }

    private static String id(HttpResponse<String> created) {
        return new org.hl7.fhir.r4.model.IdType(created.headers().firstValue("Location").orElseThrow()).getIdPart();
    }
}
