package calciscreen.server.security;

import ca.uhn.fhir.context.FhirContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.oauth2.server.resource.web.access.BearerTokenAccessDeniedHandler;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;

/**
 * 401 and 403 the way a FHIR client expects them: the {@code WWW-Authenticate} header of RFC 6750 and an
 * {@code OperationOutcome} body saying what was wrong (no token, an expired one, one for another audience, ...).
 */
public final class OperationOutcomeErrors implements AuthenticationEntryPoint, AccessDeniedHandler {

    private final FhirContext fhir;
    private final BearerTokenAuthenticationEntryPoint bearerEntryPoint = new BearerTokenAuthenticationEntryPoint();
    private final BearerTokenAccessDeniedHandler bearerDenied = new BearerTokenAccessDeniedHandler();

    public OperationOutcomeErrors(FhirContext fhir) {
        this.fhir = fhir;
    }

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException e)
            throws IOException {
        bearerEntryPoint.commence(request, response, e);
        String reason = request.getHeader("Authorization") == null
                ? "This request needs a bearer token (SMART Backend Services: see /fhir/.well-known/smart-configuration)."
                : "The bearer token was refused: " + e.getMessage();
        write(response, IssueType.LOGIN, reason);
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException e)
            throws IOException {
        bearerDenied.handle(request, response, e);
        write(response, IssueType.FORBIDDEN, "The token's scopes do not allow this request.");
    }

    private void write(HttpServletResponse response, IssueType type, String text) throws IOException {
        OperationOutcome outcome = new OperationOutcome();
        outcome.addIssue().setSeverity(IssueSeverity.ERROR).setCode(type).setDiagnostics(text);
        response.setContentType("application/fhir+json;charset=UTF-8");
        response.getWriter().write(fhir.newJsonParser().encodeResourceToString(outcome));
    }
}
