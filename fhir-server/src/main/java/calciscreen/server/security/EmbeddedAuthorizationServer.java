package calciscreen.server.security;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import calciscreen.smart.SigningKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import jakarta.servlet.http.HttpServletRequest;
import java.util.LinkedHashMap;
import java.util.List;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.authorization.authentication.JwtClientAssertionAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationException;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationValidator;
import org.springframework.security.oauth2.server.authorization.client.InMemoryRegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.config.annotation.web.configurers.OAuth2AuthorizationServerConfigurer;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;
import org.springframework.security.oauth2.server.authorization.web.authentication.JwtClientAssertionAuthenticationConverter;
import org.springframework.security.oauth2.server.authorization.web.authentication.OAuth2AccessTokenResponseAuthenticationSuccessHandler;
import org.springframework.security.oauth2.server.authorization.web.authentication.OAuth2AuthorizationCodeRequestAuthenticationConverter;
import org.springframework.security.oauth2.server.authorization.web.authentication.OAuth2ClientCredentialsAuthenticationConverter;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AuthenticationConverter;
import org.springframework.security.web.authentication.DelegatingAuthenticationEntryPoint;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.AndRequestMatcher;
import org.springframework.security.web.util.matcher.NegatedRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * The zero-setup authorization server (Spring Authorization Server). SMART Backend Services: the client credentials
 * grant with a {@code private_key_jwt} assertion (RS384/ES384) from the clients declared under
 * {@code calciscreen.auth.clients}. People: the authorization code grant with PKCE S256 for the clients registered
 * with {@code grant-type: authorization_code} (the worklist), OpenID Connect (ID token, userinfo, RP-initiated
 * logout), people signing in at {@code /login} ({@link PeopleSignIn}). It issues self-contained RS384 JWTs for the FHIR
 * audience; it keeps only the sign-ins in flight ({@link SignInsInFlight}). Off when an external issuer is
 * configured ({@code CALCISCREEN_AUTH_ISSUER_URI}) and in insecure dev mode.
 */
@Configuration
@ConditionalOnExpression("!${calciscreen.auth.insecure-dev-mode:false} and '${calciscreen.auth.issuer-uri:}' == ''")
public class EmbeddedAuthorizationServer {

    public static final String TOKEN_PATH = "/oauth2/token";
    public static final String AUTHORIZE_PATH = "/oauth2/authorize";
    public static final String JWKS_PATH = "/oauth2/jwks";

    @Bean
    public SigningKey authorizationServerKey(AuthProperties properties) {
        return SigningKey.readOrGenerate(properties.keyDir().resolve("authorization-server.jwk"));
    }

    /**
     * The signing key, published without an {@code alg}: access tokens are RS384 (SMART), ID tokens RS256 (what
     * every OpenID Connect client accepts by default), both with this one RSA key.
     */
    @Bean
    public JWKSource<SecurityContext> jwkSource(SigningKey authorizationServerKey) {
        return new ImmutableJWKSet<>(new JWKSet(new RSAKey.Builder(authorizationServerKey.privateKey())
                .algorithm(null).build()));
    }

    /** Validates our own access tokens: signed by our key, from our issuer, for our audience, not expired. */
    @Bean
    public JwtDecoder jwtDecoder(SigningKey authorizationServerKey, AuthEndpoints endpoints) {
        NimbusJwtDecoder decoder = JwtDecoding.decoder(
                new ImmutableJWKSet<>(authorizationServerKey.publicJwkSet()), JwtDecoding.SMART_ALGORITHMS);
        decoder.setJwtValidator(endpoints.accessTokenValidator(endpoints.issuer()));
        return decoder;
    }

    @Bean
    public RegisteredClientRepository registeredClients(AuthProperties properties, People people) {
        List<RegisteredClient> clients = properties.clients().entrySet().stream()
                .map(client -> registeredClient(client.getKey(), client.getValue(), properties, people))
                .toList();
        if (clients.isEmpty()) {
            throw new IllegalStateException("calciscreen.auth.clients is empty: no client could ever get a token");
        }
        return new InMemoryRegisteredClientRepository(clients);
    }

