package calciscreen.screening.cds;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.apache.ApacheRestfulClientFactory;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import ca.uhn.fhir.rest.client.interceptor.BearerTokenAuthInterceptor;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Resource;

/**
 * Fetches the prefetch parts an EHR did not send from its {@code fhirServer}, with the access token the call
 * carries, within a time budget. Only servers on the allow-list are ever contacted: the service is no proxy to any
 * address a caller names.
 */
public class FhirServerFetcher implements AutoCloseable {

    /** Why fetching gave nothing usable: the call is answered with no card and this reason is logged. */
    public static final class FetchFailed extends Exception {
        private final String reason;

        FetchFailed(String reason, String message) {
            super(message);
            this.reason = reason;
        }

        public String reason() {
            return reason;
        }
    }

    private static final int MAX_PAGES = 20;

    private final ApacheRestfulClientFactory clients;
    private final Set<String> allowed;
    private final Duration timeout;
    private final ExecutorService executor;

    public FhirServerFetcher(FhirContext fhir, Collection<String> allowList, Duration timeout) {
        // HAPI sends a client's requests through its FhirContext's client factory, not the factory the client came
        // from: on the screening's shared context they would go with the screening's HTTP client (its 60 s socket
        // timeout, its connection pool, and its own token wherever the EHR names the screening's server). A context of
        // its own keeps every fetch within this budget and this pool, with only the token the EHR handed over.
        FhirContext own = new FhirContext(fhir.getVersion().getVersion());
        this.clients = new ApacheRestfulClientFactory(own);
        own.setRestfulClientFactory(clients);
        clients.setServerValidationMode(ServerValidationModeEnum.NEVER);
        int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        clients.setConnectTimeout(millis);
        clients.setSocketTimeout(millis);
        clients.setConnectionRequestTimeout(millis);
        clients.setPoolMaxTotal(50);
        clients.setPoolMaxPerRoute(20);
        this.allowed = allowList.stream().map(FhirServerFetcher::normalise).collect(java.util.stream.Collectors.toSet());
        this.timeout = timeout;
        AtomicInteger n = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(8, r -> {
            Thread t = new Thread(r, "cds-fetch-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    public boolean allows(String fhirServer) {
        return allowed.contains(normalise(fhirServer));
    }

    public Duration timeout() {
        return timeout;
    }

    /** Fetches the parts for the patient; throws FetchFailed on a timeout or any failure of the server. */
    public Map<Prefetch, List<Resource>> fetch(String fhirServer, Optional<String> accessToken, String patientId,
                                               Set<Prefetch> parts, Instant at, Duration lookback) throws FetchFailed {
        if (!allows(fhirServer)) {
            throw new IllegalArgumentException("fhirServer not allowed: " + fhirServer);
        }
        IGenericClient client = clients.newGenericClient(normalise(fhirServer));
        accessToken.ifPresent(token -> client.registerInterceptor(new BearerTokenAuthInterceptor(token)));
        String from = at.minus(lookback).minus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS).toString();
        Future<Map<Prefetch, List<Resource>>> future = executor.submit(() -> load(client, patientId, parts, from));
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new FetchFailed("timeout", "fhirServer did not answer within " + timeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            String reason = cause instanceof ca.uhn.fhir.rest.client.exceptions.FhirClientConnectionException
                    ? (String.valueOf(cause.getMessage()).toLowerCase().contains("timed out") ? "timeout" : "connection")
                    : cause instanceof ca.uhn.fhir.rest.server.exceptions.AuthenticationException ? "unauthorized"
                    : cause instanceof ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException ? "server_error"
                    : "failure";
            throw new FetchFailed(reason, PrefetchReader.firstLine(cause.getClass().getSimpleName() + ": "
                    + cause.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FetchFailed("interrupted", "interrupted");
        }
    }

    private static Map<Prefetch, List<Resource>> load(IGenericClient client, String patientId, Set<Prefetch> parts,
                                                      String from) {
        Map<Prefetch, List<Resource>> result = new EnumMap<>(Prefetch.class);
        for (Prefetch part : parts) {
            if (part.isRead()) {
                try {
                    result.put(part, List.of(client.read().resource(org.hl7.fhir.r4.model.Patient.class)
                            .withId(patientId).execute()));
                } catch (ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException
                         | ca.uhn.fhir.rest.server.exceptions.ResourceGoneException e) {
                    result.put(part, List.of());
                }
                continue;
            }
            Map<String, Resource> found = new LinkedHashMap<>();
            for (String query : part.queries(patientId, from)) {
                Bundle page = client.search().byUrl(query).returnBundle(Bundle.class).execute();
                for (int pages = 1; ; pages++) {
                    for (Bundle.BundleEntryComponent entry : page.getEntry()) {
                        Resource r = entry.getResource();
                        if (r != null && !(r instanceof OperationOutcome)) {
                            found.putIfAbsent(r.fhirType() + "/" + r.getIdElement().getIdPart(), r);
                        }
                    }
                    if (page.getLink(Bundle.LINK_NEXT) == null || pages >= MAX_PAGES) {
                        break;
                    }
                    page = client.loadPage().next(page).execute();
                }
            }
            result.put(part, new ArrayList<>(found.values()));
        }
        return result;
    }

    static String normalise(String url) {
        return url.trim().replaceAll("/+$", "");
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
