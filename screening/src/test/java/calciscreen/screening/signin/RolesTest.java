package calciscreen.screening.signin;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.core.oidc.OidcIdToken;
import org.springframework.security.oauth2.core.oidc.user.OidcUserAuthority;

/** The roles claim as issuers spell it: a list, one string, a nested claim (Keycloak), or nothing. */
class RolesTest {

    @Test
    void aListAStringOrANestedClaimGivesTheRoles() {
        assertThat(Roles.of(Map.of("roles", List.of("clinician", "reader")), "roles")).containsExactly("clinician", "reader");
        assertThat(Roles.of(Map.of("roles", "clinician, reader"), "roles")).containsExactly("clinician", "reader");
        assertThat(Roles.of(Map.of("realm_access", Map.of("roles", List.of("clinician"))), "realm_access.roles"))
                .containsExactly("clinician");
    }

    @Test
    void aMissingOrMalformedClaimGivesNoRole() {
        assertThat(Roles.of(Map.of(), "roles")).isEmpty();
        assertThat(Roles.of(Map.of("roles", 7), "roles")).isEmpty();
        assertThat(Roles.of(Map.of("roles", List.of(7, " ")), "roles")).isEmpty();
        assertThat(Roles.of(Map.of("realm_access", "clinician"), "realm_access.roles")).isEmpty();
    }

    @Test
    void onlyTheIdTokensClaimGrantsRolesNotTheAuthoritiesSpringAddsForScopes() {
        OidcIdToken token = new OidcIdToken("t", Instant.now(), Instant.now().plusSeconds(60),
                Map.of("sub", "dr-a", "roles", List.of("clinician")));
        List<GrantedAuthority> given = List.of(new OidcUserAuthority(token), new SimpleGrantedAuthority("SCOPE_openid"),
                new SimpleGrantedAuthority("ROLE_admin"));
        assertThat(new Roles("roles").mapAuthorities(given)).extracting(GrantedAuthority::getAuthority)
                .containsExactly("ROLE_clinician");
    }
}
