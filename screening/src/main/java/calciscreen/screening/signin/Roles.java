package calciscreen.screening.signin;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.authority.mapping.GrantedAuthoritiesMapper;
import org.springframework.security.oauth2.core.oidc.user.OidcUserAuthority;

/**
 * The person's roles, read from the configured claim of their ID token (a list, or one string of roles separated by
 * spaces or commas; {@code realm_access.roles} reads a nested claim) and granted as {@code ROLE_<role>}.
 */
final class Roles implements GrantedAuthoritiesMapper {

    static final String PREFIX = "ROLE_";

    private final String claim;

    Roles(String claim) {
        this.claim = claim;
    }

    @Override
    public Collection<? extends GrantedAuthority> mapAuthorities(Collection<? extends GrantedAuthority> authorities) {
        Set<GrantedAuthority> mapped = new LinkedHashSet<>();
        for (GrantedAuthority authority : authorities) {
            if (authority instanceof OidcUserAuthority oidc) {
                for (String role : of(oidc.getIdToken().getClaims(), claim)) {
                    mapped.add(new SimpleGrantedAuthority(PREFIX + role));
                }
            }
        }
        return mapped;
    }

    static List<String> of(Map<String, Object> claims, String path) {
        Object value = claims;
        for (String step : path.split("\\.")) {
            value = value instanceof Map<?, ?> map ? map.get(step) : null;
        }
        List<String> roles = new ArrayList<>();
        if (value instanceof Collection<?> list) {
            list.forEach(v -> {
                if (v instanceof String s && !s.isBlank()) {
                    roles.add(s.trim());
                }
            });
        } else if (value instanceof String s) {
            for (String role : s.split("[\\s,]+")) {
                if (!role.isBlank()) {
                    roles.add(role);
                }
            }
        }
        return roles;
    }
}
