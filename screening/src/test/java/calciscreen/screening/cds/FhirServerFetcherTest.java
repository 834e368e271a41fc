package calciscreen.screening.cds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The fetcher against a real socket that accepts and never answers: the call gives up within its budget, and the
 * connection is let go soon after, not held for the socket time-out of whatever client the screening uses elsewhere.
 */
class FhirServerFetcherTest {

    @Test
    void aServerThatNeverAnswersIsLetGoWithinTheBudget() throws Exception {
        // the screening's own context, as the application hands it over; its client factory keeps HAPI's defaults
        FhirContext shared = FhirContext.forR4Cached();
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             FhirServerFetcher fetcher = new FhirServerFetcher(shared,
                     List.of("http://127.0.0.1:" + silent.getLocalPort() + "/fhir"), Duration.ofMillis(500))) {
            String base = "http://127.0.0.1:" + silent.getLocalPort() + "/fhir";

            assertThatThrownBy(() -> fetcher.fetch(base, Optional.of("ehr-token"), "p1", EnumSet.allOf(Prefetch.class),
                    Instant.parse("2026-12-01T08:00:00Z"), Duration.ofDays(90)))
                    .isInstanceOf(FhirServerFetcher.FetchFailed.class)
                    .extracting(e -> ((FhirServerFetcher.FetchFailed) e).reason()).isEqualTo("timeout");

            try (Socket held = silent.accept()) {
                held.setSoTimeout(3_000);
                int read;
                try {
                    while ((read = held.getInputStream().read()) != -1) {
                        // the request itself; the client closes the connection once its own time-out is over
                    }
                } catch (SocketTimeoutException e) {
                    read = -2;
                }
                assertThat(read).as("the fetcher's client closed the connection within 3 s").isEqualTo(-1);
            }
        }
    }
}
