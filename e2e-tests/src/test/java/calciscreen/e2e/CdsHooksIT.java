package calciscreen.e2e;

import static calciscreen.e2e.ClinicalData.RXNORM;
import static calciscreen.e2e.ClinicalData.SNOMED;
import static calciscreen.e2e.ClinicalData.daysAgo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.RiskAssessment;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The CDS Hooks 2.0 {@code patient-view} service of the running screening, called as an EHR calls it. */
class CdsHooksIT extends EndToEndTest {

    static CdsHooks cds;

    @BeforeAll
    static void cdsClient() {
        cds = new CdsHooks(stack);
    }

    @Test
    void discoveryListsTheServiceWithTheFieldsTheSpecRequires() {
        HttpResponse<String> response = cds.discovery();
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        JsonNode services = CdsHooks.json(response).get("services");
        assertThat(services.isArray()).isTrue();
        assertThat(services).hasSize(1);
        JsonNode service = services.get(0);
        assertThat(service.get("hook").asText()).isEqualTo("patient-view");
        assertThat(service.get("id").asText()).isEqualTo("calciphylaxis-risk");
        assertThat(service.get("description").asText()).isNotBlank();
        assertThat(service.get("title").asText()).isNotBlank();
        JsonNode prefetch = service.get("prefetch");
        assertThat(prefetch.get("patient").asText()).isEqualTo("Patient/{{context.patientId}}");
        prefetch.fields().forEachRemaining(e -> assertThat(e.getValue().asText())
                .as(e.getKey()).contains("{{context.patientId}}"));
        assertThat(prefetch.get("observations").asText()).startsWith("Observation?patient={{context.patientId}}&code=")
                .contains("2731-8", "17861-6", "2777-1", "1751-7");
        assertThat(prefetch.get("procedures").asText()).contains("302497006");
        assertThat(prefetch.get("medicationRequests").asText()).contains("status=active");
    }

    @Test
    void highRiskPrefetchGetsOneCriticalCardListingEveryRuleWithItsValueAndDate() {
        Patient patient = patient("cds-high", AdministrativeGender.FEMALE);
        Instant labDay = daysAgo(3);
        List<Resource> data = List.of(esrd(patient, "c1"), lab(patient, "o1", "17861-6", 10.8, "mg/dL", labDay),
                lab(patient, "o2", "2777-1", 6.2, "mg/dL", labDay), lab(patient, "o3", "2731-8", 700, "pg/mL", labDay),
                warfarin(patient, "m1"));
        JsonNode card = onlyCard(cds.call(CdsHooks.withPrefetch(patient, data).toString()));
        assertThat(card.get("indicator").asText()).isEqualTo("critical");
        assertThat(card.get("summary").asText()).hasSizeLessThan(140).startsWith("High calciphylaxis risk (score 13)");
        String detail = card.get("detail").asText();
        assertThat(detail).contains("R1 Kidney failure", "R2 Hypercalcemia", "R3 Hyperphosphatemia",
                "R4 Calcium-phosphate product", "R5 Hyperparathyroidism", "R7 Vitamin K antagonist", "R8 Female sex",
                "700 pg/mL", "6.2 mg/dL", "10.8 mg/dL", labDay.toString().substring(0, 10),
                "Stop warfarin", "dialysis adequacy", "skin", "PTH");
        assertThat(detail).doesNotContain("R6 ", "R9 ", "R12 ");
        assertThat(card.get("source").get("label").asText()).contains("1.0.0");
        assertThat(card.get("source").get("url").asText()).isEqualTo(stack.screeningBase() + "/worklist");
        JsonNode link = card.get("links").get(0);
        assertThat(link.get("type").asText()).as("the EHR launches it as a SMART app").isEqualTo("smart");
        assertThat(link.get("url").asText()).isEqualTo(stack.screeningBase() + "/signin/launch");
        assertThat(link.get("label").asText()).isNotBlank();
    }

