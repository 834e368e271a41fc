package calciscreen.bench;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.IRestfulClientFactory;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import ca.uhn.fhir.rest.client.interceptor.AdditionalRequestHeadersInterceptor;
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
 * The one place where the benchmark's requests to the FHIR server are built: the raw HTTP requests (bundles,
 * metadata) come from {@link #request}, the HAPI client of {@link #client} carries the same {@link #headers}.
 * When the server requires a bearer token, {@link #headers} gets {@code Authorization: Bearer ...}, and only it.
 */
public final class FhirHttp {

    public static final FhirContext FHIR = FhirContext.forR4Cached();

    private final String base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final IGenericClient client;

    public FhirHttp(String base) {
        this.base = base;
        IRestfulClientFactory factory = FHIR.getRestfulClientFactory();
        factory.setServerValidationMode(ServerValidationModeEnum.NEVER);
        factory.setConnectTimeout(5_000);
        factory.setSocketTimeout(120_000);
        factory.setPoolMaxTotal(64);
        factory.setPoolMaxPerRoute(64);
        this.client = FHIR.newRestfulGenericClient(base);
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers().forEach((name, value) -> headers.put(name, List.of(value)));
        client.registerInterceptor(new AdditionalRequestHeadersInterceptor(headers));
    }

    /** The headers every request to the FHIR server carries (the place for an Authorization header). */
    static Map<String, String> headers() {
        // search results fresh on every read: the benchmark measures when data is visible, not a cache
        return Map.of("Cache-Control", "no-cache");
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
