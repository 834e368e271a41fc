package calciscreen.screening.intake;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.hl7.fhir.r4.model.Subscription;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registrar against a local HTTP server standing in for the FHIR server's Subscription endpoint: it writes each
 * Subscription by a conditional update on its tag, and writes them again only when the window's first day moves.
 */
class SubscriptionRegistrarTest {

    static final FhirContext FHIR = FhirContext.forR4Cached();

    HttpServer server;
    final List<String> written = new CopyOnWriteArrayList<>();
    final AtomicInteger ids = new AtomicInteger();
    final MovableClock clock = new MovableClock(Instant.parse("2026-11-30T10:00:00Z"));
    SubscriptionRegistrar registrar;
    NotificationSecret secrets;
    final java.util.Map<String, String> headers = new java.util.concurrent.ConcurrentHashMap<>();

    @BeforeEach
    void start(@TempDir Path dir) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/fhir/Subscription", this::conditionalUpdate);
        server.start();
        FHIR.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
        IGenericClient client = FHIR.newRestfulGenericClient("http://127.0.0.1:" + server.getAddress().getPort() + "/fhir");
        secrets = new NotificationSecret(dir.resolve("secrets"), clock, Duration.ofHours(24), Duration.ofMinutes(10), true);
        registrar = new SubscriptionRegistrar(client, "http://screening/notify", secrets, Duration.ofDays(90), clock);
    }

    @Test
    void eachSubscriptionHasItsOwnSecretAndADueOneRotatesWithoutAGap() {
        registrar.register();
        assertThat(java.util.Set.copyOf(headers.values())).as("one secret per Subscription").hasSize(6);
        String before = headers.get("Patient").substring(NotificationSecret.HEADER.length() + 2);
        assertThat(secrets.matches("Patient", before)).isTrue();
        assertThat(secrets.matches("Observation", before)).as("not another Subscription's").isFalse();

        clock.set(Instant.parse("2026-12-01T10:00:01Z")); // a day on: every secret is due (and the window moved)
        registrar.refreshWindow();
        String after = headers.get("Patient").substring(NotificationSecret.HEADER.length() + 2);
        assertThat(after).isNotEqualTo(before);
        assertThat(secrets.matches("Patient", after)).isTrue();
        assertThat(secrets.matches("Patient", before)).as("still accepted: notifications on their way").isTrue();
        clock.set(Instant.parse("2026-12-01T10:10:02Z"));
        assertThat(secrets.matches("Patient", before)).as("not after the grace period").isFalse();
        assertThat(secrets.matches("Patient", after)).isTrue();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void eachSubscriptionIsWrittenOnItsTagWithTheWindowOfToday() {
        registrar.register();

        assertThat(written).hasSize(6);
        assertThat(written).filteredOn(w -> w.startsWith("Observation|"))
                .singleElement().asString().endsWith("&date=ge2026-08-30");
        assertThat(registrar.status()).containsKeys("Observation", "Procedure", "Patient");
    }

    @Test
    void theSubscriptionsAreWrittenAgainOnlyWhenTheDayMoves() {
        registrar.register();
        clock.set(Instant.parse("2026-11-30T23:59:00Z"));
        assertThat(registrar.refreshWindow()).isFalse();
        assertThat(written).hasSize(6);

        clock.set(Instant.parse("2026-12-01T00:01:00Z"));
        assertThat(registrar.refreshWindow()).isTrue();
        // only the dated ones moved
        assertThat(written.subList(6, written.size())).hasSize(2)
                .anySatisfy(w -> assertThat(w).startsWith("Observation|").endsWith("&date=ge2026-08-31"))
                .anySatisfy(w -> assertThat(w).startsWith("Procedure|").endsWith("&date=ge2026-08-31"));
        assertThat(registrar.refreshWindow()).isFalse();
    }

    @Test
    void nothingIsRefreshedBeforeTheFirstRegistration() {
        clock.set(Instant.parse("2026-12-05T00:00:00Z"));
        assertThat(registrar.refreshWindow()).isFalse();
        assertThat(written).isEmpty();
    }

    /** Answers {@code PUT Subscription?_tag=...} as a server would, and notes "tag|criteria". */
    private void conditionalUpdate(HttpExchange exchange) throws IOException {
        String query = exchange.getRequestURI().getQuery();
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Subscription subscription = FHIR.newJsonParser().parseResource(Subscription.class, body);
        String tag = query.substring(query.indexOf('|') + 1);
        written.add(tag + "|" + subscription.getCriteria());
        headers.put(tag, subscription.getChannel().getHeader().get(0).getValue());
        String id = String.valueOf(ids.incrementAndGet());
        subscription.setId(id);
        byte[] answer = FHIR.newJsonParser().encodeResourceToString(subscription).getBytes(StandardCharsets.UTF_8);
        String base = "http://127.0.0.1:" + server.getAddress().getPort() + "/fhir";
        exchange.getResponseHeaders().add("Content-Type", "application/fhir+json");
        exchange.getResponseHeaders().add("Location", base + "/Subscription/" + id + "/_history/1");
        exchange.sendResponseHeaders(201, answer.length);
        exchange.getResponseBody().write(answer);
        exchange.close();
    }

    static final class MovableClock extends Clock {
        private final AtomicReference<Instant> now;

        MovableClock(Instant start) {
            this.now = new AtomicReference<>(start);
        }

        void set(Instant instant) {
            now.set(instant);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    }
}
