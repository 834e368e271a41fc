package calciscreen.server.security;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.web.servlet.ServletContextInitializer;
import org.springframework.boot.web.servlet.ServletListenerRegistrationBean;
import org.springframework.boot.web.servlet.server.CookieSameSiteSupplier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.session.SessionRegistry;
import org.springframework.security.core.session.SessionRegistryImpl;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.SavedRequestAwareAuthenticationSuccessHandler;
import org.springframework.security.web.authentication.SimpleUrlAuthenticationFailureHandler;
import org.springframework.security.web.savedrequest.HttpSessionRequestCache;
import org.springframework.security.web.savedrequest.SavedRequest;
import org.springframework.security.web.session.HttpSessionEventPublisher;

/**
 * People sign in at the embedded authorization server with Spring Security's form login ({@code /login}, its own
 * CSRF token), for the applications registered with the {@code authorization_code} grant (the worklist). The form
 * and its session apply to the sign-in only ({@code /login} here, {@code /oauth2/authorize} and
 * {@code /connect/logout} in {@link EmbeddedAuthorizationServer}); {@code /fhir} stays stateless, bearer tokens only.
 * The session cookie is {@value #SESSION_COOKIE} (HTTP-only, {@code SameSite=Lax}: the applications' redirects to
 * {@code /oauth2/authorize} are top-level navigations), so that it never collides with an application's own session
 * cookie on the same host; it lasts {@code calciscreen.auth.sign-in-idle-timeout} without use.
 */
@Configuration
@ConditionalOnExpression("!${calciscreen.auth.insecure-dev-mode:false} and '${calciscreen.auth.issuer-uri:}' == ''")
public class PeopleSignIn {

    public static final String LOGIN_PATH = "/login";
    public static final String SESSION_COOKIE = "CALCISCREEN_SIGNIN";

    @Bean
    public People people(AuthProperties properties) {
        return People.load(properties);
    }

    /** The sign-in sessions, for the {@code sid} of ID tokens and RP-initiated logout. */
    @Bean
    public SessionRegistry sessionRegistry() {
        return new SessionRegistryImpl();
    }

    /** Tells the session registry when a session ends, so that it forgets it. */
    @Bean
    public ServletListenerRegistrationBean<HttpSessionEventPublisher> sessionEvents() {
        return new ServletListenerRegistrationBean<>(new HttpSessionEventPublisher());
    }

    @Bean
    public ServletContextInitializer signInSessionCookie(AuthProperties properties) {
        return context -> {
            context.getSessionCookieConfig().setName(SESSION_COOKIE);
            context.getSessionCookieConfig().setHttpOnly(true);
            context.setSessionTimeout((int) Math.max(1, properties.signInIdleTimeout().toMinutes()));
        };
    }

    @Bean
    public CookieSameSiteSupplier signInSessionCookieSameSite() {
        return CookieSameSiteSupplier.ofLax().whenHasName(SESSION_COOKIE);
    }

    @Bean
    SignInAudit signInAudit(DaoRegistry daos, AuthEndpoints endpoints) {
        return new SignInAudit(daos, endpoints.issuer());
    }

    @Bean
    @Order(2)
    public SecurityFilterChain signInChain(HttpSecurity http, People people, SignInAudit audit,
                                           AuthProperties properties) throws Exception {
        java.util.Set<String> clients = properties.clients().keySet();
        DaoAuthenticationProvider passwords = new DaoAuthenticationProvider(people::details);
        passwords.setPasswordEncoder(people.encoder());
        HttpSessionRequestCache signInRequests = new HttpSessionRequestCache();
        SavedRequestAwareAuthenticationSuccessHandler continueSignIn = new SavedRequestAwareAuthenticationSuccessHandler();
        continueSignIn.setRequestCache(signInRequests);
        SimpleUrlAuthenticationFailureHandler tryAgain = new SimpleUrlAuthenticationFailureHandler(LOGIN_PATH + "?error");
        http.securityMatcher(LOGIN_PATH, "/default-ui.css")
                .authenticationProvider(passwords)
                .authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
                .formLogin(form -> form
                        .successHandler((request, response, authentication) -> {
                            audit.record(authentication.getName(), people.identity(authentication.getName()),
                                    clientOf(signInRequests, request, response, clients), request.getRemoteAddr(), true);
                            continueSignIn.onAuthenticationSuccess(request, response, authentication);
                        })
                        .failureHandler((request, response, exception) -> {
                            String username = request.getParameter("username");
                            audit.record(username, username == null ? null : people.identity(username),
                                    clientOf(signInRequests, request, response, clients), request.getRemoteAddr(), false);
                            tryAgain.onAuthenticationFailure(request, response, exception);
                        }))
                .requestCache(cache -> cache.requestCache(signInRequests))
                .headers(headers -> headers
                        .contentSecurityPolicy(csp -> csp.policyDirectives("default-src 'self'; frame-ancestors 'none'"))
                        .referrerPolicy(referrer -> referrer.policy(
                                org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter.ReferrerPolicy.NO_REFERRER)));
        return http.build();
    }

    /** The client the person is signing in to: the {@code client_id} of the authorization request that sent them. */
    private static String clientOf(HttpSessionRequestCache requests, HttpServletRequest request,
                                   HttpServletResponse response, java.util.Set<String> clients) {
        SavedRequest saved = requests.getRequest(request, response);
        String[] clientId = saved == null ? null : saved.getParameterValues("client_id");
        return clientId == null || clientId.length == 0 || !clients.contains(clientId[0]) ? null : clientId[0];
    }
}