    private static RegisteredClient registeredClient(String id, AuthProperties.Client client, AuthProperties properties,
                                                     People people) {
        RegisteredClient.Builder registered = RegisteredClient.withId(id)
                .clientId(id)
                .clientAuthenticationMethod(ClientAuthenticationMethod.PRIVATE_KEY_JWT)
                .scopes(scopes -> scopes.addAll(client.scopes()))
                .tokenSettings(TokenSettings.builder().accessTokenTimeToLive(properties.tokenLifetime()).build());
        if (!client.signsPeopleIn()) {
            if (!"client_credentials".equals(client.grantType())) {
                throw new IllegalStateException("client " + id + ": grant-type must be client_credentials or "
                        + "authorization_code, not " + client.grantType());
            }
            return registered.authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS).build();
        }
        if (client.redirectUris().isEmpty()) {
            throw new IllegalStateException("client " + id + ": a sign-in client needs its redirect-uris");
        }
        return registered.authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
                .scopes(scopes -> scopes.addAll(people.scopesOfAllRoles()))
                .redirectUris(uris -> uris.addAll(client.redirectUris()))
                .postLogoutRedirectUris(uris -> uris.addAll(client.postLogoutRedirectUris()))
                .clientSettings(ClientSettings.builder().requireProofKey(true).requireAuthorizationConsent(false)
                        .build())
                .build();
    }

    /** The public keys each client's assertions are checked against, looked up once per client. */
    @Bean
    public BackendServices.ClientKeys clientKeys(AuthProperties properties) {
        return new BackendServices.ClientKeys(properties);
    }

    @Bean
    EhrLaunch ehrLaunch() {
        return new EhrLaunch(new LaunchContexts(java.time.Clock.systemUTC()));
    }

    @Bean
    public OAuth2TokenCustomizer<JwtEncodingContext> tokenClaims(AuthEndpoints endpoints, EhrLaunch launches) {
        return new TokenClaims(endpoints, launches);
    }

    /** {@code POST /oauth2/launch}: SMART EHR launches, the embedded server standing in for the EHR. */
    @Bean
    public ServletRegistrationBean<EhrLaunch.Endpoint> launchEndpoint(EhrLaunch launches, DaoRegistry daos) {
        ServletRegistrationBean<EhrLaunch.Endpoint> registration = new ServletRegistrationBean<>(
                new EhrLaunch.Endpoint(launches.contexts(), daos), EhrLaunch.PATH);
        registration.setName("ehr-launch");
        return registration;
    }

    /**
     * The authorization server's endpoints. {@code /oauth2/authorize} needs a signed-in person (else: the sign-in
     * form) and answers only registered redirect URIs, compared exactly; the userinfo endpoint takes our access
     * tokens; everything else speaks OAuth errors or OperationOutcomes, never a login page.
     */
    @Bean
    @Order(1)
    public SecurityFilterChain authorizationServerChain(HttpSecurity http, RegisteredClientRepository clients,
                                                        BackendServices.ClientKeys clientKeys, AuthEndpoints endpoints,
                                                        OperationOutcomeErrors errors, People people,
                                                        JwtDecoder jwtDecoder, AuthProperties properties,
                                                        EhrLaunch launches) throws Exception {
        OAuth2AuthorizationServerConfigurer server = OAuth2AuthorizationServerConfigurer.authorizationServer();
        RequestMatcher authorize = PathPatternRequestMatcher.withDefaults().matcher(AUTHORIZE_PATH);
        LinkedHashMap<RequestMatcher, AuthenticationEntryPoint> entryPoints = new LinkedHashMap<>();
        entryPoints.put(authorize, new LoginUrlAuthenticationEntryPoint(PeopleSignIn.LOGIN_PATH));
        DelegatingAuthenticationEntryPoint entryPoint = new DelegatingAuthenticationEntryPoint(entryPoints);
        entryPoint.setDefaultEntryPoint(errors);
        List<String> scopes = ServedMetadata.scopes(properties);
        AuthorizationServerSettings settings = AuthorizationServerSettings.builder().issuer(endpoints.issuer())
                .authorizationEndpoint(AUTHORIZE_PATH).tokenEndpoint(TOKEN_PATH).jwkSetEndpoint(JWKS_PATH).build();
        // not served: token introspection and revocation (tokens are self-contained JWTs that no revocation could
        // stop, and SMART Backend Services tokens are not kept to be introspected), the device flow and pushed
        // authorization requests (no client uses them); those paths then need a bearer token like any other
        RequestMatcher notServed = new OrRequestMatcher(java.util.stream.Stream.of(
                        settings.getTokenIntrospectionEndpoint(), settings.getTokenRevocationEndpoint(),
                        settings.getDeviceAuthorizationEndpoint(), settings.getDeviceVerificationEndpoint(),
                        settings.getPushedAuthorizationRequestEndpoint())
                .map(path -> (RequestMatcher) PathPatternRequestMatcher.withDefaults().matcher(path)).toList());
        http.securityMatcher(new AndRequestMatcher(server.getEndpointsMatcher(), new NegatedRequestMatcher(notServed)))
                .with(server, as -> as
                        .registeredClientRepository(clients)
                        .authorizationService(new SignInsInFlight(java.time.Clock.systemUTC()))
                        .authorizationServerSettings(settings)
                        .authorizationServerMetadataEndpoint(metadata -> metadata.authorizationServerMetadataCustomizer(
                                served -> served.claims(claims -> ServedMetadata.narrow(claims, scopes))))
                        .clientAuthentication(authentication -> authentication
                                .authenticationConverters(converters -> converters.replaceAll(
                                        converter -> converter instanceof JwtClientAssertionAuthenticationConverter
                                                ? new BackendServices.ClientIdFromAssertion(converter) : converter))
                                .authenticationProviders(providers -> providers.forEach(provider -> {
                                    if (provider instanceof JwtClientAssertionAuthenticationProvider assertions) {
                                        assertions.setJwtDecoderFactory(clientKeys);
                                    }
                                })))
                        .authorizationEndpoint(authorization -> authorization
                                .authorizationRequestConverters(converters -> converters.replaceAll(converter ->
                                        converter instanceof OAuth2AuthorizationCodeRequestAuthenticationConverter
                                                ? new RegisteredRedirectsOnly(new TokenClaims.RoleScopes(converter,
                                                        people), clients) : converter))
                                .authenticationProviders(providers -> providers.forEach(provider -> {
                                    if (provider instanceof OAuth2AuthorizationCodeRequestAuthenticationProvider codes) {
                                        codes.setAuthenticationValidator(
                                                new OAuth2AuthorizationCodeRequestAuthenticationValidator()
                                                        .andThen(launches::check));
                                    }
                                })))
                        .tokenEndpoint(token -> token
                                .accessTokenRequestConverters(converters -> converters.replaceAll(
                                        converter -> converter instanceof OAuth2ClientCredentialsAuthenticationConverter
                                                ? new BackendServices.SmartScopeRequests(converter) : converter))
                                .accessTokenResponseHandler(tokenResponses()))
                        .oidc(oidc -> oidc
                                .providerConfigurationEndpoint(discovery -> discovery.providerConfigurationCustomizer(
                                        served -> served.claims(claims -> ServedMetadata.narrow(claims, scopes))))
                                .userInfoEndpoint(userInfo -> userInfo.userInfoMapper(TokenClaims::userInfo))))
                .authorizeHttpRequests(requests -> requests.requestMatchers(authorize).authenticated()
                        .anyRequest().permitAll())
                .oauth2ResourceServer(resource -> resource.jwt(jwt -> jwt.decoder(jwtDecoder))
                        .authenticationEntryPoint(errors))
                .csrf(csrf -> csrf.disable())
                .exceptionHandling(exceptions -> exceptions.authenticationEntryPoint(entryPoint));
        return http.build();
    }

    private static OAuth2AccessTokenResponseAuthenticationSuccessHandler tokenResponses() {
        OAuth2AccessTokenResponseAuthenticationSuccessHandler responses =
                new OAuth2AccessTokenResponseAuthenticationSuccessHandler();
        responses.setAccessTokenResponseCustomizer(EhrLaunch::patientInTokenResponse);
        return responses;
    }

    /**
     * An authorization request names one of its client's registered redirect URIs, compared as a string, or it is
     * answered 400 and nothing is redirected: checked before Spring Authorization Server looks at the request, since
     * it sends the errors of its first check (a client without the authorization code grant) to whatever
     * redirect_uri was asked for (issue 22 item 14), and lets a loopback IP redirect differ in its port (RFC 8252,
     * for native apps; a web application's is registered with its port).
     */
    static final class RegisteredRedirectsOnly implements AuthenticationConverter {

        private final AuthenticationConverter delegate;
        private final RegisteredClientRepository clients;

        RegisteredRedirectsOnly(AuthenticationConverter delegate, RegisteredClientRepository clients) {
            this.delegate = delegate;
            this.clients = clients;
        }

        @Override
        public Authentication convert(HttpServletRequest request) {
            Authentication converted = delegate.convert(request);
            if (converted instanceof OAuth2AuthorizationCodeRequestAuthenticationToken asked
                    && asked.getRedirectUri() != null) {
                RegisteredClient client = clients.findByClientId(asked.getClientId());
                if (client == null || !client.getRedirectUris().contains(asked.getRedirectUri())) {
                    throw new OAuth2AuthorizationCodeRequestAuthenticationException(new OAuth2Error(
                            OAuth2ErrorCodes.INVALID_REQUEST, "redirect_uri is not one registered for the client",
                            null), null);
                }
            }
            return converted;
        }
    }
}
