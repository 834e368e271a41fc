package calciscreen.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * What a caller sends cannot forge a log line: control characters are escaped in every logged value, in one place
 * (the services' log configuration), so a CR/LF in a JWT's {@code iss} stays inside the line that reports it.
 */
class LogInjectionIT extends EndToEndTest {

    @Test
    void aLineBreakInACdsClientsIssuerStaysInsideTheLineThatLogsIt() throws Exception {
        String marker = "forged-" + UUID.randomUUID();
        com.nimbusds.jose.jwk.ECKey stranger = new com.nimbusds.jose.jwk.gen.ECKeyGenerator(
                com.nimbusds.jose.jwk.Curve.P_384).keyID("stranger").generate();
        CdsHooks cds = new CdsHooks(stack);
        String token = CdsHooks.token(stranger, "evil\r\n2026-12-02T00:00:00.000Z  INFO 1 --- event=" + marker,
                cds.serviceUrl(), Instant.now().plusSeconds(60));
        assertThat(cds.call(CdsHooks.request("p-1").toString(), token).statusCode()).isEqualTo(401);

        Stack.sleep(500);
        List<String> lines = stack.screeningLog().filter(line -> line.contains(marker)).toList();
        assertThat(lines).as("the refusal is logged").isNotEmpty();
        assertThat(lines).allSatisfy(line -> assertThat(line).contains("event=cds_refused").contains("evil\\r\\n"));
    }
}
