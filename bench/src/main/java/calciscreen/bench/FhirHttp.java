package calciscreen.bench;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.IRestfulClientFactory;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one place where the benchmark's requests to the FHIR server are built: the raw HTTP requests (bundles) come
 * from {@link #request}, the HAPI client of {@link #client} carries the same {@link #headers}, among them the
 * operator's bearer token (SMART Backend Services, renewed as it expires).
 */
public final class FhirHttp {

    public static final FhirContext FHIR = FhirContext.forR4Cached();
    static final String CACHE_CONTROL = "Cache-Control";

    private final String base;
    private final java.util.function.Supplier<String> token;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final IGenericClient client;

    /**
     * @param token a valid access token for each request (the caller renews it); a supplier of null: no
     *              Authorization header (a server without security, such as the stock HAPI starter)
     */
    public FhirHttp(String base, java.util.function.Supplier<String> token) {
        this.base = base;
        this.token = token;
        IRestfulClientFactory factory = FHIR.getRestfulClientFactory();
        factory.setServerValidationMode(ServerValidationModeEnum.NEVER);
        factory.setConnectTimeout(5_000);
        factory.setSocketTimeout(120_000);
        factory.setPoolMaxTotal(64);
        factory.setPoolMaxPerRoute(64);
        this.client = FHIR.newRestfulGenericClient(base);
        client.registerInterceptor(new ca.uhn.fhir.rest.client.api.IClientInterceptor() {
            @Override
            public void interceptRequest(ca.uhn.fhir.rest.client.api.IHttpRequest request) {
                boolean ownCacheControl = request.getAllHeaders().containsKey(CACHE_CONTROL);
                headers().forEach((name, value) -> {
                    if (name.equals(CACHE_CONTROL) && ownCacheControl) {
                        return; // asked for by the caller (withAdditionalHeader)
                    }
                    request.removeHeaders(name);
                    request.addHeader(name, value);
                });
            }

            @Override
            public void interceptResponse(ca.uhn.fhir.rest.client.api.IHttpResponse response) {}
        });
    }

    /** The headers every request to the FHIR server carries. */
    Map<String, String> headers() {
        Map<String, String> headers = new LinkedHashMap<>();
        // search results fresh on every read: the benchmark measures when data is visible, not a cache
        headers.put(CACHE_CONTROL, "no-cache");
        String bearer = token.get();
        if (bearer != null) {
            headers.put("Authorization", "Bearer " + bearer);
        }
        return headers;
    }

    public String base() {
        return base;
    }

    /** A request to {@code base/relative} with the common headers. */
    public HttpRequest.Builder request(String relative) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(relative.isEmpty() ? base : base + "/" + relative))
                .timeout(Duration.ofMinutes(10));
        headers().forEach(builder::header);
        return builder;
    }

    /** HAPI's fluent client on the same base, with the same headers. */
    public IGenericClient client() {
        return client;
    }

    public HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(request.method() + " " + request.uri() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
