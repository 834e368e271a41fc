package calciscreen.smart;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Guards the operators' endpoints of a service (the screening's {@code /screening/*}: backfill; the HL7 v2 intake's
 * metrics and health details): a re-screening of everyone, or a look at a service's internals, is an operator's
 * decision, so it needs an operator token ({@code ./calciscreen token}) from the FHIR server's authorization server.
 */
public final class OperatorAuthFilter extends HttpFilter {

    private static final Logger log = LoggerFactory.getLogger(OperatorAuthFilter.class);

    private final OperatorTokens tokens;
    private final java.util.Set<String> open;

    public OperatorAuthFilter(OperatorTokens tokens) {
        this(tokens, java.util.Set.of());
    }

    /**
     * @param open paths under the filter's patterns that stay open (a servlet pattern {@code /a/*} also matches
     *             {@code /a}: the intake guards {@code /actuator/*} but leaves {@code /actuator/health}, UP or DOWN,
     *             to probes)
     */
    public OperatorAuthFilter(OperatorTokens tokens, java.util.Set<String> open) {
        this.tokens = tokens;
        this.open = java.util.Set.copyOf(open);
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (open.contains(request.getRequestURI())) {
            chain.doFilter(request, response);
            return;
        }
        String authorization = request.getHeader("Authorization");
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            refuse(request, response, 401, "an operator token is needed (./calciscreen token)");
            return;
        }
        OperatorTokens.Check check = tokens.check(authorization.substring(7).trim());
        if (!check.valid()) {
            refuse(request, response, check.reason().startsWith("the token lacks") ? 403 : 401, check.reason());
            return;
        }
        chain.doFilter(request, response);
    }

    private static void refuse(HttpServletRequest request, HttpServletResponse response, int status, String reason)
            throws IOException {
        log.warn("event=operator_request_refused path={} status={} reason=\"{}\"", request.getRequestURI(), status, reason);
        response.setStatus(status);
        if (status == 401) {
            response.setHeader("WWW-Authenticate", "Bearer");
        }
        response.setContentType("application/json");
        response.getWriter().write("{\"error\":\"" + (status == 401 ? "unauthorized" : "forbidden")
                + "\",\"message\":\"" + reason.replace("\\", "\\\\").replace("\"", "'") + "\"}");
    }
}
