package calciscreen.server.security;

import calciscreen.smart.SigningKey;
import calciscreen.smart.SmartBackendClient;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.SecurityContext;
import java.net.MalformedURLException;
import java.net.URI;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtDecoderFactory;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.authentication.JwtClientAssertionAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.JwtClientAssertionDecoderFactory;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientCredentialsAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.InMemoryRegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.config.annotation.web.configurers.OAuth2AuthorizationServerConfigurer;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;
import org.springframework.security.oauth2.server.authorization.web.authentication.JwtClientAssertionAuthenticationConverter;
import org.springframework.security.oauth2.server.authorization.web.authentication.OAuth2ClientCredentialsAuthenticationConverter;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationContext;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationException;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationValidator;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import org.springframework.security.oauth2.server.authorization.web.authentication.OAuth2AuthorizationCodeRequestAuthenticationConverter;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.DelegatingAuthenticationEntryPoint;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import com.nimbusds.jose.jwk.RSAKey;
import java.util.LinkedHashMap;
import org.springframework.security.web.authentication.AuthenticationConverter;

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

    private static final Logger log = LoggerFactory.getLogger(EmbeddedAuthorizationServer.class);
    public static final String TOKEN_PATH = "/oauth2/token";
    public static final String AUTHORIZE_PATH = "/oauth2/authorize";

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
    public ClientKeys clientKeys(AuthProperties properties) {
        return new ClientKeys(properties);
    }

    @Bean
    public OAuth2TokenCustomizer<JwtEncodingContext> tokenClaims(AuthEndpoints endpoints) {
        return new TokenClaims(endpoints);
    }

    /**
     * The authorization server's endpoints. {@code /oauth2/authorize} needs a signed-in person (else: the sign-in
     * form) and answers only registered redirect URIs, compared exactly; the userinfo endpoint takes our access
     * tokens; everything else speaks OAuth errors or OperationOutcomes, never a login page.
     */
    @Bean
    @Order(1)
    public SecurityFilterChain authorizationServerChain(HttpSecurity http, RegisteredClientRepository clients,
                                                        ClientKeys clientKeys, AuthEndpoints endpoints,
                                                        OperationOutcomeErrors errors, People people,
                                                        JwtDecoder jwtDecoder) throws Exception {
        OAuth2AuthorizationServerConfigurer server = OAuth2AuthorizationServerConfigurer.authorizationServer();
        RequestMatcher authorize = PathPatternRequestMatcher.withDefaults().matcher(AUTHORIZE_PATH);
        LinkedHashMap<RequestMatcher, AuthenticationEntryPoint> entryPoints = new LinkedHashMap<>();
        entryPoints.put(authorize, new LoginUrlAuthenticationEntryPoint(PeopleSignIn.LOGIN_PATH));
        DelegatingAuthenticationEntryPoint entryPoint = new DelegatingAuthenticationEntryPoint(entryPoints);
        entryPoint.setDefaultEntryPoint(errors);
        http.securityMatcher(server.getEndpointsMatcher())
                .with(server, as -> as
                        .registeredClientRepository(clients)
                        .authorizationService(new SignInsInFlight(java.time.Clock.systemUTC()))
                        .authorizationServerSettings(AuthorizationServerSettings.builder()
                                .issuer(endpoints.issuer()).tokenEndpoint(TOKEN_PATH)
                                .authorizationEndpoint(AUTHORIZE_PATH).build())
                        .clientAuthentication(authentication -> authentication
                                .authenticationConverters(converters -> converters.replaceAll(
                                        converter -> converter instanceof JwtClientAssertionAuthenticationConverter
                                                ? new ClientIdFromAssertion(converter) : converter))
                                .authenticationProviders(providers -> providers.forEach(provider -> {
                                    if (provider instanceof JwtClientAssertionAuthenticationProvider assertions) {
                                        assertions.setJwtDecoderFactory(clientKeys);
                                    }
                                })))
                        .authorizationEndpoint(authorization -> authorization
                                .authorizationRequestConverters(converters -> converters.replaceAll(converter ->
                                        converter instanceof OAuth2AuthorizationCodeRequestAuthenticationConverter
                                                ? new TokenClaims.RoleScopes(converter, people) : converter))
                                .authenticationProviders(providers -> providers.forEach(provider -> {
                                    if (provider instanceof OAuth2AuthorizationCodeRequestAuthenticationProvider codes) {
                                        codes.setAuthenticationValidator(
                                                new OAuth2AuthorizationCodeRequestAuthenticationValidator()
                                                        .andThen(EmbeddedAuthorizationServer::exactRedirectUri));
                                    }
                                })))
                        .tokenEndpoint(token -> token.accessTokenRequestConverters(converters -> converters.replaceAll(
                                converter -> converter instanceof OAuth2ClientCredentialsAuthenticationConverter
                                        ? new SmartScopeRequests(converter) : converter)))
                        .oidc(oidc -> oidc.userInfoEndpoint(userInfo -> userInfo.userInfoMapper(TokenClaims::userInfo))))
                .authorizeHttpRequests(requests -> requests.requestMatchers(authorize).authenticated()
                        .anyRequest().permitAll())
                .oauth2ResourceServer(resource -> resource.jwt(jwt -> jwt.decoder(jwtDecoder))
                        .authenticationEntryPoint(errors))
                .csrf(csrf -> csrf.disable())
                .exceptionHandling(exceptions -> exceptions.authenticationEntryPoint(entryPoint));
        return http.build();
    }

    /**
     * Redirect URIs are compared as strings, for every host: Spring Authorization Server lets a loopback IP
     * redirect ({@code http://127.0.0.1:<any port>/...}) differ in its port (RFC 8252, for native apps); a web
     * application's is registered with its port. The error is not redirected (the URI is not trusted).
     */
    private static void exactRedirectUri(OAuth2AuthorizationCodeRequestAuthenticationContext context) {
        OAuth2AuthorizationCodeRequestAuthenticationToken request = context.getAuthentication();
        String asked = request.getRedirectUri();
        if (asked != null && !context.getRegisteredClient().getRedirectUris().contains(asked)) {
            throw new OAuth2AuthorizationCodeRequestAuthenticationException(new OAuth2Error(
                    OAuth2ErrorCodes.INVALID_REQUEST, "redirect_uri is not one registered for the client", null), null);
        }
    }

    /**
     * Checks client assertions against the client's registered keys: its JWK Set URL, its inline JWK Set, or the key
     * pair generated for it under {@code key-dir/clients/} (development clients and the command line). The claims
     * (iss = sub = client id, aud = the token endpoint, exp) are checked by Spring Authorization Server's validator,
     * exp at most 5 minutes ahead and a jti used once by {@link ClientAssertionRules}.
     */
    static final class ClientKeys implements JwtDecoderFactory<RegisteredClient> {

        private final AuthProperties properties;
        private final Map<String, JwtDecoder> decoders = new ConcurrentHashMap<>();
        private final ClientAssertionRules assertionRules = new ClientAssertionRules(java.time.Clock.systemUTC());

        ClientKeys(AuthProperties properties) {
            this.properties = properties;
            // generate the development keys at start, so that `./calciscreen token` finds them before the first call
            properties.clients().forEach((id, client) -> {
                if (client.jwksUri().isBlank() && client.jwks().isBlank()) {
                    Path file = generatedKeyFile(id);
                    SigningKey.readOrGenerate(file);
                    log.info("event=client_key_ready client={} file={}", id, file);
                }
            });
        }

        Path generatedKeyFile(String clientId) {
            return properties.keyDir().resolve("clients").resolve(clientId + ".jwk");
        }

        @Override
        public JwtDecoder createDecoder(RegisteredClient client) {
            return decoders.computeIfAbsent(client.getClientId(), id -> {
                NimbusJwtDecoder decoder = JwtDecoding.decoder(keysOf(id), JwtDecoding.SMART_ALGORITHMS);
                decoder.setJwtValidator(new org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator<>(
                        JwtClientAssertionDecoderFactory.DEFAULT_JWT_VALIDATOR_FACTORY.apply(client), assertionRules));
                return decoder;
            });
        }

        private JWKSource<SecurityContext> keysOf(String clientId) {
            AuthProperties.Client client = properties.clients().get(clientId);
            try {
                if (!client.jwksUri().isBlank()) {
                    return JWKSourceBuilder.create(URI.create(client.jwksUri()).toURL()).retrying(true).build();
                }
                if (!client.jwks().isBlank()) {
                    return new ImmutableJWKSet<>(JWKSet.parse(client.jwks()));
                }
                return new ImmutableJWKSet<>(SigningKey.read(generatedKeyFile(clientId)).publicJwkSet());
            } catch (MalformedURLException | ParseException e) {
                throw new IllegalStateException("client " + clientId + ": unusable keys: " + e.getMessage(), e);
            }
        }
    }

    /**
     * SMART Backend Services clients send no {@code client_id} (RFC 7523 makes it optional; the assertion's
     * {@code sub} names the client), while Spring Authorization Server insists on one: take it from the assertion.
     * Nothing is trusted yet: the assertion is then verified against that client's keys, with iss = sub = client id.
     */
    static final class ClientIdFromAssertion implements AuthenticationConverter {

        private final AuthenticationConverter delegate;

        ClientIdFromAssertion(AuthenticationConverter delegate) {
            this.delegate = delegate;
        }

        @Override
        public Authentication convert(jakarta.servlet.http.HttpServletRequest request) {
            String assertion = request.getParameter(OAuth2ParameterNames.CLIENT_ASSERTION);
            if (request.getParameter(OAuth2ParameterNames.CLIENT_ID) != null || assertion == null
                    || !SmartBackendClient.ASSERTION_TYPE.equals(
                            request.getParameter(OAuth2ParameterNames.CLIENT_ASSERTION_TYPE))) {
                return delegate.convert(request);
            }
            String clientId;
            try {
                clientId = com.nimbusds.jwt.JWTParser.parse(assertion).getJWTClaimsSet().getSubject();
            } catch (ParseException e) {
                throw new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.INVALID_CLIENT,
                        "client_assertion is not a JWT", null));
            }
            if (clientId == null || clientId.isBlank()) {
                throw new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.INVALID_CLIENT,
                        "client_assertion has no sub naming the client", null));
            }
            return new OAuth2ClientAuthenticationToken(clientId,
                    new ClientAuthenticationMethod(SmartBackendClient.ASSERTION_TYPE), assertion, Map.of());
        }
    }

    /**
     * The scopes a client may ask for, the SMART way: a request without {@code scope} gets every scope the client is
     * registered for (RFC 6749 3.3 lets the server pick a default), so {@code ./calciscreen token} needs no list; a
     * request may narrow a registered scope ({@code system/Observation.c} of {@code system/Observation.cruds}), which
     * Spring Authorization Server's verbatim comparison alone would refuse. Anything beyond the registration is left
     * for Spring to refuse ({@code invalid_scope}).
     */
    static final class SmartScopeRequests implements AuthenticationConverter {

        private final AuthenticationConverter delegate;

        SmartScopeRequests(AuthenticationConverter delegate) {
            this.delegate = delegate;
        }

        @Override
        public Authentication convert(jakarta.servlet.http.HttpServletRequest request) {
            Authentication converted = delegate.convert(request);
            if (!(converted instanceof OAuth2ClientCredentialsAuthenticationToken grant)
                    || !(grant.getPrincipal() instanceof OAuth2ClientAuthenticationToken client)
                    || client.getRegisteredClient() == null) {
                return converted;
            }
            RegisteredClient registered = client.getRegisteredClient();
            if (grant.getScopes().isEmpty()) {
                return new OAuth2ClientCredentialsAuthenticationToken(client, registered.getScopes(),
                        grant.getAdditionalParameters());
            }
            SmartScopes registeredScopes = SmartScopes.parse(registered.getScopes());
            Set<String> narrowed = grant.getScopes().stream()
                    .filter(scope -> !registered.getScopes().contains(scope) && registeredScopes.covers(scope))
                    .collect(java.util.stream.Collectors.toSet());
            if (narrowed.isEmpty()) {
                return converted;
            }
            // the narrowed scopes are within the registration: let this request's client carry them explicitly
            RegisteredClient widened = RegisteredClient.from(registered).scopes(scopes -> scopes.addAll(narrowed)).build();
            OAuth2ClientAuthenticationToken principal = new OAuth2ClientAuthenticationToken(widened,
                    client.getClientAuthenticationMethod(), client.getCredentials());
            return new OAuth2ClientCredentialsAuthenticationToken(principal, grant.getScopes(),
                    grant.getAdditionalParameters());
        }
    }
}
