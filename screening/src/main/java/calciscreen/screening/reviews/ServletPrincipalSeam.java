package calciscreen.screening.reviews;

import calciscreen.model.resources.ActingPerson;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.security.Principal;
import java.util.Optional;

/**
 * The sign-in as the servlet container sees it, until the OIDC sign-in (issue 21a) provides the person's own token:
 * the person is the request's {@link Principal} (none without a sign-in: every action is refused with 401), acting
 * needs the {@code clinician} role, and the FHIR client is the given one.
 */
final class ServletPrincipalSeam implements SignedInSeam {

    static final String ACTING_ROLE = "clinician";

    private final IGenericClient client;
    private final String issuer;

    ServletPrincipalSeam(IGenericClient client, String issuer) {
        this.client = client;
        this.issuer = issuer;
    }

    @Override
    public Optional<ActingPerson> person(HttpServletRequest request) {
        Principal principal = request.getUserPrincipal();
        if (principal == null || principal.getName() == null || principal.getName().isBlank()) {
            return Optional.empty();
        }
        return Optional.of(ActingPerson.ofIdentifier(issuer + "/people", principal.getName(), principal.getName()));
    }

    @Override
    public boolean mayAct(HttpServletRequest request) {
        return request.isUserInRole(ACTING_ROLE);
    }

    @Override
    public IGenericClient fhir(HttpServletRequest request, HttpServletResponse response) {
        return client;
    }
}
