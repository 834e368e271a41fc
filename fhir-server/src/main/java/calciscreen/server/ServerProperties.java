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
 */
@ConfigurationProperties(prefix = "calciscreen.server", ignoreUnknownFields = false)
public record ServerProperties(
        @DefaultValue("") String publicBaseUrl,
        @DefaultValue("32MB") DataSize maxRequestSize,
        @DefaultValue("20") int defaultPageSize,
        @DefaultValue("500") int maxPageSize,
        @DefaultValue Subscriptions subscriptions) {

    /**
     * @param restHookEnabled whether the server matches writes against rest-hook Subscriptions and delivers them
     */
    public record Subscriptions(@DefaultValue("true") boolean restHookEnabled) {}
}
