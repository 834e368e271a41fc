package calciscreen.screening.signin;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.csrf.CsrfException;

/**
 * What someone not (or no longer) allowed gets: a browser asking for a page is sent to sign in; a JSON request
 * ({@code /worklist/api/...}, or one that accepts JSON and not HTML) gets 401 without a redirect, so that the page's
 * scripts can tell. A signed-in person without the role, or a state-changing request without the CSRF token, gets
 * 403. A sign-in the issuer refused gets 401 and a sentence.
 */
final class SignInRefusals implements AuthenticationEntryPoint, AccessDeniedHandler,
        org.springframework.security.web.authentication.AuthenticationFailureHandler {

    private static final Logger log = LoggerFactory.getLogger(SignInRefusals.class);
    static final String SIGN_IN = "/oauth2/authorization/" + SignInProperties.REGISTRATION_ID;

    private final LoginUrlAuthenticationEntryPoint browser = new LoginUrlAuthenticationEntryPoint(SIGN_IN);

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException e)
            throws IOException, jakarta.servlet.ServletException {
        if (wantsJson(request)) {
            write(response, 401, "sign in first: open /worklist in the browser");
        } else {
            browser.commence(request, response, e);
        }
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException e)
            throws IOException {
        boolean csrf = e instanceof CsrfException;
        log.warn("event=signin_refused status=403 reason={} method={} path={}", csrf ? "csrf" : "role",
                request.getMethod(), request.getRequestURI());
        String why = csrf ? "this request needs the X-XSRF-TOKEN header with the XSRF-TOKEN cookie's value"
                : "your role may not open the calciscreen worklist";
        if (wantsJson(request) || csrf) {
            write(response, 403, why);
        } else {
            response.setStatus(403);
            response.setContentType("text/plain;charset=UTF-8");
            response.getWriter().write("403: " + why + ". Sign out at /signin/sign-out or ask for the role.\n");
        }
    }

    /**
     * The issuer refused the sign-in (a spent EHR launch, a denied consent, a bad code): said in a page of its own,
     * never a redirect that would start the sign-in again and loop.
     */
    @Override
    public void onAuthenticationFailure(HttpServletRequest request, HttpServletResponse response,
                                        AuthenticationException e) throws IOException {
        String code = e instanceof org.springframework.security.oauth2.core.OAuth2AuthenticationException oauth
                ? oauth.getError().getErrorCode().replaceAll("[^a-z_]", "") : "failed";
        log.warn("event=signin_failed error={}", code);
        jakarta.servlet.http.HttpSession session = request.getSession(false);
        if (session != null) {
            session.removeAttribute(EhrLaunch.SESSION_KEY);
        }
        response.setStatus(401);
        response.setContentType("text/plain;charset=UTF-8");
        response.getWriter().write("401: the sign-in did not complete (" + code + "). Open /worklist to sign in again.\n");
    }

    static boolean wantsJson(HttpServletRequest request) {
        if (request.getRequestURI().startsWith("/worklist/api/")) {
            return true;
        }
        String accept = request.getHeader("Accept");
        return accept != null && accept.contains("application/json") && !accept.contains("text/html");
    }

    private static void write(HttpServletResponse response, int status, String why) throws IOException {
        response.setStatus(status);
        response.setHeader("Cache-Control", "no-store");
        response.setContentType("application/json");
        response.getWriter().write("{\"error\":\"" + why + "\"}");
    }
}
