package calciscreen.screening.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The security headers of every response of this service, whoever answers it (a page, the JSON, a CDS response, a
 * refusal by an earlier filter): scripts, styles and frames only from this origin and never inside another page's
 * frame, no content-type sniffing, no Referer sent anywhere (a patient id in a URL stays here).
 */
public final class SecurityHeaders extends OncePerRequestFilter {

    /** No inline script or style anywhere in the pages: everything comes from files of this origin. */
    static final String CSP = "default-src 'self'; frame-ancestors 'none'";

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        response.setHeader("Content-Security-Policy", CSP);
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("Referrer-Policy", "no-referrer");
        response.setHeader("X-Frame-Options", "DENY");
        chain.doFilter(request, response);
    }
}
