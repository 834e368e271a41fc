package calciscreen.screening.intake;

import calciscreen.model.CanonicalUrls;
import calciscreen.screening.context.PatientContextLoader;
import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.Subscription;
import org.hl7.fhir.r4.model.Subscription.SubscriptionChannelType;
import org.hl7.fhir.r4.model.Subscription.SubscriptionStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes sure the screening's rest-hook Subscriptions exist on the server, one per watched resource type, with
 * criteria narrowed to the codes the rules read where a token search can express them. Each is written by a
 * conditional update on its tag, so a restart finds the same Subscription again and never duplicates it.
 */
public class SubscriptionRegistrar {

    private static final Logger log = LoggerFactory.getLogger(SubscriptionRegistrar.class);
    public static final String TAG_SYSTEM = CanonicalUrls.BASE + "/CodeSystem/screening-subscription";
    /** HAPI's channel extension: also deliver deletes (as DELETE {endpoint}/{Type}/{id}). */
    public static final String SEND_DELETES = "http://hapifhir.io/fhir/StructureDefinition/subscription-send-delete-messages";

    private final IGenericClient client;
    private final String endpoint;
    private final NotificationSecret secret;
    private final Map<String, String> status = new ConcurrentHashMap<>();

    public SubscriptionRegistrar(IGenericClient client, String endpoint, NotificationSecret secret) {
        this.client = client;
        this.endpoint = endpoint;
        this.secret = secret;
    }

    /** Criteria per watched type. ICD-10-CM prefixes and drug names cannot be searched: those types come whole. */
    public static Map<String, String> criteria() {
        Map<String, String> criteria = new LinkedHashMap<>();
        criteria.put("Observation", "Observation?code=" + PatientContextLoader.observationCodes());
        criteria.put("Condition", "Condition?");
        criteria.put("Procedure", "Procedure?code=" + PatientContextLoader.procedureCodes());
        criteria.put("MedicationRequest", "MedicationRequest?");
        criteria.put("MedicationStatement", "MedicationStatement?");
        criteria.put("Patient", "Patient?");
        return criteria;
    }

    private static final java.util.Set<String> OBSERVATION_CODES =
            java.util.Set.of(PatientContextLoader.observationCodes().split(","));
    private static final java.util.Set<String> PROCEDURE_CODES =
            java.util.Set.of(PatientContextLoader.procedureCodes().split(","));

    /**
     * Whether this version of a resource is one the Subscriptions of {@link #criteria()} match (a token criterion
     * on code alone: any coding with one of the codes). What they do not match, the rules do not read either.
     */
    public static boolean matchesCriteria(org.hl7.fhir.instance.model.api.IBaseResource resource) {
        if (resource instanceof org.hl7.fhir.r4.model.Observation observation) {
            return observation.getCode().getCoding().stream().anyMatch(c -> OBSERVATION_CODES.contains(c.getCode()));
        }
        if (resource instanceof org.hl7.fhir.r4.model.Procedure procedure) {
            return procedure.getCode().getCoding().stream().anyMatch(c -> PROCEDURE_CODES.contains(c.getCode()));
        }
        return true;
    }

    /** Creates or updates every Subscription; throws when the server cannot be reached (the caller retries). */
    public void register() {
        criteria().forEach((type, criteria) -> {
            Subscription subscription = subscription(type, criteria);
            MethodOutcome outcome = client.update().resource(subscription)
                    .conditionalByUrl("Subscription?_tag=" + TAG_SYSTEM + "|" + type).execute();
            status.put(type, "registered " + outcome.getId().toUnqualifiedVersionless().getValue());
            log.info("event=subscription_registered type={} id={} criteria_length={}", type,
                    outcome.getId().toUnqualifiedVersionless().getValue(), criteria.length());
        });
    }

    public Map<String, String> status() {
        return Map.copyOf(status);
    }

    private Subscription subscription(String type, String criteria) {
        Subscription subscription = new Subscription();
        subscription.getMeta().addTag(TAG_SYSTEM, type, "calciscreen screening: " + type);
        subscription.setStatus(SubscriptionStatus.REQUESTED);
        subscription.setReason("calciscreen: re-screen a patient for calciphylaxis risk when this data changes");
        subscription.setCriteria(criteria);
        Subscription.SubscriptionChannelComponent channel = subscription.getChannel();
        channel.setType(SubscriptionChannelType.RESTHOOK);
        channel.setEndpoint(endpoint);
        channel.setPayload("application/fhir+json");
        channel.addHeader(secret.headerLine()); // the rest-hook endpoint refuses notifications without it
        channel.addExtension(SEND_DELETES, new BooleanType(true));
        return subscription;
    }
}
