package calciscreen.screening.intake;

import calciscreen.smart.OwnerOnlyFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The secrets the FHIR server sends with the notifications of each Subscription ({@code channel.header}), so that
 * nobody else can make the screening work: one per Subscription (by its tag), random, kept under the state directory
 * (owner-only files), and only the Subscription's owner may read them on the server. A Subscription's secret
 * rotates without losing a notification: the new one is accepted as soon as it is made ({@link #next}), before the
 * Subscription carries it; once the Subscription is updated ({@link #commit}) the previous one is still accepted for
 * a grace period, for the notifications the server had already queued with it. Reconciliation covers what a failed
 * rotation might miss anyway.
 */
public final class NotificationSecret {

    public static final String HEADER = "X-Calciscreen-Notification-Secret";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String TAG = "[A-Za-z]{1,64}";

    /** A Subscription's secrets: the one it carries, the one it carried until {@code previousUntil}, the one to come. */
    private record Secrets(String current, String previous, Instant previousUntil, String next, Instant since) {}

    private final Path dir;
    private final Clock clock;
    private final Duration rotation;
    private final Duration grace;
    private final boolean loopbackOnly;
    private final Map<String, Secrets> byTag = new ConcurrentHashMap<>();

    /**
     * @param dir      where each Subscription's secrets are kept (a file per tag, owner-only)
     * @param rotation how old a secret may grow before it is replaced (0: never)
     * @param grace    how long a replaced secret is still accepted
     * @param loopbackOnly notifications are accepted from the loopback address only (the server delivers over
     *                 localhost)
     */
    public NotificationSecret(Path dir, Clock clock, Duration rotation, Duration grace, boolean loopbackOnly) {
        this.dir = dir;
        this.clock = clock;
        this.rotation = rotation;
        this.grace = grace;
        this.loopbackOnly = loopbackOnly;
    }

    public boolean loopbackOnly() {
        return loopbackOnly;
    }

    /** The {@code channel.header} line for the Subscription {@code tag}: the secret it is to carry from now on. */
    public synchronized String headerLine(String tag) {
        Secrets secrets = secrets(tag);
        return HEADER + ": " + (secrets.next() != null ? secrets.next() : secrets.current());
    }

    /** Makes the Subscription's next secret (accepted from now on); {@link #headerLine} then gives it. */
    public synchronized void next(String tag) {
        Secrets s = secrets(tag);
        keep(tag, new Secrets(s.current(), s.previous(), s.previousUntil(), random(), s.since()));
    }

    /** The Subscription now carries its next secret: the one before stays accepted for the grace period. */
    public synchronized void commit(String tag) {
        Secrets s = secrets(tag);
        if (s.next() != null) {
            keep(tag, new Secrets(s.next(), s.current(), clock.instant().plus(grace), null, clock.instant()));
        }
    }

    /** Whether the Subscription's secret is due for rotation (never with a rotation period of 0). */
    public synchronized boolean due(String tag) {
        return !rotation.isZero() && !rotation.isNegative() && secrets(tag).since().plus(rotation).isBefore(clock.instant());
    }

    /** Whether {@code presented} is a secret the Subscription {@code tag} may send now (constant-time comparisons). */
    public boolean matches(String tag, String presented) {
        Secrets s = byTag.get(tag);
        if (s == null && tag.matches(TAG) && Files.exists(dir.resolve(tag))) {
            s = secrets(tag); // kept from before a restart, not yet loaded
        }
        if (s == null || presented == null) {
            return false;
        }
        byte[] given = presented.trim().getBytes(StandardCharsets.UTF_8);
        boolean previousValid = s.previous() != null && clock.instant().isBefore(s.previousUntil());
        return same(given, s.current()) | same(given, s.next()) | (previousValid & same(given, s.previous()));
    }

    /** Whether {@code presented} is a secret of any Subscription (a notification without payload names none). */
    public boolean matchesAny(String presented) {
        boolean any = false;
        for (String tag : List.copyOf(byTag.keySet())) {
            any |= matches(tag, presented);
        }
        return any;
    }

    private static boolean same(byte[] given, String secret) {
        return secret != null && MessageDigest.isEqual(given, secret.getBytes(StandardCharsets.UTF_8));
    }

    private Secrets secrets(String tag) {
        return byTag.computeIfAbsent(tag, this::read);
    }

    private Secrets read(String tag) {
        Path file = file(tag);
        try {
            if (Files.exists(file)) {
                List<String> lines = Files.readAllLines(file);
                if (lines.size() >= 5 && lines.get(0).length() >= 32) {
                    return new Secrets(lines.get(0), blank(lines.get(1)), Instant.parse(lines.get(2)),
                            blank(lines.get(3)), Instant.parse(lines.get(4)));
                }
            }
        } catch (IOException | RuntimeException e) {
            // unreadable: a new secret (the registrar writes it to the Subscription at start)
        }
        Secrets made = new Secrets(random(), null, Instant.EPOCH, null, clock.instant());
        write(file, made);
        return made;
    }

    private void keep(String tag, Secrets secrets) {
        write(file(tag), secrets);
        byTag.put(tag, secrets);
    }

    private void write(Path file, Secrets s) {
        try {
            OwnerOnlyFile.write(file, String.join("\n", s.current(), orBlank(s.previous()), s.previousUntil().toString(),
                    orBlank(s.next()), s.since().toString()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the notification secret in " + file, e);
        }
    }

    private Path file(String tag) {
        if (!tag.matches(TAG)) {
            throw new IllegalArgumentException("not a Subscription tag: " + tag);
        }
        return dir.resolve(tag);
    }

    private static String random() {
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }

    private static String blank(String line) {
        return line.isBlank() ? null : line;
    }

    private static String orBlank(String value) {
        return value == null ? "" : value;
    }
}
