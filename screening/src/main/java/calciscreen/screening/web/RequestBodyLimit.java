package calciscreen.screening.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * A bound on what any request to this service may make it read: a body declared larger than the limit is refused
 * with 413 before a byte of it is read, and a body of undeclared length (chunked) with 411, since its size is known
 * only once it has been read. CDS clients and the FHIR server's rest-hooks declare their lengths. Authentication
 * comes first where a body is read at all: the notification secret and the operator token are checked by filters,
 * the CDS client's JWT before the controller reads the body.
 */
public final class RequestBodyLimit extends OncePerRequestFilter {

    private final long maxBytes;

    public RequestBodyLimit(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long declared = request.getContentLengthLong();
        if (declared > maxBytes) {
            refuse(response, HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE, "the request body is larger than "
                    + maxBytes + " bytes (calciscreen.http.max-request-size)");
            return;
        }
        if (declared < 0 && request.getHeader("Transfer-Encoding") != null) {
            refuse(response, HttpServletResponse.SC_LENGTH_REQUIRED,
                    "send the request body with a Content-Length (at most " + maxBytes + " bytes)");
            return;
        }
        chain.doFilter(request, response);
    }

    private static void refuse(HttpServletResponse response, int status, String why) throws IOException {
        response.setStatus(status);
        response.setHeader("Connection", "close");
        response.setContentType("application/json");
        response.getWriter().write("{\"error\":\"request_too_large\",\"error_description\":\"" + why + "\"}");
    }
}
