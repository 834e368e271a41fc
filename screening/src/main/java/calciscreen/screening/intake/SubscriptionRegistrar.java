package calciscreen.screening.intake;

import calciscreen.model.CanonicalUrls;
import calciscreen.model.terminology.Concept;
import calciscreen.screening.context.PatientRecordLoader;
import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.MedicationStatement;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.Subscription;
import org.hl7.fhir.r4.model.Subscription.SubscriptionChannelType;
import org.hl7.fhir.r4.model.Subscription.SubscriptionStatus;
import org.hl7.fhir.r4.model.Type;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes sure the screening's rest-hook Subscriptions exist on the server, with criteria narrowed to what the rules
 * read where a search can express it. Each is written by a conditional update on its tag, so a restart finds the same
 * Subscription again and never duplicates it.
 *
 * <p>Labs and dialysis Procedures count only inside the lookback, which only moves forward: one dated before it can
 * never change a screening, now or later. Their criteria therefore carry the window's first day
 * ({@code date=ge}, see {@link #windowStart}), and those Subscriptions are written again when that day moves.
 * Orders and statements are watched in the statuses in which they count: one that starts counting is notified at
 * once; one that stops (a drug stopped, an order entered in error) is brought by reconciliation, which reads their
 * {@code _history} every pass, a period later. A Flag is raised at once and lowered within a minute or so.
 * Conditions are watched by the rules' codes: most of a record's Conditions are findings no rule reads (a medication
 * review due, employment, stress), and each notified one costs the server a delivery and the screening a read-back.
 * Where years of history arrive at once (Synthea ESRD records), the three leave out most notifications: results dated
 * before the lookback, orders stored already stopped or completed, and Conditions of other codes
 * (docs/architecture.md gives the measured count).
 * What the criteria cannot see, reconciliation (which reads every version, or searches by code) brings instead:
 * <ul>
 *   <li>an update that moves a resource out of its criteria (a corrected date or code, a stopped drug);</li>
 *   <li>a Condition coded in a spelling the rules read but the criteria do not name (a code or system with spaces
 *       around it, an OID in capitals);</li>
 *   <li>a lab result with no effective time, which the rules date by {@code issued}: no search parameter indexes
 *       {@code issued}, and HAPI cannot match {@code date:missing} in memory (it would search its database for
 *       every Observation written).</li>
 * </ul>
 */
public class SubscriptionRegistrar {

    private static final Logger log = LoggerFactory.getLogger(SubscriptionRegistrar.class);
    public static final String TAG_SYSTEM = CanonicalUrls.BASE + "/CodeSystem/screening-subscription";
    /** HAPI's channel extension: also deliver deletes (as DELETE {endpoint}/{Type}/{id}). */
    public static final String SEND_DELETES = "http://hapifhir.io/fhir/StructureDefinition/subscription-send-delete-messages";
    /**
     * Days before the lookback that the criteria still take: the server may read a date-only bound in its own time
     * zone, and the day moves at midnight UTC; the rules apply the exact window.
     */
    static final int WINDOW_SLACK_DAYS = 2;

    /** One Subscription: the tag code that finds it again on the server, and its criteria. */
    public record Watch(String tag, String criteria) {

        /** The resource type the criteria watch: what comes before {@code ?}. */
        public String type() {
            return criteria.substring(0, criteria.indexOf('?'));
        }

        /** The criteria's search parameters: what comes after {@code ?}. */
        public String query() {
            return criteria.substring(criteria.indexOf('?') + 1);
        }
    }

    private static final Set<String> OBSERVATION_CODES = Set.of(PatientRecordLoader.observationCodes().split(","));
    private static final Set<String> PROCEDURE_CODES = Set.of(PatientRecordLoader.procedureCodes().split(","));
    private static final Set<String> CURRENT_ORDER = Set.of(PatientRecordLoader.CURRENT_ORDER_STATUSES.split(","));
    private static final Set<String> CURRENT_STATEMENT = Set.of(PatientRecordLoader.CURRENT_STATEMENT_STATUSES.split(","));

    private final IGenericClient client;
    private final String endpoint;
    private final NotificationSecret secret;
    private final Duration lookback;
    private final Clock clock;
    private final Map<String, String> status = new ConcurrentHashMap<>();
    /** The criteria last written, by tag. */
    private final Map<String, String> written = new ConcurrentHashMap<>();

    SubscriptionRegistrar(IGenericClient client, String endpoint, NotificationSecret secret, Duration lookback,
                                 Clock clock) {
        this.client = client;
        this.endpoint = endpoint;
        this.secret = secret;
        this.lookback = lookback;
        this.clock = clock;
    }

    /** The first day a lab or dialysis Procedure must reach to be watched, at {@code now}. */
    public static LocalDate windowStart(Instant now, Duration lookback) {
        return LocalDate.ofInstant(now.minus(lookback), ZoneOffset.UTC).minusDays(WINDOW_SLACK_DAYS);
    }

    /**
     * The Subscriptions for a window starting on {@code windowStart}. Conditions are narrowed to the rules' codes:
     * their SNOMED CT codes (in any system) and every ICD-10-CM code, since its prefixes cannot be searched; not by
     * status, since a Condition with none counts (which HAPI cannot match in memory). Drug names cannot be searched:
     * orders and statements are narrowed by status only. Patients come whole.
     */
    public static List<Watch> watches(LocalDate windowStart) {
        return List.of(
                new Watch("Observation", "Observation?code=" + PatientRecordLoader.observationCodes() + "&date=ge" + windowStart),
                new Watch("Condition", "Condition?code=" + PatientRecordLoader.conditionCodes()),
                new Watch("Procedure", "Procedure?code=" + PatientRecordLoader.procedureCodes() + "&date=ge" + windowStart),
                new Watch("MedicationRequest", "MedicationRequest?status=" + PatientRecordLoader.CURRENT_ORDER_STATUSES),
                new Watch("MedicationStatement",
                        "MedicationStatement?status=" + PatientRecordLoader.CURRENT_STATEMENT_STATUSES),
                new Watch("Patient", "Patient?"));
    }

    /**
     * Whether the rules may read this version of a resource at any time from now on, which reconciliation asks of a
     * first version that no notification brought: a lab or dialysis Procedure whose latest moment reaches a day into
     * the criteria's window ({@code windowStart} plus a day: still a day before the rules' lookback, so nothing the
     * rules read is passed over, and later than any time zone can put the criteria's date-only bound, so that what
     * it answers yes to a Subscription notifies, and is not read again at every pass); results with no effective time
     * (dated by {@code issued}, which the criteria cannot see); current orders and statements; Conditions of the
     * rules' codes (by the rules' own matching, every spelling included) or with no coding at all; everything else.
     * Where a date cannot be told for sure (a Timing), it may.
     */
    public static boolean rulesMayRead(IBaseResource resource, LocalDate windowStart) {
        Instant from = windowStart.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        if (resource instanceof Observation observation) {
            return observation.getCode().getCoding().stream().anyMatch(c -> OBSERVATION_CODES.contains(c.getCode()))
                    && (!observation.hasEffective() || reaches(observation.getEffective(), from));
        }
        if (resource instanceof Procedure procedure) {
            return procedure.getCode().getCoding().stream().anyMatch(c -> PROCEDURE_CODES.contains(c.getCode()))
                    && procedure.hasPerformed() && reaches(procedure.getPerformed(), from);
        }
        if (resource instanceof Condition condition) {
            // one with no coding at all is noted on the risk assessment ("Condition has no code")
            return !condition.getCode().hasCoding()
                    || Concept.classify(condition.getCode()).stream().anyMatch(Concept.CONDITIONS::contains);
        }
        if (resource instanceof MedicationRequest order) {
            return order.hasStatus() && CURRENT_ORDER.contains(order.getStatus().toCode());
        }
        if (resource instanceof MedicationStatement statement) {
            return statement.hasStatus() && CURRENT_STATEMENT.contains(statement.getStatus().toCode());
        }
        return true;
    }

    /** {@link #rulesMayRead(IBaseResource, LocalDate)} for the window of now. */
    public boolean rulesMayRead(IBaseResource resource) {
        return rulesMayRead(resource, windowStart());
    }

    /** {@link #windowStart(Instant, Duration)} now. */
    public LocalDate windowStart() {
        return windowStart(clock.instant(), lookback);
    }

    /**
     * Whether a date's latest moment is on or after {@code from}: a date with a time is that moment, one without lasts
     * its whole day, month or year.
     */
    private static boolean reaches(Type when, Instant from) {
        Optional<Instant> latest;
        if (when instanceof DateTimeType dateTime) {
            latest = latestMoment(dateTime);
        } else if (when instanceof Period period) {
            latest = period.hasEnd() ? latestMoment(period.getEndElement()) : Optional.empty(); // open: still going on
        } else if (when instanceof org.hl7.fhir.r4.model.InstantType instant) {
            latest = Optional.ofNullable(instant.getValue()).map(java.util.Date::toInstant);
        } else {
            return true;
        }
        return latest.map(t -> !t.isBefore(from)).orElse(true);
    }

    private static Optional<Instant> latestMoment(DateTimeType when) {
        Optional<Instant> value = Optional.ofNullable(when.getValue()).map(java.util.Date::toInstant);
        return switch (when.getPrecision()) {
            case YEAR -> value.map(v -> v.plus(Duration.ofDays(366)));
            case MONTH -> value.map(v -> v.plus(Duration.ofDays(31)));
            case DAY -> value.map(v -> v.plus(Duration.ofDays(1)));
            default -> value;
        };
    }

    /** Creates or updates every Subscription; throws when the server cannot be reached (the caller retries). */
    public void register() {
        write(watches(windowStart(clock.instant(), lookback)));
    }

    /**
     * Writes again the Subscriptions whose criteria moved with the window's first day since they were written (the
     * dated ones, once a day); true if it wrote any. Throws like {@link #register} (the next call tries again).
     */
    public boolean refreshWindow() {
        if (written.isEmpty()) {
            return false;
        }
        List<Watch> now = watches(windowStart(clock.instant(), lookback));
        List<Watch> moved = now.stream().filter(watch -> !watch.criteria().equals(written.get(watch.tag()))).toList();
        write(moved);
        rotateSecrets(now);
        return !moved.isEmpty();
    }

    /**
     * Gives each Subscription whose secret is due a new one without losing a notification: the new secret is accepted
     * before the Subscription carries it, and the old one for a grace period after (NotificationSecret).
     */
    private void rotateSecrets(List<Watch> watches) {
        for (Watch watch : watches) {
            if (secret.due(watch.tag())) {
                secret.next(watch.tag());
                write(List.of(watch));
                secret.commit(watch.tag());
                log.info("event=notification_secret_rotated tag={}", watch.tag());
            }
        }
    }

    private void write(List<Watch> watches) {
        for (Watch watch : watches) {
            MethodOutcome outcome = client.update().resource(subscription(watch))
                    .conditionalByUrl("Subscription?_tag=" + TAG_SYSTEM + "|" + watch.tag()).execute();
            written.put(watch.tag(), watch.criteria());
            status.put(watch.tag(), "registered " + outcome.getId().toUnqualifiedVersionless().getValue());
            log.info("event=subscription_registered tag={} id={} criteria_length={}", watch.tag(),
                    outcome.getId().toUnqualifiedVersionless().getValue(), watch.criteria().length());
        }
    }

    public Map<String, String> status() {
        return Map.copyOf(status);
    }

    private Subscription subscription(Watch watch) {
        Subscription subscription = new Subscription();
        String type = watch.type();
        subscription.getMeta().addTag(TAG_SYSTEM, watch.tag(), "calciscreen screening: " + watch.tag());
        subscription.setStatus(SubscriptionStatus.REQUESTED);
        subscription.setReason("calciscreen: re-screen a patient for calciphylaxis risk when this " + type + " data changes");
        subscription.setCriteria(watch.criteria());
        Subscription.SubscriptionChannelComponent channel = subscription.getChannel();
        channel.setType(SubscriptionChannelType.RESTHOOK);
        channel.setEndpoint(endpoint);
        channel.setPayload("application/fhir+json");
        channel.addHeader(secret.headerLine(watch.tag())); // its own secret: the rest-hook endpoint refuses others
        channel.addExtension(SEND_DELETES, new BooleanType(true));
        return subscription;
    }
}
