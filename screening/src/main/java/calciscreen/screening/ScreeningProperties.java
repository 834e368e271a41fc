package calciscreen.screening;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Everything under {@code calciscreen.screening}; unknown keys fail the start.
 *
 * @param fhirBaseUrl      the FHIR server the screening reads from and writes to
 * @param callbackBaseUrl  the base URL at which the FHIR server reaches this service (rest-hook endpoint)
 * @param stateDir         durable state of this service (reconciliation high-water mark)
 * @param workers          patients evaluated in parallel
 * @param debounce         how long a patient's first notification waits for more before evaluation (coalescing)
 * @param queueCapacity    patients waiting at most; beyond it the rest-hook endpoint answers 503 so the server retries
 * @param reconcilePeriod  how often changed resources are read back (_history, or searched by code and _lastUpdated)
 *                         to catch lost notifications
 * @param reconcileDeepPeriod how often a pass also reads the _history of the types searched by code (deletes, codes
 *                         corrected away); the first pass after a start always does
 * @param reconcileOverlap how far before the high-water mark each reconciliation looks again (clock skew, commits in flight)
 * @param subscribe        whether to register the rest-hook Subscriptions at start
 * @param softwareVersion  the version recorded on the Device that authors the Flags
 * @param recordCacheMaxAge    how long a patient's record read from the server is kept current from notification
 *                             payloads before it is read again (0: always read)
 * @param recordCacheCapacity  patients whose records are kept at most (least recently screened dropped first)
 * @param withinTierUpdateDelay  how long a change that leaves the tier as written (score, evidence) may wait to be
 *                               written, so that a panel's results make one Flag version (0: every change at once)
 */
@ConfigurationProperties(prefix = "calciscreen.screening", ignoreUnknownFields = false)
public record ScreeningProperties(
        @DefaultValue("http://localhost:8080/fhir") String fhirBaseUrl,
        @DefaultValue("http://localhost:8081") String callbackBaseUrl,
        @DefaultValue("./data/screening") Path stateDir,
        @DefaultValue("8") int workers,
        @DefaultValue("25ms") Duration debounce,
        @DefaultValue("20000") int queueCapacity,
        @DefaultValue("60s") Duration reconcilePeriod,
        @DefaultValue("30s") Duration reconcileOverlap,
        @DefaultValue("15m") Duration reconcileDeepPeriod,
        @DefaultValue("true") boolean subscribe,
        @DefaultValue("0.1.0") String softwareVersion,
        @DefaultValue("2m") Duration recordCacheMaxAge,
        @DefaultValue("10000") int recordCacheCapacity,
        @DefaultValue("1s") Duration withinTierUpdateDelay) {

    /** The path of the rest-hook endpoint on this service; HAPI appends {@code /{Type}/{id}}. */
    public static final String NOTIFY_PATH = "/fhir-notify";

    public String notificationEndpoint() {
        return callbackBaseUrl.replaceAll("/+$", "") + NOTIFY_PATH;
    }
}