    @Test
    void moderateRiskPrefetchGetsOneWarningCard() {
        Patient patient = patient("cds-moderate", AdministrativeGender.MALE);
        List<Resource> data = List.of(esrd(patient, "c1"), lab(patient, "o1", "2777-1", 6.2, "mg/dL", daysAgo(5)));
        JsonNode card = onlyCard(cds.call(CdsHooks.withPrefetch(patient, data).toString()));
        assertThat(card.get("indicator").asText()).isEqualTo("warning");
        assertThat(card.get("summary").asText()).startsWith("Moderate calciphylaxis risk (score 5)");
        assertThat(card.get("detail").asText()).contains("R1 Kidney failure", "R3 Hyperphosphatemia", "6.2 mg/dL")
                .doesNotContain("Stop warfarin");
    }

    @Test
    void lowRiskGetsNoCard() {
        Patient patient = patient("cds-low", AdministrativeGender.MALE);
        // ESRD 3 + phosphate 6.2 that is older than the lookback: score 3
        List<Resource> data = List.of(esrd(patient, "c1"), lab(patient, "o1", "2777-1", 6.2, "mg/dL", daysAgo(120)));
        assertThat(cards(cds.call(CdsHooks.withPrefetch(patient, data).toString()))).isEmpty();
    }

    @Test
    void noDataGetsAnEmptyCardList() {
        assertThat(cards(cds.call(CdsHooks.request("nobody").toString()))).isEmpty();
        Patient patient = patient("cds-empty", AdministrativeGender.FEMALE);
        assertThat(cards(cds.call(CdsHooks.withPrefetch(patient, List.of()).toString()))).isEmpty();
    }

    @Test
    void withoutPrefetchTheServiceReadsTheNamedFhirServerAndAgreesWithTheScreening() {
        String patientId = post(ClinicalData.newPatient(AdministrativeGender.FEMALE)
                .condition(SNOMED, "46177005", "End-stage renal disease")
                .lab("2777-1", 6.4, "mg/dL", daysAgo(2))
                .lab("2731-8", 640, "pg/mL", daysAgo(2))
                .warfarin());
        flags.await(patientId, Flags::active, Duration.ofSeconds(60));
        RiskAssessment assessment = flags.assessmentOf(patientId).orElseThrow();
        int score = Flags.score(assessment);

        ObjectNode request = CdsHooks.onFhirServer(CdsHooks.request(patientId), stack);
        JsonNode card = onlyCard(cds.call(request.toString()));
        assertThat(card.get("indicator").asText()).isEqualTo("critical");
        assertThat(card.get("summary").asText()).startsWith("High calciphylaxis risk (score " + score + ")");
        assertThat(card.get("detail").asText()).contains("640 pg/mL", "6.4 mg/dL");

        // the full prefetch, as an EHR fills it by running the discovery's templates on its server: the same answer
        ObjectNode filled = CdsHooks.request(patientId);
        ObjectNode prefetch = filled.putObject("prefetch");
        CdsHooks.json(cds.discovery()).get("services").get(0).get("prefetch").fields().forEachRemaining(e -> {
            String url = e.getValue().asText().replace("{{context.patientId}}", patientId);
            org.hl7.fhir.instance.model.api.IBaseResource found = url.startsWith("Patient/")
                    ? client.read().resource(Patient.class).withId(patientId).execute()
                    : client.search().byUrl(url).returnBundle(org.hl7.fhir.r4.model.Bundle.class).execute();
            prefetch.set(e.getKey(), CdsHooks.resource((Resource) found));
        });
        JsonNode fromPrefetch = onlyCard(cds.call(filled.toString()));
        assertThat(fromPrefetch.get("summary").asText()).isEqualTo(card.get("summary").asText());
        assertThat(fromPrefetch.get("detail").asText()).isEqualTo(card.get("detail").asText());

        // part of the prefetch given, the rest fetched: the same answer
        ObjectNode partial = CdsHooks.onFhirServer(CdsHooks.request(patientId), stack);
        partial.putObject("prefetch").set("patient", CdsHooks.resource(
                client.read().resource(Patient.class).withId(patientId).execute()));
        assertThat(onlyCard(cds.call(partial.toString())).get("summary").asText())
                .startsWith("High calciphylaxis risk (score " + score + ")");
    }

