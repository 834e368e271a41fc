package calciscreen.server.security;

import calciscreen.server.security.People.SignedInPerson;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.oidc.OidcIdToken;
import org.springframework.security.oauth2.core.oidc.OidcUserInfo;
import org.springframework.security.oauth2.core.oidc.endpoint.OidcParameterNames;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.oidc.authentication.OidcUserInfoAuthenticationContext;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;
import org.springframework.security.web.authentication.AuthenticationConverter;

/**
 * What the embedded server's tokens say. Access tokens: RS384, for the FHIR audience, {@code client_id}, the granted
 * scopes as one space-separated string (SMART), and for a signed-in person {@code sub} = username, {@code name},
 * {@code roles} and {@code fhirUser} (when configured). ID tokens (RS256, OpenID Connect's default): {@code sub},
 * {@code name}, {@code preferred_username}, {@code roles}, {@code fhirUser}. After an EHR launch both carry the
 * launch's {@code patient} ({@link EhrLaunch}). The userinfo endpoint answers the ID token's claims about the person.
 */
final class TokenClaims implements OAuth2TokenCustomizer<JwtEncodingContext> {

    static final String ROLES = "roles";
    static final String FHIR_USER = "fhirUser";
    /** The claims about the person, in the ID token and at userinfo. */
    private static final Set<String> PERSON_CLAIMS = Set.of("sub", "name", "preferred_username", ROLES, FHIR_USER,
            "patient");

    private final AuthEndpoints endpoints;
    private final EhrLaunch launches;

    TokenClaims(AuthEndpoints endpoints, EhrLaunch launches) {
        this.endpoints = endpoints;
        this.launches = launches;
    }

    @Override
    public void customize(JwtEncodingContext context) {
        SignedInPerson person = context.getPrincipal() != null
                && context.getPrincipal().getPrincipal() instanceof SignedInPerson signedIn ? signedIn : null;
        java.util.Optional<String> patient = person == null ? java.util.Optional.empty()
                : launches.patientOf(context.getAuthorization());
        patient.ifPresent(id -> context.getClaims().claim(EhrLaunch.PATIENT, id));
        if (OAuth2TokenType.ACCESS_TOKEN.equals(context.getTokenType())) {
            context.getJwsHeader().algorithm(SignatureAlgorithm.RS384);
            context.getClaims()
                    .audience(List.of(endpoints.audience()))
                    .claim("client_id", context.getRegisteredClient().getClientId())
                    .claim("scope", String.join(" ", context.getAuthorizedScopes()));
            if (person != null) {
                context.getClaims().claim("name", person.name()).claim(ROLES, person.roles());
                if (!person.fhirUser().isBlank()) {
                    context.getClaims().claim(FHIR_USER, person.fhirUser());
                }
            }
        } else if (OidcParameterNames.ID_TOKEN.equals(context.getTokenType().getValue()) && person != null) {
            context.getClaims().claim("name", person.name())
                    .claim("preferred_username", person.getUsername())
                    .claim(ROLES, person.roles());
            if (!person.fhirUser().isBlank()) {
                context.getClaims().claim(FHIR_USER, person.fhirUser());
            }
        }
    }

    /** {@code /userinfo}: the person claims of the ID token issued with the access token presented. */
    static OidcUserInfo userInfo(OidcUserInfoAuthenticationContext context) {
        var idToken = context.getAuthorization().getToken(OidcIdToken.class);
        Map<String, Object> claims = new LinkedHashMap<>();
        idToken.getToken().getClaims().forEach((claim, value) -> {
            if (PERSON_CLAIMS.contains(claim)) {
                claims.put(claim, value);
            }
        });
        return new OidcUserInfo(claims);
    }

    /**
     * A person's sign-in is granted what it asked for, narrowed to what their roles allow: a {@code user/} scope
     * that none of their roles lists is dropped (the token response's {@code scope} says what was granted). Scopes
     * other than {@code user/} ones pass unchanged (Spring Authorization Server then checks them against the
     * client's registration).
     */
    static final class RoleScopes implements AuthenticationConverter {

        private final AuthenticationConverter delegate;
        private final People people;

        RoleScopes(AuthenticationConverter delegate, People people) {
            this.delegate = delegate;
            this.people = people;
        }

        @Override
        public Authentication convert(jakarta.servlet.http.HttpServletRequest request) {
            Authentication converted = delegate.convert(request);
            if (!(converted instanceof OAuth2AuthorizationCodeRequestAuthenticationToken asked)
                    || !(asked.getPrincipal() instanceof Authentication principal)
                    || !(principal.getPrincipal() instanceof SignedInPerson person)) {
                return converted;
            }
            Set<String> allowed = people.scopesOf(person.roles());
            @SuppressWarnings("unchecked")
            Set<String> scopes = (Set<String>) asked.getScopes();
            Set<String> granted = scopes.stream()
                    .filter(scope -> !scope.startsWith("user/") || allowed.contains(scope))
                    .collect(Collectors.toCollection(LinkedHashSet::new));
            @SuppressWarnings("unchecked")
            Map<String, Object> parameters = (Map<String, Object>) asked.getAdditionalParameters();
            return new OAuth2AuthorizationCodeRequestAuthenticationToken(asked.getAuthorizationUri(),
                    asked.getClientId(), principal, asked.getRedirectUri(), asked.getState(), granted, parameters);
        }
    }
}
