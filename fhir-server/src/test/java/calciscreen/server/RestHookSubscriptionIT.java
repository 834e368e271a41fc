package calciscreen.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import calciscreen.model.terminology.Concept;
import calciscreen.model.terminology.RxNorm;
import calciscreen.testing.PostgresTestDatabase;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.jpa.subscription.model.ResourceModifiedMessage;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Subscription;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** A rest-hook Subscription delivers matching writes (and deletes, when asked) to a real HTTP endpoint. */
@SpringBootTest(classes = FhirServerApplication.class, webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
class RestHookSubscriptionIT extends FhirServerTestBase {

    static final PostgresTestDatabase DATABASE = PostgresTestDatabase.create("subscription");
    /** Where the test receives notifications: the only endpoint on the server's allow-list here. */
    static final int RECEIVER_PORT = calciscreen.testing.ServiceProcess.freePort();
    static final String SEND_DELETES = "http://hapifhir.io/fhir/StructureDefinition/subscription-send-delete-messages";

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", DATABASE::jdbcUrl);
        registry.add("spring.datasource.username", DATABASE::username);
        registry.add("spring.datasource.password", DATABASE::password);
        registry.add("calciscreen.server.subscriptions.allowed-endpoints", () -> "http://127.0.0.1:" + RECEIVER_PORT + "/");
    }

    record Notification(String method, String path, String body) {}

    HttpServer receiver;
    final List<Notification> received = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startReceiver() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", RECEIVER_PORT), 0);
        receiver.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            received.add(new Notification(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), body));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.start();
    }

    @AfterEach
    void stopReceiver() {
        receiver.stop(0);
    }

    @Test
    void matchingObservationIsDeliveredAndOthersAreNot() {
        String code = "2731-8";
        IdType subscription = subscribe("Observation?code=http://loinc.org|" + code, false);
        IdType patient = createPatient();

        IdType other = createLab(patient, "1751-7", 2.5, "g/dL", "2026-03-01T08:00:00Z");
        IdType matching = createLab(patient, code, 700, "pg/mL", "2026-03-01T08:00:00Z");

        await().atMost(Duration.ofSeconds(30)).until(() -> received.stream()
                .anyMatch(n -> n.path().endsWith("/Observation/" + matching.getIdPart())));
        Notification delivered = received.stream()
                .filter(n -> n.path().endsWith("/Observation/" + matching.getIdPart())).findFirst().orElseThrow();
        assertThat(delivered.method()).isEqualTo("PUT");
        assertThat(delivered.body()).contains("\"" + code + "\"");
        assertThat(received).noneMatch(n -> n.path().endsWith("/Observation/" + other.getIdPart()));
        client.delete().resourceById(subscription).execute();
    }

    @Test
    void deletesAreDeliveredWhenTheSubscriptionAsksForThem() {
        String code = "14866-8";
        IdType subscription = subscribe("Observation?code=http://loinc.org|" + code, true);
        IdType lab = createLab(createPatient(), code, 70, "pmol/L", "2026-03-01T08:00:00Z");
        await().atMost(Duration.ofSeconds(30)).until(() -> received.stream()
                .anyMatch(n -> n.method().equals("PUT") && n.path().endsWith("/Observation/" + lab.getIdPart())));

        client.delete().resourceById(lab.toUnqualifiedVersionless()).execute();

        await().atMost(Duration.ofSeconds(30)).until(() -> received.stream()
                .anyMatch(n -> n.method().equals("DELETE") && n.path().endsWith("/Observation/" + lab.getIdPart())));
        client.delete().resourceById(subscription).execute();
    }

    /** Counts the writes HAPI makes a matching message of (its own pointcut for that). */
    @Interceptor
    static final class SubmittedWrites {
        final List<String> ids = new CopyOnWriteArrayList<>();

        @Hook(Pointcut.SUBSCRIPTION_RESOURCE_MODIFIED)
        public void submitted(ResourceModifiedMessage message) {
            ids.add(message.getPayloadId(FHIR).toUnqualifiedVersionless().getValue());
        }
    }

    @Autowired
    IInterceptorService interceptors;

    @Test
    void writesThatNoSubscriptionMatchesAreNotSubmittedForMatching() {
        String code = "17861-6";
        onlyOneIsSubmittedAndDelivered("Observation?code=http://loinc.org|" + code, () -> {
            IdType patient = createPatient();
            IdType otherLab = createLab(patient, "1751-7", 2.5, "g/dL", "2026-03-01T08:00:00Z");
            Encounter visit = new Encounter().setStatus(Encounter.EncounterStatus.FINISHED)
                    .setSubject(new Reference(patient.toUnqualifiedVersionless()));
            IdType encounter = (IdType) client.create().resource(visit).execute().getId();
            IdType matching = createLab(patient, code, 10.9, "mg/dL", "2026-03-01T08:00:00Z");
            return new Writes(matching, List.of(patient, otherLab, encounter));
        });
    }

    @Test
    void aCriteriaWithoutParametersMatchesEveryResourceOfItsType() {
        onlyOneIsSubmittedAndDelivered("Encounter?", () -> {
            IdType patient = createPatient();
            Encounter visit = new Encounter().setStatus(Encounter.EncounterStatus.FINISHED)
                    .setSubject(new Reference(patient.toUnqualifiedVersionless()));
            IdType encounter = (IdType) client.create().resource(visit).execute().getId();
            return new Writes(encounter, List.of(patient));
        });
    }

    /**
     * The screening's lookback criteria ({@code date=ge}) are matched in memory: a result dated before the window is
     * neither submitted nor delivered (had HAPI needed its database to match them, every write would have been
     * submitted, as it is for {@code date:missing}).
     */
    @Test
    void dateWindowCriteriaAreMatchedInMemory() {
        String code = "2777-1";
        onlyOneIsSubmittedAndDelivered("Observation?code=http://loinc.org|" + code + "&date=ge2026-08-30", () -> {
            IdType patient = createPatient();
            IdType old = createLab(patient, code, 6.1, "mg/dL", "2026-03-01T08:00:00Z");
            IdType recent = createLab(patient, code, 6.2, "mg/dL", "2026-11-20T08:00:00Z");
            return new Writes(recent, List.of(old));
        });
    }

    /**
     * A status criteria (the screening's orders and statements) is matched in memory: a current order is submitted
     * and delivered, a stopped one neither.
     */
    @Test
    void statusCriteriaAreMatchedInMemory() {
        onlyOneIsSubmittedAndDelivered("MedicationRequest?status=active,on-hold", () -> {
            IdType patient = createPatient();
            IdType stopped = createOrder(patient, MedicationRequest.MedicationRequestStatus.STOPPED);
            IdType onHold = createOrder(patient, MedicationRequest.MedicationRequestStatus.ONHOLD);
            return new Writes(onHold, List.of(stopped));
        });
    }

    /**
     * A criteria naming a reference is matched in memory too: another patient's result is neither submitted nor
     * delivered.
     */
    @Test
    void referenceCriteriaAreMatchedInMemory() {
        IdType watched = createPatient();
        IdType other = createPatient();
        String criteria = "Observation?subject=" + watched.toUnqualifiedVersionless().getValue()
                + "&code=http://loinc.org|2731-8";
        onlyOneIsSubmittedAndDelivered(criteria, () -> {
            IdType othersLab = createLab(other, "2731-8", 700, "pg/mL", "2026-11-20T08:00:00Z");
            IdType watchedLab = createLab(watched, "2731-8", 710, "pg/mL", "2026-11-20T08:00:00Z");
            return new Writes(watchedLab, List.of(othersLab));
        });
    }

    /**
     * The screening's Condition criteria (its SNOMED CT codes as bare values, ICD-10-CM as a whole system:
     * {@code system|}) are matched in memory as a FHIR token search reads them: a diabetes code under an ICD-10-CM
     * prefix and a listed SNOMED CT code spelled by its OID are delivered; a finding no rule reads and WHO ICD-10 are
     * neither submitted nor delivered.
     */
    @Test
    void conditionCodeCriteriaMatchAWholeSystemAndBareCodesInMemory() {
        String criteria = "Condition?code=" + String.join(",", Concept.searchTokens(Concept.CONDITIONS));
        onlyOneIsSubmittedAndDelivered(criteria, () -> {
            IdType patient = createPatient();
            IdType review = createCondition(patient, "http://snomed.info/sct", "314529007");
            IdType who = createCondition(patient, "http://hl7.org/fhir/sid/icd-10", "E11.9");
            IdType diabetes = createCondition(patient, "http://hl7.org/fhir/sid/icd-10-cm", "E11.65");
            return new Writes(diabetes, List.of(patient, review, who));
        });
        onlyOneIsSubmittedAndDelivered(criteria, () -> {
            IdType patient = createPatient();
            IdType review = createCondition(patient, "urn:oid:2.16.840.1.113883.6.96", "314529007");
            IdType diabetes = createCondition(patient, "urn:oid:2.16.840.1.113883.6.96", "44054006");
            return new Writes(diabetes, List.of(patient, review));
        });
    }

    private IdType createCondition(IdType patient, String system, String code) {
        Condition condition = new Condition().setCode(new CodeableConcept(new Coding(system, code, null)))
                .setSubject(new Reference(patient.toUnqualifiedVersionless()));
        return (IdType) client.create().resource(condition).execute().getId();
    }

    /** What a test writes once its Subscription is active: the one write it must be told of, and the others. */
    private record Writes(IdType delivered, List<IdType> others) {}

    /**
     * Subscribes on {@code criteria}, makes the writes, waits until the one to be delivered is, then checks that it
     * alone was submitted for matching and that none of the others was delivered.
     */
    private void onlyOneIsSubmittedAndDelivered(String criteria, Supplier<Writes> writes) {
        IdType subscription = subscribe(criteria, false);
        SubmittedWrites submitted = new SubmittedWrites();
        interceptors.registerInterceptor(submitted);
        try {
            Writes written = writes.get();
            IdType delivered = written.delivered().toUnqualifiedVersionless();
            await().atMost(Duration.ofSeconds(30)).until(() -> received.stream().anyMatch(n -> isAbout(n, delivered)));
            assertThat(submitted.ids).containsExactly(delivered.getValue());
            for (IdType other : written.others()) {
                assertThat(received).noneMatch(n -> isAbout(n, other.toUnqualifiedVersionless()));
            }
        } finally {
            interceptors.unregisterInterceptor(submitted);
            client.delete().resourceById(subscription).execute();
        }
    }

    private static boolean isAbout(Notification notification, IdType id) {
        return notification.path().endsWith("/" + id.getResourceType() + "/" + id.getIdPart());
    }

    private IdType createOrder(IdType patient, MedicationRequest.MedicationRequestStatus status) {
        MedicationRequest order = new MedicationRequest().setStatus(status)
                .setIntent(MedicationRequest.MedicationRequestIntent.ORDER)
                .setMedication(new CodeableConcept(RxNorm.WARFARIN.toCoding()))
                .setSubject(new Reference(patient.toUnqualifiedVersionless()));
        return (IdType) client.create().resource(order).execute().getId();
    }

    private IdType subscribe(String criteria, boolean sendDeletes) {
        Subscription subscription = new Subscription();
        subscription.setStatus(Subscription.SubscriptionStatus.REQUESTED);
        subscription.setReason("test");
        subscription.setCriteria(criteria);
        Subscription.SubscriptionChannelComponent channel = subscription.getChannel();
        channel.setType(Subscription.SubscriptionChannelType.RESTHOOK);
        channel.setEndpoint("http://127.0.0.1:" + receiver.getAddress().getPort() + "/notify");
        channel.setPayload("application/fhir+json");
        if (sendDeletes) {
            channel.addExtension(SEND_DELETES, new BooleanType(true));
        }
        IdType id = (IdType) client.create().resource(subscription).execute().getId().toUnqualifiedVersionless();
        await().atMost(Duration.ofSeconds(30)).until(() -> client.read().resource(Subscription.class).withId(id)
                .execute().getStatus() == Subscription.SubscriptionStatus.ACTIVE);
        return id;
    }
}
