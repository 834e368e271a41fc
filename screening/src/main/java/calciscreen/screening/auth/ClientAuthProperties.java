package calciscreen.screening.auth;

import java.nio.file.Path;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Everything under {@code calciscreen.auth} in the screening's application.yaml: how it authenticates to the FHIR
 * server (SMART Backend Services) and how the server authenticates to it (the notification secrets).
 *
 * @param insecureDevMode          {@code CALCISCREEN_INSECURE_DEV_MODE=true}: send no token (the server must run the
 *                                 same way); a warning at every start
 * @param clientId                 this service's client id at the authorization server
 * @param scopes                   the scopes to ask for; empty: every scope the client is registered for
 * @param keyFile                  the private key that signs the client assertions (a JWK); generated at first start
 *                                 when missing; empty: {@code <state-dir>/client-key.jwk}
 * @param notificationSecretRotation how old a Subscription's notification secret may grow before it is replaced
 *                                 (the Subscription is updated with the new one; 0: never)
 * @param notificationSecretGrace  how long a replaced secret is still accepted (notifications already on their way)
 * @param notificationsFromLoopbackOnly notifications only from the loopback address: the FHIR server delivers over
 *                                 localhost (launcher, compose); false where it runs on another host
 */
@ConfigurationProperties(prefix = "calciscreen.auth", ignoreUnknownFields = false)
public record ClientAuthProperties(
        @DefaultValue("false") boolean insecureDevMode,
        @DefaultValue("calciscreen-screening") String clientId,
        List<String> scopes,
        @DefaultValue("") String keyFile,
        @DefaultValue("24h") java.time.Duration notificationSecretRotation,
        @DefaultValue("10m") java.time.Duration notificationSecretGrace,
        @DefaultValue("true") boolean notificationsFromLoopbackOnly) {

    public ClientAuthProperties {
        scopes = scopes == null ? List.of() : List.copyOf(scopes);
    }

    public Path keyFile(Path stateDir) {
        return keyFile.isBlank() ? stateDir.resolve("client-key.jwk") : Path.of(keyFile);
    }
}
