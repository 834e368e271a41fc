package calciscreen.screening.intake;

import calciscreen.screening.context.PatientReferences;
import java.time.Duration;
import java.util.Date;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * The resource versions whose notification this service took into its queue, kept for {@code keep}.
 * Reconciliation meets them again in {@code _history}: those changes are already on their way to a screening, so
 * reconciliation does not queue their patients for a fresh read of the server (every patient active in the last
 * minute, read in full, at every pass); it only waits until they are screened before it moves its mark, since the
 * queue lives in memory. A version forgotten too early is only read again, never missed.
 *
 * <p>A version is known by its id, its version, its {@code lastUpdated} and its patient: a notification taken without
 * reading its version from the server (its transaction was already being read) counts here only if it named the
 * server's own version exactly, since reconciliation compares it with the version as {@code _history} holds it.
 */
class NotifiedChanges {

    private static final int SWEEP_ABOVE = 10_000;

    private final long keepNanos;
    private final LongSupplier nanoTime;
    private final Map<String, Long> queuedAt = new ConcurrentHashMap<>();
    private final AtomicBoolean sweeping = new AtomicBoolean();

    NotifiedChanges(Duration keep) {
        this(keep, System::nanoTime);
    }

    /** With {@code nanoTime} as the clock (tests move it by hand). */
    NotifiedChanges(Duration keep, LongSupplier nanoTime) {
        this.keepNanos = keep.toNanos();
        this.nanoTime = nanoTime;
    }

    /**
     * This version of the resource was notified and its patient queued (or already being read). A resource without a
     * version is not kept.
     */
    public void queued(IBaseResource resource) {
        key(resource).ifPresent(key -> queuedAt.put(key, nanoTime.getAsLong()));
        if (queuedAt.size() > SWEEP_ABOVE && sweeping.compareAndSet(false, true)) {
            try {
                long oldest = nanoTime.getAsLong() - keepNanos;
                queuedAt.values().removeIf(at -> at - oldest < 0);
            } finally {
                sweeping.set(false);
            }
        }
    }

    /** Whether this version of the resource was notified and queued within {@code keep}. */
    public boolean wasQueued(IBaseResource resource) {
        Long at = key(resource).map(queuedAt::get).orElse(null);
        return at != null && nanoTime.getAsLong() - at <= keepNanos;
    }

    int size() {
        return queuedAt.size();
    }

    /** The version of a resource as a notification or a history entry carries it: in its id, else in meta. */
    static String versionOf(IBaseResource resource) {
        return resource.getIdElement().hasVersionIdPart() ? resource.getIdElement().getVersionIdPart()
                : resource.getMeta().getVersionId();
    }

    private static java.util.Optional<String> key(IBaseResource resource) {
        String type = resource.fhirType();
        String id = resource.getIdElement().getIdPart();
        String version = versionOf(resource);
        if (id == null || version == null || version.isBlank()) {
            return java.util.Optional.empty();
        }
        Date lastUpdated = resource.getMeta().getLastUpdated();
        return java.util.Optional.of(type + "/" + id + "/_history/" + version
                + "@" + (lastUpdated == null ? "" : lastUpdated.getTime())
                + "@" + PatientReferences.patientOf(resource).orElse(""));
    }
}
