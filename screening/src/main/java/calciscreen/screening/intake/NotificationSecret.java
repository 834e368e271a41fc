package calciscreen.screening.intake;

import calciscreen.smart.OwnerOnlyFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The secret the FHIR server sends with every notification (the Subscriptions carry it in {@code channel.header}),
 * so that nobody else can make the screening work. Generated once and kept under the state directory, or new at each
 * start when rotation is configured.
 */
public final class NotificationSecret {

    public static final String HEADER = "X-Calciscreen-Notification-Secret";

    private final String value;

    private NotificationSecret(String value) {
        this.value = value;
    }

    public static NotificationSecret load(Path file, boolean rotate) {
        try {
            if (!rotate && Files.exists(file)) {
                String kept = Files.readString(file).trim();
                if (kept.length() >= 32) {
                    return new NotificationSecret(kept);
                }
            }
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            OwnerOnlyFile.write(file, secret);
            return new NotificationSecret(secret);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the notification secret in " + file, e);
        }
    }

    /** The {@code channel.header} line for the Subscriptions. */
    public String headerLine() {
        return HEADER + ": " + value;
    }

    /** Whether a request's header value is the secret (compared in constant time). */
    public boolean matches(String presented) {
        return presented != null && MessageDigest.isEqual(presented.trim().getBytes(StandardCharsets.UTF_8),
                value.getBytes(StandardCharsets.UTF_8));
    }
}
