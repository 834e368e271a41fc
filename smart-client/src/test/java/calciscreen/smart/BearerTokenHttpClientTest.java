package calciscreen.smart;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;
import org.apache.http.client.HttpClient;
import org.apache.http.client.methods.HttpGet;
import org.apache.http.util.EntityUtils;
import org.hl7.fhir.r4.model.Observation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The screening's HTTP client against a real local HTTP server playing the FHIR server and its token endpoint:
 * the token goes along, a 401 renews it once and retries once, and no other host ever sees it; answers come
 * uncompressed, even though HAPI's generic client asks for gzip.
 */
class BearerTokenHttpClientTest {

    HttpServer server;
    HttpServer elsewhere;
    final AtomicInteger issued = new AtomicInteger();
    final List<String> seenByServer = new CopyOnWriteArrayList<>();
    final List<String> seenElsewhere = new CopyOnWriteArrayList<>();
    final List<String> encodingsAsked = new CopyOnWriteArrayList<>();
    volatile boolean gzipAnyway;
    HttpClient http;

    @BeforeEach
    void start(@TempDir Path dir) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        String base = "http://127.0.0.1:" + server.getAddress().getPort();
        server.createContext("/fhir/.well-known/smart-configuration",
                exchange -> reply(exchange, 200, "{\"token_endpoint\":\"" + base + "/token\"}"));
        server.createContext("/token", exchange -> reply(exchange, 200,
                "{\"access_token\":\"token-" + issued.incrementAndGet() + "\",\"token_type\":\"Bearer\",\"expires_in\":300}"));
        server.createContext("/fhir/Patient", exchange -> {
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            seenByServer.add(authorization);
            // the first token is refused (the server restarted with a new key, say); later ones are accepted
            reply(exchange, "Bearer token-1".equals(authorization) ? 401 : 200, "{}");
        });
        server.createContext("/fhir/Flag", exchange -> {
            seenByServer.add(exchange.getRequestHeaders().getFirst("Authorization"));
            reply(exchange, 401, "{}");
        });
        server.createContext("/fhir/Observation", exchange -> {
            encodingsAsked.add(String.valueOf(exchange.getRequestHeaders().getFirst("Accept-Encoding")));
            byte[] body = "{\"resourceType\":\"Observation\",\"id\":\"7\",\"status\":\"final\"}"
                    .getBytes(StandardCharsets.UTF_8);
            if (gzipAnyway) {
                var zipped = new ByteArrayOutputStream();
                try (var gzip = new GZIPOutputStream(zipped)) {
                    gzip.write(body);
                }
                body = zipped.toByteArray();
                exchange.getResponseHeaders().add("Content-Encoding", "gzip");
            }
            exchange.getResponseHeaders().add("Content-Type", "application/fhir+json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        elsewhere = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        elsewhere.createContext("/", exchange -> {
            seenElsewhere.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            reply(exchange, 200, "{}");
        });
        elsewhere.start();
        SmartBackendClient tokens = new SmartBackendClient(base + "/fhir", "calciscreen-screening",
                SigningKey.readOrGenerate(dir.resolve("key.jwk")), List.of());
        http = BearerTokenHttpClient.create(Optional.of(tokens), base + "/fhir", 4, 2_000, 2_000);
    }

    @AfterEach
    void stop() {
        server.stop(0);
        elsewhere.stop(0);
    }

    @Test
    void aRefusedTokenIsRenewedOnceAndTheRequestSentAgain() throws IOException {
        int status = status("http://127.0.0.1:" + server.getAddress().getPort() + "/fhir/Patient/1");

        assertThat(status).isEqualTo(200);
        assertThat(seenByServer).containsExactly("Bearer token-1", "Bearer token-2");
        assertThat(issued).hasValue(2);
    }

    @Test
    void aServerThatRefusesEveryTokenGetsOneRetryNotALoop() throws IOException {
        int status = status("http://127.0.0.1:" + server.getAddress().getPort() + "/fhir/Flag?status=active");

        assertThat(status).isEqualTo(401);
        assertThat(seenByServer).hasSize(2);
        assertThat(issued).hasValue(2);
    }

    @Test
    void theTokenIsCachedBetweenRequests() throws IOException {
        String patient = "http://127.0.0.1:" + server.getAddress().getPort() + "/fhir/Patient/1";
        status(patient);
        status(patient);
        status(patient);
        assertThat(issued).as("one refused, one renewed, then reused").hasValue(2);
    }

    @Test
    void noOtherHostEverSeesTheToken() throws IOException {
        assertThat(status("http://127.0.0.1:" + elsewhere.getAddress().getPort() + "/fhir/Patient/1")).isEqualTo(200);
        assertThat(seenElsewhere).containsExactly("null");
        assertThat(issued).hasValue(0);
    }

    @Test
    void aRequestThatAlreadyCarriesSomeoneElsesTokenKeepsIt() throws IOException {
        HttpGet get = new HttpGet("http://127.0.0.1:" + server.getAddress().getPort() + "/fhir/Patient/1");
        get.setHeader("Authorization", "Bearer handed-over");
        var response = http.execute(get);
        EntityUtils.consume(response.getEntity());

        assertThat(seenByServer).containsExactly("Bearer handed-over");
        assertThat(issued).hasValue(0);
    }

    @Test
    void theServerIsNotAskedToCompressWhatHapisClientWouldHaveItGzip() {
        Observation read = fhirClient().read().resource(Observation.class).withId("7").execute();

        assertThat(read.getIdPart()).isEqualTo("7");
        assertThat(encodingsAsked).containsExactly("null");
    }

    @Test
    void anAnswerCompressedAnywayIsStillRead() {
        gzipAnyway = true;

        Observation read = fhirClient().read().resource(Observation.class).withId("7").execute();

        assertThat(read.getStatus()).isEqualTo(Observation.ObservationStatus.FINAL);
    }

    /** Built as the screening builds its client: HAPI sends every request through its context's client factory. */
    private IGenericClient fhirClient() {
        FhirContext fhir = FhirContext.forR4();
        fhir.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
        fhir.getRestfulClientFactory().setHttpClient(http);
        return fhir.newRestfulGenericClient("http://127.0.0.1:" + server.getAddress().getPort() + "/fhir");
    }

    private int status(String url) throws IOException {
        var response = http.execute(new HttpGet(url));
        EntityUtils.consume(response.getEntity());
        return response.getStatusLine().getStatusCode();
    }

    private static void reply(com.sun.net.httpserver.HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }
}
