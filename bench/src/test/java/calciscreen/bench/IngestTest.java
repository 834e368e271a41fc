package calciscreen.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IngestTest {

    @TempDir
    Path dir;

    @Test
    void countsTheEntriesOfATransactionBundleNotTheObjectsInsideThem() throws Exception {
        Path bundle = dir.resolve("b.json");
        Files.writeString(bundle, """
                {"resourceType":"Bundle","type":"transaction","meta":{"tag":[{"code":"x"}]},"entry":[
                  {"fullUrl":"urn:uuid:1","resource":{"resourceType":"Patient","name":[{"given":["A"]}]},
                   "request":{"method":"POST","url":"Patient"}},
                  {"fullUrl":"urn:uuid:2","resource":{"resourceType":"Observation","code":{"coding":[{"code":"1"}]},
                   "component":[{"code":{}},{"code":{}}]},"request":{"method":"POST","url":"Observation"}},
                  {"resource":{"resourceType":"Condition","entry":[{"nested":"not an entry of the Bundle"}]}}
                ],"link":[{"relation":"self"}]}
                """);
        assertThat(Ingest.countEntries(bundle)).isEqualTo(3);
    }

    @Test
    void aBundleWithoutEntriesHasNone() throws Exception {
        Path bundle = dir.resolve("empty.json");
        Files.writeString(bundle, "{\"resourceType\":\"Bundle\",\"type\":\"transaction\"}");
        assertThat(Ingest.countEntries(bundle)).isZero();
    }

    @Test
    void aRefusedBundleIsCountedAndTheOthersGoOn() throws Exception {
        // a server that takes small transactions and refuses large ones, as a request-size limit does
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/fhir", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            boolean tooLarge = body.length > 1000;
            byte[] answer = (tooLarge
                    ? "{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"severity\":\"error\",\"code\":\"too-costly\"}]}"
                    : "{\"resourceType\":\"Bundle\",\"type\":\"transaction-response\",\"entry\":["
                            + "{\"response\":{\"status\":\"201 Created\",\"location\":\"Patient/p1/_history/1\"}}]}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(tooLarge ? 413 : 200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
        try {
            Path small = dir.resolve("small.json");
            Files.writeString(small, "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[{}]}");
            Path large = dir.resolve("large_patient.json");
            Files.writeString(large, "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[{}],\"x\":\""
                    + "a".repeat(2000) + "\"}");
            FhirHttp fhir = new FhirHttp("http://127.0.0.1:" + server.getAddress().getPort() + "/fhir", () -> null);

            Ingest.Result result = new Ingest(fhir).post(Ingest.describe(List.of(small, large)), 1);

            assertThat(result.bundles()).isEqualTo(2);
            assertThat(result.resources()).as("resources of the Bundle taken").isEqualTo(1);
            assertThat(result.patientIds()).containsExactly("p1");
            assertThat(result.refused()).extracting(Ingest.Refused::file, Ingest.Refused::status)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("large_patient.json", 413));
        } finally {
            server.stop(0);
        }
    }
}
