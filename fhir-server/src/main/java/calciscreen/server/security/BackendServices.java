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
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtDecoderFactory;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.authorization.authentication.JwtClientAssertionDecoderFactory;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientCredentialsAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.web.authentication.AuthenticationConverter;

/**
 * The SMART Backend Services side of the embedded authorization server ({@link EmbeddedAuthorizationServer}): whose
 * keys check a client's assertion, the client id taken from the assertion, and scope requests narrower than the
 * registration.
 */
final class BackendServices {

    private static final Logger log = LoggerFactory.getLogger(BackendServices.class);

    private BackendServices() {}

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