    @Test
    void malformedCallsGetA400SayingWhatIsWrong() {
        assertBadRequest("{\"hookInstance\":\"x\",\"context\":{\"patientId\":\"1\"}}", "missing `hook`");
        assertBadRequest("{\"hook\":\"order-sign\",\"context\":{\"patientId\":\"1\"}}", "unknown hook `order-sign`");
        assertBadRequest("{\"hook\":\"patient-view\",\"context\":{\"userId\":\"Practitioner/1\"}}",
                "missing `context.patientId`");
        assertBadRequest("{\"hook\":\"patient-view\"}", "missing `context`");
        assertBadRequest("not json", "not JSON");
        assertBadRequest("{\"hook\":\"patient-view\",\"context\":{\"patientId\":\"1\"},"
                + "\"prefetch\":{\"patient\":{\"resourceType\":\"Bundle\",\"type\":\"searchset\"}}}",
                "prefetch `patient` must be a Patient");
        assertBadRequest("{\"hook\":\"patient-view\",\"context\":{\"patientId\":\"1\"},"
                + "\"prefetch\":{\"observations\":{\"resourceType\":\"Bundle\",\"type\":\"searchset\",\"entry\":"
                + "[{\"resource\":{\"resourceType\":\"Condition\",\"id\":\"c\"}}]}}}", "prefetch `observations` holds a Condition");
        assertBadRequest("{\"hook\":\"patient-view\",\"context\":{\"patientId\":\"1\"},"
                + "\"prefetch\":{\"conditions\":[1,2]}}", "prefetch `conditions` must be a FHIR resource");
        assertBadRequest("{\"hook\":\"patient-view\",\"context\":{\"patientId\":\"1\"},"
                + "\"fhirAuthorization\":{\"access_token\":\"t\"}}", "without `fhirServer`");
    }

    @Test
    void aFhirServerOutsideTheAllowListIsRefused() {
        ObjectNode request = CdsHooks.request("1");
        request.put("fhirServer", "http://127.0.0.2:9/fhir");
        HttpResponse<String> response = cds.call(request.toString());
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(CdsHooks.json(response).get("message").asText()).contains("allow-list");
    }

    @Test
    void callsWithoutAValidClientJwtGet401() throws Exception {
        String body = CdsHooks.request("1").toString();
        assertUnauthorized(cds.call(body, null), "missing Authorization");
        assertUnauthorized(cds.call(body, "not-a-jwt"), "not a signed JWT");
        ECKey stranger = new ECKeyGenerator(Curve.P_384).keyID("stranger").generate();
        assertUnauthorized(cds.call(body, CdsHooks.token(stranger, "calciscreen-dev-ehr", cds.serviceUrl(),
                Instant.now().plusSeconds(60))), "does not match");
        assertUnauthorized(cds.call(body, CdsHooks.token(stranger, "https://unknown.example", cds.serviceUrl(),
                Instant.now().plusSeconds(60))), "not a trusted CDS client");
        ECKey dev = ECKey.parse(java.nio.file.Files.readString(stack.screeningStateDir().resolve("cds-dev-client.jwk.json")));
        assertUnauthorized(cds.call(body, CdsHooks.token(dev, "calciscreen-dev-ehr", "http://elsewhere/cds-services/x",
                Instant.now().plusSeconds(60))), "audience");
        assertUnauthorized(cds.call(body, CdsHooks.token(dev, "calciscreen-dev-ehr", cds.serviceUrl(),
                Instant.now().minusSeconds(600))), "expired");
        String once = cds.token();
        assertThat(cds.call(body, once).statusCode()).isEqualTo(200);
        assertUnauthorized(cds.call(body, once), "used before");
    }

