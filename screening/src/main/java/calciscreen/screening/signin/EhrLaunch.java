package calciscreen.screening.signin;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizationRequestResolver;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.security.web.authentication.AuthenticationSuccessHandler;
import org.springframework.security.web.authentication.SavedRequestAwareAuthenticationSuccessHandler;

/**
 * The SMART EHR launch: the EHR opens {@code /signin/launch?iss=<FHIR base>&launch=<id>}; the sign-in that follows
 * carries {@code launch} (with the scope {@code launch} and {@code aud} = the FHIR base), the issuer binds the patient
 * open in the EHR to it and names them in the ID token's {@code patient} claim, and the person lands on that
 * patient's view. Without a launch, a sign-in lands where the person was going (the worklist).
 */
final class EhrLaunch implements OAuth2AuthorizationRequestResolver, AuthenticationSuccessHandler {

    static final String PATH = "/signin/launch";
    static final String SESSION_KEY = "calciscreen.ehr-launch";
    static final Pattern LAUNCH = Pattern.compile("[A-Za-z0-9\\-._~+/=]{1,512}");
    static final Pattern PATIENT = Pattern.compile("[A-Za-z0-9\\-.]{1,64}");

    private final OAuth2AuthorizationRequestResolver resolver;
    private final String fhirBase;
    private final SavedRequestAwareAuthenticationSuccessHandler standalone = new SavedRequestAwareAuthenticationSuccessHandler();

    EhrLaunch(OAuth2AuthorizationRequestResolver resolver, String fhirBase) {
        this.resolver = resolver;
        this.fhirBase = normalized(fhirBase);
        standalone.setDefaultTargetUrl("/worklist");
    }

    /** Whether {@code iss} names the FHIR server this service reads (only that server's launches are accepted). */
    boolean isOurServer(String iss) {
        return iss != null && normalized(iss).equals(fhirBase);
    }

    static void remember(HttpServletRequest request, String launch) {
        request.getSession(true).setAttribute(SESSION_KEY, launch);
    }

    @Override
    public OAuth2AuthorizationRequest resolve(HttpServletRequest request) {
        return withLaunch(request, resolver.resolve(request));
    }

    @Override
    public OAuth2AuthorizationRequest resolve(HttpServletRequest request, String clientRegistrationId) {
        return withLaunch(request, resolver.resolve(request, clientRegistrationId));
    }

    private OAuth2AuthorizationRequest withLaunch(HttpServletRequest request, OAuth2AuthorizationRequest authorization) {
        HttpSession session = request.getSession(false);
        Object launch = session == null ? null : session.getAttribute(SESSION_KEY);
        if (authorization == null || !(launch instanceof String id)) {
            return authorization;
        }
        Set<String> scopes = new LinkedHashSet<>(authorization.getScopes());
        scopes.add("launch");
        Map<String, Object> parameters = new LinkedHashMap<>(authorization.getAdditionalParameters());
        parameters.put("launch", id);
        parameters.put("aud", fhirBase);
        return OAuth2AuthorizationRequest.from(authorization).scopes(scopes).additionalParameters(parameters).build();
    }

    @Override
    public void onAuthenticationSuccess(HttpServletRequest request, HttpServletResponse response,
                                        Authentication authentication) throws IOException, ServletException {
        HttpSession session = request.getSession(false);
        Object launch = session == null ? null : session.getAttribute(SESSION_KEY);
        if (launch == null) {
            standalone.onAuthenticationSuccess(request, response, authentication);
            return;
        }
        session.removeAttribute(SESSION_KEY);
        String patient = authentication.getPrincipal() instanceof OidcUser user ? user.getClaimAsString("patient") : null;
        response.sendRedirect(patient != null && PATIENT.matcher(patient).matches()
                ? "/worklist#patient=" + patient : "/worklist");
    }

    private static String normalized(String url) {
        return url.trim().replaceAll("/+$", "");
    }
}
