package calciscreen.server.security;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jwt.JWTParser;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.text.ParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.r4.model.IdType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AccessTokenAuthenticationContext;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AccessTokenAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationContext;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationException;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationToken;

/**
 * SMART's EHR launch, with the embedded server standing in for the EHR. {@code POST /oauth2/launch} (an operator
 * token, {@code system/*.cruds}; body {@code patient=<id>}, form or JSON) answers
 * {@code {"launch":"<opaque>","expires_in":300}} for a patient the server has. An authorization request carrying
 * {@code launch=<opaque>} and the scope {@code launch} (or {@code launch/patient}) binds that patient to the
 * sign-in: the token response says {@code "patient": "<id>"}, the access and ID tokens carry the claim
 * {@code patient}. A launch unknown, expired or already used is refused with {@code invalid_request}, sent to the
 * (registered, already checked) redirect URI; the launch is spent when the signed-in person's code is issued.
 */
final class EhrLaunch {

    private static final Logger log = LoggerFactory.getLogger(EhrLaunch.class);
    static final String PATH = "/oauth2/launch";
    static final String LAUNCH = "launch";
    static final String PATIENT = "patient";
    private static final Set<String> LAUNCH_SCOPES = Set.of("launch", "launch/patient");

    private final LaunchContexts launches;

    EhrLaunch(LaunchContexts launches) {
        this.launches = launches;
    }

    LaunchContexts contexts() {
        return launches;
    }

    /** Checks the {@code launch} of an authorization request, and spends it once the person has signed in. */
    void check(OAuth2AuthorizationCodeRequestAuthenticationContext context) {
        OAuth2AuthorizationCodeRequestAuthenticationToken request = context.getAuthentication();
        Object launch = request.getAdditionalParameters().get(LAUNCH);
        if (launch == null) {
            return;
        }
        if (request.getScopes().stream().noneMatch(LAUNCH_SCOPES::contains)) {
            throw refused(request, "a launch parameter needs the scope launch (or launch/patient)");
        }
        boolean signedIn = request.getPrincipal() instanceof Authentication person && person.isAuthenticated()
                && !(person instanceof AnonymousAuthenticationToken);
        if (signedIn ? launches.bind(launch.toString()).isEmpty() : !launches.usable(launch.toString())) {
            throw refused(request, "the launch is unknown, expired or already used");
        }
    }

    private static OAuth2AuthorizationCodeRequestAuthenticationException refused(
            OAuth2AuthorizationCodeRequestAuthenticationToken request, String why) {
        return new OAuth2AuthorizationCodeRequestAuthenticationException(
                new OAuth2Error(OAuth2ErrorCodes.INVALID_REQUEST, why, null), request);
    }

    /** The patient a sign-in was launched with, for its tokens. */
    Optional<String> patientOf(OAuth2Authorization authorization) {
        if (authorization == null) {
            return Optional.empty();
        }
        OAuth2AuthorizationRequest request = authorization.getAttribute(OAuth2AuthorizationRequest.class.getName());
        Object launch = request == null ? null : request.getAdditionalParameters().get(LAUNCH);
        return launch == null ? Optional.empty() : launches.patientOf(launch.toString());
    }

    /** The token response says the launch's patient beside the tokens (SMART's launch context). */
    static void patientInTokenResponse(OAuth2AccessTokenAuthenticationContext context) {
        OAuth2AccessTokenAuthenticationToken issued = context.getAuthentication();
        try {
            Object patient = JWTParser.parse(issued.getAccessToken().getTokenValue()).getJWTClaimsSet().getClaim(PATIENT);
            if (patient instanceof String id) {
                Map<String, Object> parameters = new LinkedHashMap<>(issued.getAdditionalParameters());
                parameters.put(PATIENT, id);
                context.getAccessTokenResponse().additionalParameters(parameters);
            }
        } catch (ParseException e) {
            throw new IllegalStateException("the access token just issued is not a JWT", e);
        }
    }

    /** {@code POST /oauth2/launch}: a new launch of a patient, for operators. */
    static final class Endpoint extends HttpServlet {

        private static final ObjectMapper JSON = new ObjectMapper();
        private static final java.util.regex.Pattern FHIR_ID = java.util.regex.Pattern.compile("[A-Za-z0-9\\-.]{1,64}");

        private final transient LaunchContexts launches;
        private final transient DaoRegistry daos;

        Endpoint(LaunchContexts launches, DaoRegistry daos) {
            this.launches = launches;
            this.daos = daos;
        }

        @Override
        protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
            if (!ScopeAuthorizationInterceptor.callerScopes().grantsEverything()) {
                answer(response, 403, error("insufficient_scope", "launching needs an operator token (system/*.cruds)"));
                return;
            }
            String patient = patientOf(request);
            if (patient == null || !FHIR_ID.matcher(patient).matches()) {
                answer(response, 400, error(OAuth2ErrorCodes.INVALID_REQUEST, "patient=<Patient id> is required"));
                return;
            }
            try {
                daos.getResourceDao("Patient").read(new IdType("Patient", patient), new SystemRequestDetails());
            } catch (BaseServerResponseException e) {
                answer(response, 400, error(OAuth2ErrorCodes.INVALID_REQUEST, "no Patient/" + patient + " on this server"));
                return;
            }
            Optional<String> launch = launches.create(patient);
            if (launch.isEmpty()) {
                answer(response, 503, error("temporarily_unavailable", "too many launches in flight; try again shortly"));
                return;
            }
            log.info("event=launch_created patient=Patient/{} client={}", patient,
                    org.springframework.security.core.context.SecurityContextHolder.getContext().getAuthentication()
                            instanceof org.springframework.security.oauth2.server.resource.authentication
                            .JwtAuthenticationToken token ? ClientIdentity.clientIdOf(token.getToken()) : null);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put(LAUNCH, launch.get());
            body.put("expires_in", LaunchContexts.LIFETIME.toSeconds());
            answer(response, 200, body);
        }

        private static String patientOf(HttpServletRequest request) throws IOException {
            String type = request.getContentType() == null ? "" : request.getContentType();
            if (type.startsWith("application/json")) {
                JsonNode body = JSON.readTree(request.getInputStream());
                return body != null && body.get(PATIENT) != null && body.get(PATIENT).isTextual()
                        ? body.get(PATIENT).asText() : null;
            }
            return request.getParameter(PATIENT);
        }

        private static Map<String, Object> error(String code, String description) {
            Map<String, Object> error = new LinkedHashMap<>();
            error.put("error", code);
            error.put("error_description", description);
            return error;
        }

        private static void answer(HttpServletResponse response, int status, Map<String, Object> body) throws IOException {
            response.setStatus(status);
            response.setContentType("application/json;charset=UTF-8");
            response.setHeader("Cache-Control", "no-store");
            JSON.writeValue(response.getOutputStream(), body);
        }
    }
}
