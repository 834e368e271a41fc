package calciscreen.screening.signin;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClient;
import org.springframework.security.oauth2.client.authentication.OAuth2AuthenticationToken;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizedClientRepository;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * A session is worth what its access token is: the worklist reads the FHIR server with the person's token, and the
 * issuer gives no refresh token. Once that token has expired (or is about to), the session ends and the request is
 * treated as anonymous: a page is sent to sign in again (at an issuer where the person is still signed in, that is a
 * redirect and back), a JSON request gets 401.
 */
final class ExpiredAccessTokens extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(ExpiredAccessTokens.class);
    static final Duration MARGIN = Duration.ofSeconds(10);

    private final OAuth2AuthorizedClientRepository authorizedClients;
    private final Clock clock;

    ExpiredAccessTokens(OAuth2AuthorizedClientRepository authorizedClients, Clock clock) {
        this.authorizedClients = authorizedClients;
        this.clock = clock;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (SecurityContextHolder.getContext().getAuthentication() instanceof OAuth2AuthenticationToken token) {
            OAuth2AuthorizedClient client = authorizedClients.loadAuthorizedClient(
                    token.getAuthorizedClientRegistrationId(), token, request);
            boolean expired = client == null || client.getAccessToken().getExpiresAt() == null
                    || client.getAccessToken().getExpiresAt().isBefore(clock.instant().plus(MARGIN));
            if (expired) {
                log.info("event=signin_ended reason=access_token_expired");
                HttpSession session = request.getSession(false);
                if (session != null) {
                    session.invalidate();
                }
                SecurityContextHolder.clearContext();
            }
        }
        chain.doFilter(request, response);
    }
}
