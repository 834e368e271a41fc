package calciscreen.smart;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code ./calciscreen token}: prints a fresh access token for one client, the token alone on standard output, so
 * that {@code TOKEN=$(./calciscreen token)} works.
 * <pre>
 *   --fhir=URL        the FHIR base (its smart-configuration names the token endpoint)
 *   --client=ID       the client id (default calciscreen-admin)
 *   --key=FILE        the client's private JWK
 *   --scope="a b"     the scopes to ask for (default: every scope the client is registered for)
 * </pre>
 */
public final class TokenCommand {

    private TokenCommand() {}

    public static void main(String[] args) {
        java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING); // stdout: the token alone
        Map<String, String> options = new HashMap<>();
        for (String arg : args) {
            if (!arg.startsWith("--") || !arg.contains("=")) {
                fail("unexpected argument " + arg + " (expected --fhir=, --client=, --key=, --scope=)");
            }
            options.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
        }
        String fhir = options.getOrDefault("fhir", "http://localhost:8080/fhir");
        String client = options.getOrDefault("client", "calciscreen-admin");
        String key = options.get("key");
        if (key == null) {
            fail("--key=FILE is needed: the client's private JWK");
        }
        List<String> scopes = Arrays.stream(options.getOrDefault("scope", "").split("\\s+"))
                .filter(s -> !s.isBlank()).toList();
        try {
            System.out.println(new SmartBackendClient(fhir, client, SigningKey.read(Path.of(key)), scopes).accessToken());
        } catch (RuntimeException e) {
            fail(e.getMessage());
        }
    }

    private static void fail(String message) {
        System.err.println("calciscreen token: " + message);
        System.exit(1);
    }
}
