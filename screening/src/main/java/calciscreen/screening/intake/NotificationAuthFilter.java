package calciscreen.screening.intake;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Guards the rest-hook endpoint: a request without the notification secret is refused with 401 before it can queue
 * anything, so nobody outside can trigger or flood screening.
 */
public final class NotificationAuthFilter extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(NotificationAuthFilter.class);
    private static final String OUTCOME_401 = "{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"severity\":\"error\","
            + "\"code\":\"login\",\"diagnostics\":\"notifications must carry the secret set on the screening's "
            + "Subscriptions (" + NotificationSecret.HEADER + ")\"}]}";

    private final NotificationSecret secret;
    private final IntakeMetrics metrics;

    public NotificationAuthFilter(NotificationSecret secret, IntakeMetrics metrics) {
        this.secret = secret;
        this.metrics = metrics;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (secret.matches(request.getHeader(NotificationSecret.HEADER))) {
            chain.doFilter(request, response);
            return;
        }
        metrics.unauthenticated();
        log.warn("event=notification_refused reason=no_valid_secret method={} remote={}", request.getMethod(),
                request.getRemoteAddr());
        response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
        response.setContentType("application/fhir+json");
        response.getWriter().write(OUTCOME_401);
    }
}
