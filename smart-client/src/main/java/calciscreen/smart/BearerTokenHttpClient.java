package calciscreen.smart;

import java.io.IOException;
import java.net.URI;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.http.HttpHeaders;
import org.apache.http.HttpHost;
import org.apache.http.HttpRequestInterceptor;
import org.apache.http.HttpResponse;
import org.apache.http.HttpStatus;
import org.apache.http.client.HttpClient;
import org.apache.http.client.ServiceUnavailableRetryStrategy;
import org.apache.http.client.config.RequestConfig;
import org.apache.http.impl.client.HttpClients;
import org.apache.http.impl.conn.PoolingHttpClientConnectionManager;
import org.apache.http.protocol.HttpContext;
import org.apache.http.protocol.HttpCoreContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP client under a service's FHIR client (the screening's, the HL7 v2 intake's). Every request to the FHIR
 * server carries the service's access token (SMART Backend Services; renewed before it expires); a 401 renews the
 * token once and sends the request again, never more. Requests to any other host get no token, so it never leaks to
 * a server that is not ours.
 *
 * <p>Answers from our server come uncompressed: the services run beside their server, and HAPI's generic client asks
 * for gzip on every request, which makes the server deflate every answer and the client inflate it again, CPU on
 * both sides for no gain. An answer that comes compressed anyway is still decoded.
 */
public final class BearerTokenHttpClient {

    private static final Logger log = LoggerFactory.getLogger(BearerTokenHttpClient.class);
    private static final String SENT_TOKEN = "calciscreen.sent-token";

    private BearerTokenHttpClient() {}

    /**
     * @param tokens     the token source; empty in insecure dev mode (no token is sent)
     * @param fhirServer the only host that gets the token and is asked for uncompressed answers
     * @param pool       connections kept to the server
     */
    public static HttpClient create(Optional<SmartBackendClient> tokens, String fhirServer, int pool,
                                    int connectTimeoutMillis, int socketTimeoutMillis) {
        PoolingHttpClientConnectionManager connections = new PoolingHttpClientConnectionManager(5, TimeUnit.MINUTES);
        connections.setMaxTotal(pool);
        connections.setDefaultMaxPerRoute(pool);
        RequestConfig timeouts = RequestConfig.custom()
                .setConnectTimeout(connectTimeoutMillis)
                .setSocketTimeout(socketTimeoutMillis)
                .setConnectionRequestTimeout(socketTimeoutMillis)
                .build();
        var builder = HttpClients.custom()
                .setConnectionManager(connections)
                .setDefaultRequestConfig(timeouts)
                .disableCookieManagement();
        HttpHost server = host(URI.create(fhirServer));
        builder.addInterceptorLast(uncompressedFrom(server));
        tokens.ifPresent(client -> {
            builder.addInterceptorLast(bearer(client, server));
            builder.setServiceUnavailableRetryStrategy(renewOnceOn401(client));
        });
        return builder.build();
    }

    private static HttpRequestInterceptor bearer(SmartBackendClient tokens, HttpHost server) {
        return (request, context) -> {
            // a request that already names its caller (a token handed over by someone else) is left as it is;
            // our own header (set on the first attempt) is replaced on the retry after a 401
            boolean foreign = request.containsHeader(HttpHeaders.AUTHORIZATION) && context.getAttribute(SENT_TOKEN) == null;
            if (toServer(context, server) && !foreign) {
                String token;
                try {
                    token = tokens.accessToken();
                } catch (TokenException e) {
                    // like a connection failure: the request is retried later, and nothing is lost meanwhile
                    throw new IOException("no access token: " + e.getMessage(), e);
                }
                context.setAttribute(SENT_TOKEN, token);
                request.setHeader(HttpHeaders.AUTHORIZATION, "Bearer " + token);
            }
        };
    }

    /** Runs after HAPI's client and Apache's own interceptors have added their {@code Accept-Encoding}. */
    private static HttpRequestInterceptor uncompressedFrom(HttpHost server) {
        return (request, context) -> {
            if (toServer(context, server)) {
                request.removeHeaders(HttpHeaders.ACCEPT_ENCODING);
            }
        };
    }

    private static ServiceUnavailableRetryStrategy renewOnceOn401(SmartBackendClient tokens) {
        return new ServiceUnavailableRetryStrategy() {
            @Override
            public boolean retryRequest(HttpResponse response, int executionCount, HttpContext context) {
                Object sent = context.getAttribute(SENT_TOKEN);
                if (response.getStatusLine().getStatusCode() != HttpStatus.SC_UNAUTHORIZED || executionCount > 1
                        || sent == null) {
                    return false;
                }
                log.info("event=token_refused action=renew_and_retry_once client={}", tokens.clientId());
                tokens.invalidate((String) sent);
                return true;
            }

            @Override
            public long getRetryInterval() {
                return 0;
            }
        };
    }

    /** Whether the request being sent goes to {@code server} (same scheme, host and port). */
    private static boolean toServer(HttpContext context, HttpHost server) {
        HttpHost target = (HttpHost) context.getAttribute(HttpCoreContext.HTTP_TARGET_HOST);
        return target != null && sameOrigin(target, server);
    }

    private static boolean sameOrigin(HttpHost a, HttpHost b) {
        return a.getSchemeName().equalsIgnoreCase(b.getSchemeName()) && a.getHostName().equalsIgnoreCase(b.getHostName())
                && port(a) == port(b);
    }

    private static int port(HttpHost host) {
        return host.getPort() != -1 ? host.getPort() : "https".equalsIgnoreCase(host.getSchemeName()) ? 443 : 80;
    }

    private static HttpHost host(URI uri) {
        return new HttpHost(uri.getHost(), uri.getPort(), uri.getScheme());
    }
}
