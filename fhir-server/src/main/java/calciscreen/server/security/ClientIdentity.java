package calciscreen.server.security;

import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import java.security.Principal;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

/**
 * Who made a request: the OAuth client id from its token, the person it acts for (a signed-in person's token), and
 * where it came from.
 *
 * @param person null for a client acting on its own (SMART Backend Services)
 */
public record ClientIdentity(String clientId, String address, Person person) {

    /** SMART and our embedded server put the client in {@code client_id}; Keycloak-style servers in {@code azp}. */
    public static final String CLIENT_ID_CLAIM = "client_id";
    /** Writes the server makes itself (conformance resources at start, placeholders): no client. */
    public static final String SERVER = "calciscreen-fhir-server";
    /** Requests in insecure dev mode carry no token. */
    public static final String ANONYMOUS = "anonymous";

    /**
     * A person a token speaks for: its {@code sub} (the username at the embedded server), the display name
     * ({@code name}) and the FHIR resource that is them ({@code fhirUser}, empty when none).
     */
    public record Person(String username, String name, String fhirUser) {}

    public ClientIdentity(String clientId, String address) {
        this(clientId, address, null);
    }

    public static ClientIdentity of(RequestDetails request) {
        if (!(request instanceof ServletRequestDetails servlet) || servlet.getServletRequest() == null) {
            return new ClientIdentity(SERVER, null);
        }
        String address = servlet.getServletRequest().getRemoteAddr();
        Principal principal = servlet.getServletRequest().getUserPrincipal();
        if (principal == null) {
            principal = SecurityContextHolder.getContext().getAuthentication();
        }
        if (principal instanceof JwtAuthenticationToken token) {
            return new ClientIdentity(clientIdOf(token.getToken()), address, personOf(token));
        }
        if (principal instanceof Authentication authentication && authentication.isAuthenticated()
                && !"anonymousUser".equals(authentication.getName())) {
            return new ClientIdentity(authentication.getName(), address);
        }
        return new ClientIdentity(ANONYMOUS, address);
    }

    static String clientIdOf(Jwt token) {
        for (String claim : new String[] {CLIENT_ID_CLAIM, "azp", "sub"}) {
            String value = token.getClaimAsString(claim);
            if (value != null && !value.isBlank()) {
                return value;
            }
        }
        return ANONYMOUS;
    }

    /**
     * The person of a token: one whose {@code sub} is not the client itself and that carries SMART {@code user/}
     * scopes or a {@code fhirUser} (a backend service's token has neither); null otherwise.
     */
    static Person personOf(JwtAuthenticationToken authentication) {
        Jwt token = authentication.getToken();
        String subject = token.getSubject();
        if (subject == null || subject.isBlank() || subject.equals(clientIdOf(token))) {
            return null;
        }
        String fhirUser = token.getClaimAsString("fhirUser");
        boolean userScopes = authentication.getAuthorities().stream()
                .anyMatch(authority -> authority.getAuthority().startsWith("SCOPE_user/"));
        if (!userScopes && (fhirUser == null || fhirUser.isBlank())) {
            return null;
        }
        String name = token.getClaimAsString("name");
        return new Person(subject, name == null || name.isBlank() ? subject : name, fhirUser == null ? "" : fhirUser);
    }
}
