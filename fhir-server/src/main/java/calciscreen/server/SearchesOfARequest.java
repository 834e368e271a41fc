package calciscreen.server;

import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.util.UrlUtil;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import org.hl7.fhir.r4.model.Bundle;

/**
 * The searches one request makes: itself, when it is a search, or the query URLs of its batch or transaction entries
 * (a GET search, a conditional write's match). For the checks that must hold for every search however it arrives.
 */
public final class SearchesOfARequest {

    private static final Set<RestOperationTypeEnum> SEARCHES = Set.of(RestOperationTypeEnum.SEARCH_TYPE,
            RestOperationTypeEnum.SEARCH_SYSTEM);

    private SearchesOfARequest() {}

    /** Calls {@code search} with the resource type (null for a system search) and the parameters of each search. */
    public static void forEach(RequestDetails request, RestOperationTypeEnum operation,
                               BiConsumer<String, Map<String, String[]>> search) {
        if (SEARCHES.contains(operation)) {
            search.accept(request.getResourceName(), request.getParameters());
        } else if ((operation == RestOperationTypeEnum.TRANSACTION || operation == RestOperationTypeEnum.BATCH)
                && request.getResource() instanceof Bundle bundle) {
            for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
                String url = entry.getRequest().getUrl();
                if (url != null && url.contains("?")) {
                    search.accept(typeOf(url), UrlUtil.parseQueryString(url.substring(url.indexOf('?') + 1)));
                }
            }
        }
    }

    /** The resource type a transaction entry's URL names ({@code Patient/1}, {@code Patient?identifier=...}). */
    public static String typeOf(String url) {
        if (url == null || url.isBlank()) {
            return null;
        }
        String path = url.replaceFirst("^https?://[^?]*?/fhir/", "");
        int end = path.length();
        for (char stop : new char[] {'/', '?'}) {
            int at = path.indexOf(stop);
            if (at >= 0) {
                end = Math.min(end, at);
            }
        }
        String type = path.substring(0, end);
        return type.isEmpty() ? null : type;
    }
}