    @Test
    void theLaunchersTokenCommandSignsAJwtTheServiceAccepts() throws Exception {
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", Stack.screeningJar(), "-Dloader.main=calciscreen.screening.cds.CdsToken",
                "org.springframework.boot.loader.launch.PropertiesLauncher",
                "--state-dir=" + stack.screeningStateDir(), "--aud=" + cds.serviceUrl()).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).isZero();
        assertThat(out.lines().toList()).hasSize(1);
        assertThat(cds.call(CdsHooks.request("1").toString(), out.trim()).statusCode()).isEqualTo(200);
    }

    @Test
    void aFhirServerThatNeverAnswersGetsNoCardWithinTheTimeBudget() throws Exception {
        List<Socket> held = new CopyOnWriteArrayList<>();
        try (ServerSocket silent = new ServerSocket(stack.silentFhirPort)) {
            Thread acceptor = new Thread(() -> {
                while (!silent.isClosed()) {
                    try {
                        held.add(silent.accept()); // accept, read nothing, answer nothing
                    } catch (IOException e) {
                        return;
                    }
                }
            }, "silent-fhir-server");
            acceptor.setDaemon(true);
            acceptor.start();
            String patientId = "silent-" + System.nanoTime();
            ObjectNode request = CdsHooks.request(patientId);
            request.put("fhirServer", stack.silentFhirBase());
            long started = System.nanoTime();
            HttpResponse<String> response = cds.call(request.toString());
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(cards(response)).isEmpty();
            // the default budget is 2 s; the answer comes right after it, not after the socket's own time-outs
            assertThat(took).isLessThan(Duration.ofMillis(3500));
            assertThat(held).isNotEmpty();
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> stack.screeningLog()
                    .anyMatch(l -> l.contains("event=cds_fetch_failed") && l.contains("patient=" + patientId)
                            && l.contains("reason=timeout")));
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
    }

    // --- helpers

    private static JsonNode onlyCard(HttpResponse<String> response) {
        List<JsonNode> cards = cards(response);
        assertThat(cards).as(response.body()).hasSize(1);
        return cards.get(0);
    }

    private static List<JsonNode> cards(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode root = CdsHooks.json(response);
        assertThat(root.has("cards")).as(response.body()).isTrue();
        List<JsonNode> cards = new ArrayList<>();
        root.get("cards").forEach(cards::add);
        for (JsonNode card : cards) {
            assertThat(card.get("summary").asText()).hasSizeLessThan(140);
            assertThat(card.get("source").get("label").asText()).isNotBlank();
        }
        return cards;
    }

    private static void assertBadRequest(String body, String message) {
        HttpResponse<String> response = cds.call(body);
        assertThat(response.statusCode()).as(body).isEqualTo(400);
        assertThat(CdsHooks.json(response).get("message").asText()).as(body).contains(message);
    }

    private static void assertUnauthorized(HttpResponse<String> response, String message) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).isPresent();
        assertThat(CdsHooks.json(response).get("message").asText()).contains(message);
    }

    static Patient patient(String id, AdministrativeGender gender) {
        Patient patient = new Patient().setGender(gender);
        patient.setId(id);
        patient.setBirthDateElement(new org.hl7.fhir.r4.model.DateType("1958-02-11"));
        return patient;
    }

    static Condition esrd(Patient patient, String id) {
        Condition condition = new Condition();
        condition.setId(id);
        condition.setClinicalStatus(new CodeableConcept(new Coding(
                "http://terminology.hl7.org/CodeSystem/condition-clinical", "active", "Active")));
        condition.setCode(new CodeableConcept(new Coding(SNOMED, "46177005", "End-stage renal disease")));
        condition.setSubject(new Reference("Patient/" + patient.getIdElement().getIdPart()));
        return condition;
    }

    static Observation lab(Patient patient, String id, String loinc, double value, String unit, Instant when) {
        Observation lab = ClinicalData.observation("Patient/" + patient.getIdElement().getIdPart(), loinc, value, unit, when);
        lab.setId(id);
        return lab;
    }

    static MedicationRequest warfarin(Patient patient, String id) {
        MedicationRequest order = new MedicationRequest();
        order.setId(id);
        order.setStatus(MedicationRequest.MedicationRequestStatus.ACTIVE);
        order.setIntent(MedicationRequest.MedicationRequestIntent.ORDER);
        order.setMedication(new CodeableConcept(new Coding(RXNORM, "855332", "warfarin sodium 5 MG Oral Tablet")));
        order.setSubject(new Reference("Patient/" + patient.getIdElement().getIdPart()));
        return order;
    }
}
