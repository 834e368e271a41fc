package calciscreen.screening.signin;

import calciscreen.screening.ScreeningProperties;
import calciscreen.smart.SigningKey;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpSessionEvent;
import jakarta.servlet.http.HttpSessionListener;
import java.time.Clock;
import java.util.Set;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.client.endpoint.NimbusJwtClientAuthenticationParametersConverter;
import org.springframework.security.oauth2.client.endpoint.OAuth2AccessTokenResponseClient;
import org.springframework.security.oauth2.client.endpoint.OAuth2AuthorizationCodeGrantRequest;
import org.springframework.security.oauth2.client.endpoint.RestClientAuthorizationCodeTokenResponseClient;
import org.springframework.security.oauth2.client.oidc.authentication.OidcIdTokenValidator;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserService;
import org.springframework.security.oauth2.client.oidc.web.logout.OidcClientInitiatedLogoutSuccessHandler;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.client.web.DefaultOAuth2AuthorizationRequestResolver;
import org.springframework.security.oauth2.client.web.HttpSessionOAuth2AuthorizedClientRepository;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizationRequestCustomizers;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizedClientRepository;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwtDecoderFactory;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.csrf.CookieCsrfTokenRepository;
import org.springframework.security.web.csrf.CsrfTokenRequestAttributeHandler;

/**
 * Who may use port 8081, in two filter chains. The machine-to-machine endpoints keep their own authentication and
 * no session: the CDS Hooks service (the CDS client's JWT), the FHIR server's notifications (their secret), the
 * screening's JWKS (public), the actuator and the operators' endpoints (an operator token). Everything else, the
 * worklist's pages and JSON, needs a person signed in with OpenID Connect: authorization code with PKCE S256, the
 * client authenticated with a {@code private_key_jwt} assertion signed RS384 by the screening's own key; a session
 * cookie ({@code CALCISCREEN_SESSION}, HTTP-only, SameSite=Lax) that ends after the idle timeout; CSRF on every
 * state-changing request (the XSRF-TOKEN cookie, sent back by the page as the X-XSRF-TOKEN header); sign-out at the
 * issuer too when it advertises an end_session_endpoint.
 */
@Configuration
@EnableWebSecurity
@EnableConfigurationProperties(SignInProperties.class)
public class SignInConfig {

    static final String SIGN_OUT = "/signin/sign-out";
    static final String SIGNED_OUT = "/signin/signed-out";

    /** Paths with their own authentication, never a session. */
    static final String[] MACHINE_PATHS = {"/cds-services", "/cds-services/**", "/.well-known/jwks.json",
            ScreeningProperties.NOTIFY_PATH, ScreeningProperties.NOTIFY_PATH + "/**", "/actuator", "/actuator/**",
            "/screening/**"};

    @Bean
    public ClientRegistrationRepository clientRegistrations(SignInProperties properties) {
        return new IssuerRegistration(properties);
    }

    @Bean
    public OAuth2AuthorizedClientRepository authorizedClients() {
        return new HttpSessionOAuth2AuthorizedClientRepository();
    }

    @Bean
    public PersonFhirClients personFhirClients(ScreeningProperties screening) {
        return new PersonFhirClients(screening.fhirBaseUrl());
    }

    @Bean
    public SignedInPeople signedInPeople(SignInProperties properties, OAuth2AuthorizedClientRepository authorizedClients,
                                         PersonFhirClients clients) {
        return new SignedInPeople(properties, authorizedClients, clients);
    }

    /** Authorization requests with PKCE S256 (and an EHR's launch, when the sign-in comes from one). */
    @Bean
    public EhrLaunch ehrLaunch(ClientRegistrationRepository registrations, ScreeningProperties screening) {
        DefaultOAuth2AuthorizationRequestResolver requests = new DefaultOAuth2AuthorizationRequestResolver(
                registrations, "/oauth2/authorization");
        requests.setAuthorizationRequestCustomizer(OAuth2AuthorizationRequestCustomizers.withPkce());
        return new EhrLaunch(requests, screening.fhirBaseUrl());
    }

    /** Sessions end after the idle timeout, to the second (Tomcat's own setting counts whole minutes). */
    @Bean
    public HttpSessionListener idleTimeout(SignInProperties properties) {
        int seconds = (int) Math.max(1, properties.idleTimeout().toSeconds());
        return new HttpSessionListener() {
            @Override
            public void sessionCreated(HttpSessionEvent event) {
                event.getSession().setMaxInactiveInterval(seconds);
            }
        };
    }

