package calciscreen.server.security;

import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import java.security.Principal;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

/** Who made a request: the OAuth client id from its token, and where it came from. */
public record ClientIdentity(String clientId, String address) {

    /** SMART and our embedded server put the client in {@code client_id}; Keycloak-style servers in {@code azp}. */
    public static final String CLIENT_ID_CLAIM = "client_id";
    /** Writes the server makes itself (conformance resources at start, placeholders): no client. */
    public static final String SERVER = "calciscreen-fhir-server";
    /** Requests in insecure dev mode carry no token. */
    public static final String ANONYMOUS = "anonymous";

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
            return new ClientIdentity(clientIdOf(token.getToken()), address);
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
}
