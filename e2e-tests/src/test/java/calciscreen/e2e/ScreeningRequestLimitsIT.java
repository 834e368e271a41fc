package calciscreen.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.Flow;
import org.junit.jupiter.api.Test;

/**
 * Port 8081 bounds what a request can make it read: a body declared larger than the limit (10 MB) is refused with
 * 413 before it is read, token or not; a body of undeclared length with 411; and the CDS client's JWT is checked
 * before its body is read (a stranger gets 401 whatever it sends).
 */
class ScreeningRequestLimitsIT extends EndToEndTest {

    @Test
    void aBodyLargerThanTheLimitIsRefusedBeforeItIsReadWithOrWithoutAToken() {
        CdsHooks cds = new CdsHooks(stack);
        byte[] thirtyMegabytes = new byte[30 * 1024 * 1024];
        java.util.Arrays.fill(thirtyMegabytes, (byte) ' ');
        for (String token : new String[] {null, cds.token()}) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(cds.serviceUrl()))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(thirtyMegabytes));
            if (token != null) {
                request.header("Authorization", "Bearer " + token);
            }
            assertThat(stack.send(request.build()).statusCode()).as(token == null ? "no token" : "token").isEqualTo(413);
        }
        HttpResponse<String> notify = stack.send(HttpRequest.newBuilder(URI.create(stack.screeningBase()
                        + "/fhir-notify/Observation/x")).header("Content-Type", "application/fhir+json")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(thirtyMegabytes)).build());
        assertThat(notify.statusCode()).as("the rest-hook endpoint too").isEqualTo(413);
    }

    @Test
    void aBodyOfUndeclaredLengthIsRefusedWith411() {
        CdsHooks cds = new CdsHooks(stack);
        HttpRequest.BodyPublisher chunked = new HttpRequest.BodyPublisher() {
            final HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.ofString(CdsHooks.request("p-1").toString());

            @Override
            public long contentLength() {
                return -1; // sent chunked
            }

            @Override
            public void subscribe(Flow.Subscriber<? super java.nio.ByteBuffer> subscriber) {
                body.subscribe(subscriber);
            }
        };
        HttpResponse<String> answer = stack.send(HttpRequest.newBuilder(URI.create(cds.serviceUrl()))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + cds.token())
                .POST(chunked).build());
        assertThat(answer.statusCode()).isEqualTo(411);
    }

    @Test
    void aCdsCallWithoutAValidJwtIsRefusedWhateverItsBody() {
        CdsHooks cds = new CdsHooks(stack);
        HttpResponse<String> answer = cds.call("{ not even JSON", null);
        assertThat(answer.statusCode()).as("the JWT is checked first: no body parse error").isEqualTo(401);
        assertThat(answer.body()).contains("Authorization");
    }
}
