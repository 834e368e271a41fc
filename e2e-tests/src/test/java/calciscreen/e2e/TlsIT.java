package calciscreen.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import calciscreen.smart.SigningKey;
import calciscreen.smart.SmartBackendClient;
import calciscreen.testing.ServiceProcess;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;

/**
 * TLS is configuration: a Spring Boot SSL bundle (here the development certificate {@code ./calciscreen up --tls}
 * generates, made the same way with keytool) turns the server's port into HTTPS, its issuer and token endpoint into
 * https URLs, and plain HTTP on that port gets no FHIR answer.
 */
class TlsIT {

    @Test
    void anSslBundleServesTheFhirServerAndItsTokensOverHttpsOnly() throws Exception {
        Path dir = Files.createDirectories(Path.of(System.getProperty("calciscreen.e2e.dir", "target/e2e"))
                .resolve("tls-" + System.nanoTime()));
        Path keystore = dir.resolve("keystore.p12");
        keytool("-genkeypair", "-alias", "calciscreen", "-keyalg", "EC", "-groupname", "secp384r1", "-validity", "2",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-keystore", keystore.toString(),
                "-storetype", "PKCS12", "-storepass", "changeit");
        int port = ServiceProcess.freePort();
        Process server = ServiceProcess.launch("tls-server", Path.of(System.getProperty("calciscreen.server.jar")),
                List.of("-Xmx768m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"), Map.of(
                        "SERVER_PORT", String.valueOf(port),
                        "SERVER_SSL_BUNDLE", "calciscreen",
                        "SPRING_SSL_BUNDLE_JKS_CALCISCREEN_KEYSTORE_LOCATION", "file:" + keystore,
                        "SPRING_SSL_BUNDLE_JKS_CALCISCREEN_KEYSTORE_PASSWORD", "changeit",
                        "SPRING_SSL_BUNDLE_JKS_CALCISCREEN_KEYSTORE_TYPE", "PKCS12",
                        "CALCISCREEN_AUTH_KEY_DIR", dir.resolve("auth").toString(),
                        "SPRING_DATASOURCE_URL", "jdbc:h2:file:" + dir.resolve("db") + ";DB_CLOSE_ON_EXIT=FALSE"),
                dir);
        try {
            HttpClient https = HttpClient.newBuilder().sslContext(trusting(keystore)).build();
            String base = "https://localhost:" + port + "/fhir";
            ServiceProcess.awaitUp("tls-server", server, () -> {
                try {
                    return https.send(HttpRequest.newBuilder(URI.create(base + "/metadata")).build(),
                            HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
                } catch (java.io.IOException e) {
                    return false;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }, Duration.ofSeconds(240), dir);

            String smart = https.send(HttpRequest.newBuilder(URI.create(base + "/.well-known/smart-configuration")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertThat(smart).contains("\"token_endpoint\":\"https://localhost:" + port + "/oauth2/token\"");
            String token = new SmartBackendClient(https, base, "calciscreen-admin",
                    SigningKey.read(dir.resolve("auth").resolve("clients").resolve("calciscreen-admin.jwk")), List.of(),
                    Clock.systemUTC()).accessToken();
            assertThat(https.send(HttpRequest.newBuilder(URI.create(base + "/Flag?status=active"))
                    .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString())
                    .statusCode()).isEqualTo(200);

            HttpResponse<String> plain = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://localhost:" + port + "/fhir/metadata")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(plain.statusCode()).as("plain HTTP on the TLS port").isNotEqualTo(200);
            assertThat(plain.body()).doesNotContain("CapabilityStatement");
        } finally {
            ServiceProcess.stop(server);
        }
    }

    private static void keytool(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool")
                .toString()));
        command.addAll(List.of(args));
        Process keytool = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes());
        assertThat(keytool.waitFor()).as(output).isZero();
    }

    private static SSLContext trusting(Path keystore) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            store.load(in, "changeit".toCharArray());
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }
}
