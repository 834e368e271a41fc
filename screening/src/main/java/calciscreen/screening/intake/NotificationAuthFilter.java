package calciscreen.screening.intake;

import calciscreen.model.resources.OperationOutcomes;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Guards the rest-hook endpoint: a request without the secret of the Subscription it claims to come from (the one
 * watching the type in its path; any of them for a notification without payload) is refused with 401 before its
 * body is read or anything is queued, so nobody outside can trigger or flood screening. With
 * {@code notifications-from-loopback-only} (the default: the FHIR server delivers over localhost, as in the compose
 * stack and the launcher) a request from any other address is refused too, so the endpoint is not reachable from
 * outside the host even where the port is published for CDS Hooks and the worklist.
 */
final class NotificationAuthFilter extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(NotificationAuthFilter.class);
    private static final String OUTCOME_401 = OperationOutcomes.errorJson(IssueType.LOGIN,
            "notifications must carry the secret set on the screening's Subscriptions (" + NotificationSecret.HEADER
                    + ")");

    private final NotificationSecret secret;
    private final IntakeMetrics metrics;
    private final boolean loopbackOnly;

    NotificationAuthFilter(NotificationSecret secret, IntakeMetrics metrics) {
        this.secret = secret;
        this.metrics = metrics;
        this.loopbackOnly = secret.loopbackOnly();
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (loopbackOnly && !isLoopback(request.getRemoteAddr())) {
            metrics.unauthenticated();
            log.warn("event=notification_refused reason=not_from_loopback method={} remote={}", request.getMethod(),
                    request.getRemoteAddr());
            refuse(response);
            return;
        }
        // PUT/DELETE .../fhir-notify/{Type}/{id} come from the Subscription watching {Type}, with its own secret
        String[] path = request.getRequestURI().substring(request.getContextPath().length()).split("/");
        String presented = request.getHeader(NotificationSecret.HEADER);
        boolean valid = path.length >= 3 ? secret.matches(path[2], presented) : secret.matchesAny(presented);
        if (valid) {
            chain.doFilter(request, response);
            return;
        }
        metrics.unauthenticated();
        log.warn("event=notification_refused reason=no_valid_secret method={} remote={}", request.getMethod(),
                request.getRemoteAddr());
        refuse(response);
    }

    private static boolean isLoopback(String address) {
        try {
            return java.net.InetAddress.getByName(address).isLoopbackAddress(); // a literal address: no lookup
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    private static void refuse(HttpServletResponse response) throws IOException {
        response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
        response.setContentType(OperationOutcomes.FHIR_JSON);
        response.getWriter().write(OUTCOME_401);
    }
}
