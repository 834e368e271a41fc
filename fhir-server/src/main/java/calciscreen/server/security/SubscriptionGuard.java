package calciscreen.server.security;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.IPreResourceShowDetails;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import java.net.URI;
import java.util.List;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Subscription;

/**
 * A rest-hook Subscription makes the server send data, with the headers it names, wherever its endpoint points; so:
 * <ul>
 *   <li>its endpoint must lie under one of the configured allowed endpoints ({@code
 *       calciscreen.server.subscriptions.allowed-endpoints}; default: the screening's callback origin): same scheme,
 *       host and port, and a path under the allowed one;</li>
 *   <li>it belongs to the client that created it (recorded in a tag the server sets, {@link #OWNER_SYSTEM}); only
 *       that client updates or deletes it (an operator with {@code system/*.cruds} may also delete one, to stop it,
 *       but not redirect it);</li>
 *   <li>its {@code channel.header} (the screening's notification secret travels there) is shown only to its owner:
 *       everyone else reads the Subscription without it.</li>
 * </ul>
 * At the storage layer, so a transaction entry or a conditional update is held to the same rules. The server's own
 * reads and writes (delivery, status updates) are not requests of a client and are not affected.
 */
@Interceptor
public final class SubscriptionGuard {

    public static final String OWNER_SYSTEM = "http://calciscreen.example/fhir/CodeSystem/subscription-owner";
    private final List<URI> allowedEndpoints;

    public SubscriptionGuard(List<String> allowedEndpoints) {
        this.allowedEndpoints = allowedEndpoints.stream().map(String::trim).filter(s -> !s.isEmpty())
                .map(SubscriptionGuard::parse).toList();
    }

    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_CREATED)
    public void created(IBaseResource resource, RequestDetails request) {
        if (resource instanceof Subscription subscription && AppendOnlyAuditTrail.byClient(request)) {
            requireAllowedEndpoint(subscription);
            stampOwner(subscription, ClientIdentity.of(request).clientId());
        }
    }

    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_UPDATED)
    public void updated(IBaseResource previous, IBaseResource resource, RequestDetails request) {
        if (resource instanceof Subscription subscription && AppendOnlyAuditTrail.byClient(request)) {
            String caller = ClientIdentity.of(request).clientId();
            if (!caller.equals(ownerOf(previous))) {
                throw new ForbiddenOperationException("Subscription " + previous.getIdElement().getIdPart()
                        + " belongs to another client: only the client that created it may change it");
            }
            requireAllowedEndpoint(subscription);
            stampOwner(subscription, caller);
        }
    }

    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_DELETED)
    public void deleted(IBaseResource resource, RequestDetails request) {
        if (resource instanceof Subscription && AppendOnlyAuditTrail.byClient(request)
                && !ClientIdentity.of(request).clientId().equals(ownerOf(resource))
                && !ScopeAuthorizationInterceptor.callerScopes().grantsEverything()) {
            throw new ForbiddenOperationException("Subscription " + resource.getIdElement().getIdPart()
                    + " belongs to another client: only the client that created it (or an operator) may delete it");
        }
    }

    /** Everyone but the owner sees the Subscription without its channel headers. */
    @Hook(Pointcut.STORAGE_PRESHOW_RESOURCES)
    public void redactHeaders(IPreResourceShowDetails shown, RequestDetails request) {
        if (!AppendOnlyAuditTrail.byClient(request)) {
            return;
        }
        String caller = ClientIdentity.of(request).clientId();
        for (int i = 0; i < shown.size(); i++) {
            if (shown.getResource(i) instanceof Subscription subscription && subscription.getChannel().hasHeader()
                    && !caller.equals(ownerOf(subscription))) {
                Subscription redacted = subscription.copy();
                redacted.getChannel().setHeader(null);
                redacted.getMeta().addSecurity("http://terminology.hl7.org/CodeSystem/v3-ObservationValue", "REDACTED",
                        "redacted");
                shown.setResource(i, redacted);
                shown.markResourceAtIndexAsSubset(i);
            }
        }
    }

    static String ownerOf(IBaseResource subscription) {
        return subscription instanceof Subscription s ? s.getMeta().getTag().stream()
                .filter(tag -> OWNER_SYSTEM.equals(tag.getSystem())).map(Coding::getCode).findFirst().orElse(null)
                : null;
    }

    private static void stampOwner(Subscription subscription, String clientId) {
        subscription.getMeta().getTag().removeIf(tag -> OWNER_SYSTEM.equals(tag.getSystem()));
        subscription.getMeta().addTag(OWNER_SYSTEM, clientId, "created by client " + clientId);
    }

    private void requireAllowedEndpoint(Subscription subscription) {
        if (subscription.getChannel().getType() != Subscription.SubscriptionChannelType.RESTHOOK) {
            return;
        }
        String endpoint = subscription.getChannel().getEndpoint();
        if (endpoint == null || !allowed(endpoint)) {
            throw new UnprocessableEntityException("the rest-hook endpoint " + endpoint + " is not on the server's "
                    + "allow-list (calciscreen.server.subscriptions.allowed-endpoints)");
        }
    }

    boolean allowed(String endpoint) {
        URI uri;
        try {
            uri = parse(endpoint);
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (uri.getRawUserInfo() != null) {
            return false;
        }
        return allowedEndpoints.stream().anyMatch(allowed -> allowed.getScheme().equalsIgnoreCase(uri.getScheme())
                && allowed.getHost().equalsIgnoreCase(uri.getHost()) && port(allowed) == port(uri)
                && under(uri.getPath(), allowed.getPath()));
    }

    private static boolean under(String path, String allowed) {
        String base = allowed.endsWith("/") ? allowed : allowed + "/";
        String candidate = path.isEmpty() ? "/" : path;
        return base.equals("/") || candidate.equals(allowed) || candidate.startsWith(base);
    }

    private static int port(URI uri) {
        return uri.getPort() >= 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    private static URI parse(String url) {
        URI uri = URI.create(url).normalize();
        if (uri.getScheme() == null || uri.getHost() == null
                || !List.of("http", "https").contains(uri.getScheme().toLowerCase())) {
            throw new IllegalArgumentException("not an http(s) URL: " + url);
        }
        return uri;
    }
}
