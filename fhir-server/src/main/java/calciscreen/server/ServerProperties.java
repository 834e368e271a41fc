package calciscreen.server;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Everything under {@code calciscreen.server} in application.yaml; an unknown key fails the start.
 *
 * @param publicBaseUrl     the FHIR base URL clients see (links in Bundles, Location headers); empty: derived from each request
 * @param maxRequestSize    a request body larger than this, counted after gzip is undone, is refused with 413 and an
 *                          OperationOutcome (one request: a whole transaction Bundle)
 * @param defaultPageSize   search results per page when the client does not ask (_count)
 * @param maxPageSize       the largest _count a client may ask for
 * @param subscriptions     rest-hook Subscription support
 * @param search            limits on what one search may ask for
 */
@ConfigurationProperties(prefix = "calciscreen.server", ignoreUnknownFields = false)
public record ServerProperties(
        @DefaultValue("") String publicBaseUrl,
        @DefaultValue("32MB") DataSize maxRequestSize,
        @DefaultValue("20") int defaultPageSize,
        @DefaultValue("500") int maxPageSize,
        @DefaultValue Subscriptions subscriptions,
        @DefaultValue Search search) {

    /**
     * @param restHookEnabled  whether the server matches writes against rest-hook Subscriptions and delivers them
     * @param allowedEndpoints where a rest-hook Subscription may send notifications: URLs (scheme, host, port and a
     *                         path prefix); any other endpoint is refused with 422
     * @param deliveryThreads  notifications of one Subscription delivered at the same time (HAPI's default is 2)
     */
    public record Subscriptions(@DefaultValue("true") boolean restHookEnabled,
                                @DefaultValue("http://localhost:8081/") java.util.List<String> allowedEndpoints,
                                @DefaultValue("8") int deliveryThreads) {}

    /**
     * @param maxValuesPerParameter the most values one search parameter may carry ({@code _id=a,b,...}, repeats
     *                              included); more: 400
     * @param maxParameters         the most parameters one search may carry; more: 400
     */
    public record Search(@DefaultValue("1000") int maxValuesPerParameter, @DefaultValue("100") int maxParameters) {}
}