    @Bean
    @Order(1)
    public SecurityFilterChain machineEndpoints(HttpSecurity http) throws Exception {
        http.securityMatcher(MACHINE_PATHS)
                .authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
                .csrf(csrf -> csrf.disable())
                .requestCache(cache -> cache.disable())
                .securityContext(context -> context.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .headers(headers -> headers.disable());
        return http.build();
    }

    @Bean
    @Order(2)
    public SecurityFilterChain signedInPeopleOnly(HttpSecurity http, SignInProperties properties,
                                                  ClientRegistrationRepository registrations,
                                                  OAuth2AuthorizedClientRepository authorizedClients,
                                                  SigningKey clientKey, Clock clock, EhrLaunch launch)
            throws Exception {
        SignInRefusals refusals = new SignInRefusals();
        CsrfTokenRequestAttributeHandler csrfTokens = new CsrfTokenRequestAttributeHandler();
        csrfTokens.setCsrfRequestAttributeName(null); // the token is made at every request, so the cookie is there
        CookieCsrfTokenRepository csrfCookie = CookieCsrfTokenRepository.withHttpOnlyFalse();
        csrfCookie.setCookieCustomizer(cookie -> cookie.sameSite("Lax").path("/"));
        OidcClientInitiatedLogoutSuccessHandler signedOut = new OidcClientInitiatedLogoutSuccessHandler(registrations);
        signedOut.setPostLogoutRedirectUri("{baseUrl}" + SIGNED_OUT);
        signedOut.setDefaultTargetUrl(SIGNED_OUT);
        OidcUserService users = new OidcUserService();
        users.setRetrieveUserInfo(request -> false); // everything needed is in the ID token

        http.authorizeHttpRequests(requests -> requests
                        .dispatcherTypeMatchers(DispatcherType.FORWARD, DispatcherType.ERROR).permitAll()
                        .requestMatchers(SIGNED_OUT, "/signin/signed-out.html", EhrLaunch.PATH).permitAll()
                        .anyRequest().hasAnyRole(properties.allowedRoles().toArray(String[]::new)))
                .oauth2Login(login -> login
                        .clientRegistrationRepository(registrations)
                        .authorizedClientRepository(authorizedClients)
                        .authorizationEndpoint(endpoint -> endpoint.authorizationRequestResolver(launch))
                        .tokenEndpoint(token -> token.accessTokenResponseClient(tokenClient(clientKey)))
                        .userInfoEndpoint(info -> info.oidcUserService(users)
                                .userAuthoritiesMapper(new Roles(properties.rolesClaim())))
                        .successHandler(launch)
                        .failureHandler(refusals))
                .logout(logout -> logout.logoutUrl(SIGN_OUT).logoutSuccessHandler(signedOut)
                        .deleteCookies("CALCISCREEN_SESSION"))
                .csrf(csrf -> csrf.csrfTokenRepository(csrfCookie).csrfTokenRequestHandler(csrfTokens))
                .exceptionHandling(exceptions -> exceptions.authenticationEntryPoint(refusals)
                        .accessDeniedHandler(refusals))
                .headers(headers -> headers.defaultsDisabled().cacheControl(Customizer.withDefaults()))
                .addFilterBefore(new ExpiredAccessTokens(authorizedClients, clock), AuthorizationFilter.class);
        return http.build();
    }

    /** ID tokens signed with any asymmetric algorithm the issuer's keys carry (never none, never a shared secret). */
    @Bean
    public JwtDecoderFactory<ClientRegistration> idTokenDecoders() {
        Set<SignatureAlgorithm> asymmetric = Set.of(SignatureAlgorithm.RS256, SignatureAlgorithm.RS384,
                SignatureAlgorithm.RS512, SignatureAlgorithm.ES256, SignatureAlgorithm.ES384, SignatureAlgorithm.ES512,
                SignatureAlgorithm.PS256, SignatureAlgorithm.PS384, SignatureAlgorithm.PS512);
        java.util.Map<String, NimbusJwtDecoder> decoders = new java.util.concurrent.ConcurrentHashMap<>();
        return registration -> decoders.computeIfAbsent(registration.getRegistrationId(), id -> {
            NimbusJwtDecoder decoder = NimbusJwtDecoder.withJwkSetUri(registration.getProviderDetails().getJwkSetUri())
                    .jwsAlgorithms(algorithms -> algorithms.addAll(asymmetric)).build();
            decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(new JwtTimestampValidator(),
                    new OidcIdTokenValidator(registration)));
            return decoder;
        });
    }

    /** The token request authenticated with a client assertion signed RS384 by the screening's key. */
    private static OAuth2AccessTokenResponseClient<OAuth2AuthorizationCodeGrantRequest> tokenClient(SigningKey key) {
        JWK signing = new RSAKey.Builder(key.privateKey()).algorithm(JWSAlgorithm.RS384).build();
        RestClientAuthorizationCodeTokenResponseClient client = new RestClientAuthorizationCodeTokenResponseClient();
        client.addParametersConverter(new NimbusJwtClientAuthenticationParametersConverter<>(registration -> signing));
        return client;
    }
}
