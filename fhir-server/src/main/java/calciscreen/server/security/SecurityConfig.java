package calciscreen.server.security;

import calciscreen.server.ServerProperties;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.rest.server.RestfulServer;
import ca.uhn.fhir.rest.server.util.ISearchParamRegistry;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.JwtDecoders;
import org.springframework.security.oauth2.jwt.SupplierJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;

/**
 * The FHIR server as an OAuth 2.0 resource server: every request needs a valid bearer token except the capability
 * statement, SMART discovery and health; scopes are enforced per resource type and interaction by
 * {@link ScopeAuthorizationInterceptor}; every write leaves an {@code AuditEvent} naming the client
 * ({@link WriteAuditInterceptor}).
 */
@Configuration
@EnableWebSecurity
@EnableConfigurationProperties(AuthProperties.class)
public class SecurityConfig {

    private static final Logger log = LoggerFactory.getLogger(SecurityConfig.class);

    @Bean
    public AuthEndpoints authEndpoints(AuthProperties properties, ServerProperties server,
                                       @Value("${server.port:8080}") int port,
                                       @Value("${server.ssl.bundle:}") String tlsBundle) {
        if (properties.insecureDevMode()) {
            log.warn("event=insecure_dev_mode message=\"CALCISCREEN_INSECURE_DEV_MODE=true: no token is needed and no "
                    + "scope is checked; anyone who reaches this port can read and write every record. Never run "
                    + "this way with real patient data.\"");
        }
        return new AuthEndpoints(properties, server.publicBaseUrl(), (tlsBundle.isBlank() ? "http" : "https")
                + "://localhost:" + port);
    }

    @Bean
    public OperationOutcomeErrors operationOutcomeErrors(FhirContext fhir) {
        return new OperationOutcomeErrors(fhir);
    }

    /** Tokens of an external issuer: its keys and metadata are fetched on first use, so it may start after us. */
    @Bean
    @ConditionalOnExpression("!${calciscreen.auth.insecure-dev-mode:false} and '${calciscreen.auth.issuer-uri:}' != ''")
    public JwtDecoder externalIssuerJwtDecoder(AuthEndpoints endpoints) {
        return new SupplierJwtDecoder(() -> {
            NimbusJwtDecoder decoder = (NimbusJwtDecoder) JwtDecoders.fromIssuerLocation(endpoints.issuer());
            decoder.setJwtValidator(endpoints.accessTokenValidator(endpoints.issuer()));
            return decoder;
        });
    }

    @Bean
    @Order(3)
    @ConditionalOnExpression("!${calciscreen.auth.insecure-dev-mode:false}")
    public SecurityFilterChain resourceServerChain(HttpSecurity http, JwtDecoder decoder, OperationOutcomeErrors errors)
            throws Exception {
        PathPatternRequestMatcher.Builder paths = PathPatternRequestMatcher.withDefaults();
        JwtAuthenticationConverter authentication = new JwtAuthenticationConverter(); // scopes -> SCOPE_ authorities
        http.authorizeHttpRequests(requests -> requests
                        .requestMatchers(paths.matcher(HttpMethod.GET, "/fhir/metadata"),
                                paths.matcher(HttpMethod.GET, SmartConfigurationServlet.PATH),
                                paths.matcher(HttpMethod.GET, "/actuator/health"),
                                paths.matcher(HttpMethod.GET, "/actuator/health/**"))
                        .permitAll()
                        // the error page of a status already decided (the authorization server's 400 for a
                        // redirect_uri it will not redirect to): its body is Boot's status and path, nothing more
                        .dispatcherTypeMatchers(jakarta.servlet.DispatcherType.ERROR).permitAll()
                        .anyRequest().authenticated())
                .oauth2ResourceServer(resource -> resource
                        .jwt(jwt -> jwt.decoder(new VerifiedTokenCache(decoder, java.time.Clock.systemUTC()))
                                .jwtAuthenticationConverter(authentication))
                        .authenticationEntryPoint(errors)
                        .accessDeniedHandler(errors))
                .exceptionHandling(exceptions -> exceptions.authenticationEntryPoint(errors).accessDeniedHandler(errors))
                .csrf(csrf -> csrf.disable())
                .requestCache(cache -> cache.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS));
        return http.build();
    }

    @Bean
    @Order(3)
    @ConditionalOnExpression("${calciscreen.auth.insecure-dev-mode:false}")
    public SecurityFilterChain insecureDevModeChain(HttpSecurity http) throws Exception {
        http.authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
                .csrf(csrf -> csrf.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS));
        return http.build();
    }

    @Bean
    public ServletRegistrationBean<SmartConfigurationServlet> smartConfiguration(AuthProperties properties,
                                                                                AuthEndpoints endpoints) {
        ServletRegistrationBean<SmartConfigurationServlet> registration = new ServletRegistrationBean<>(
                new SmartConfigurationServlet(endpoints, !properties.externalIssuer(), ServedMetadata.scopes(properties)),
                SmartConfigurationServlet.PATH);
        registration.setName("smart-configuration");
        return registration;
    }

    /** Scope enforcement on the FHIR endpoint, and the audit trail on every write however it reaches storage. */
    @Bean
    public WriteAuditInterceptor writeAuditInterceptor(RestfulServer restfulServer, IInterceptorService storage,
                                                       DaoRegistry daos, jakarta.persistence.EntityManager entityManager,
                                                       AuthProperties properties, AuthEndpoints endpoints,
                                                       ISearchParamRegistry searchParams, ServerProperties server) {
        if (!properties.insecureDevMode()) {
            restfulServer.registerInterceptor(new ScopeAuthorizationInterceptor());
            restfulServer.registerInterceptor(new ReadThroughWrites());
            restfulServer.registerInterceptor(new ChainedSearchScopes(searchParams, restfulServer.getFhirContext()));
            restfulServer.registerInterceptor(new SmartCapabilities(endpoints));
            storage.registerInterceptor(new ScreeningResults(properties.screeningClientId()));
        }
        // also in insecure dev mode: nobody edits the audit trail, and nobody without a token adds to it
        storage.registerInterceptor(new AppendOnlyAuditTrail(endpoints.issuer(), properties.clients().keySet()));
        storage.registerInterceptor(new SubscriptionGuard(server.subscriptions().allowedEndpoints()));
        WriteAuditInterceptor audit = new WriteAuditInterceptor(daos, entityManager, endpoints.issuer(), endpoints.audience());
        storage.registerInterceptor(audit);
        return audit;
    }
}
