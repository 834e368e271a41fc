package calciscreen.server.security;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the authorization server says it serves, and only that (issue 22 item 14), in OpenID discovery, OAuth server
 * metadata and SMART's configuration alike: the authorization code grant (PKCE S256 only, response type
 * {@code code}) and the client credentials grant, {@code private_key_jwt} client assertions signed RS384 or ES384,
 * no token revocation or introspection (tokens are self-contained JWTs that nothing here could revoke), no device
 * flow, no pushed authorization requests (those endpoints are not served), no dynamic registration, no DPoP, no
 * certificate-bound tokens.
 */
final class ServedMetadata {

    static final List<String> GRANTS = List.of("authorization_code", "client_credentials");
    static final List<String> CLIENT_AUTHENTICATION = List.of("private_key_jwt");
    static final List<String> ASSERTION_ALGORITHMS = List.of("RS384", "ES384");
    static final List<String> CODE_CHALLENGE_METHODS = List.of("S256");
    static final List<String> RESPONSE_TYPES = List.of("code");
    /** Metadata Spring Authorization Server would publish for features this server does not serve. */
    static final List<String> NOT_SERVED = List.of("revocation_endpoint", "revocation_endpoint_auth_methods_supported",
            "introspection_endpoint", "introspection_endpoint_auth_methods_supported", "device_authorization_endpoint",
            "registration_endpoint", "pushed_authorization_request_endpoint", "dpop_signing_alg_values_supported",
            "tls_client_certificate_bound_access_tokens");
    /**
     * The SMART capabilities served by the embedded server: EHR launch with the patient as context
     * ({@link EhrLaunch}) and standalone launch, OpenID Connect sign-in, confidential clients with asymmetric keys,
     * user/ and system/ scopes in SMART v1 and v2 syntax. Not served: a patient picker (context-standalone-patient),
     * patient/ scopes, refresh tokens (permission-offline), public clients.
     */
    static final List<String> SMART_CAPABILITIES = List.of("launch-ehr", "launch-standalone", "context-ehr-patient",
            "client-confidential-asymmetric", "sso-openid-connect", "permission-user", "permission-v1",
            "permission-v2");
    /** With an external issuer this server serves only the scopes it enforces; the issuer says the rest. */
    static final List<String> SMART_CAPABILITIES_EXTERNAL = List.of("client-confidential-asymmetric",
            "permission-user", "permission-v1", "permission-v2");

    private ServedMetadata() {}

    /** Narrows Spring Authorization Server's metadata (OAuth server metadata, OpenID discovery) to what is served. */
    static void narrow(Map<String, Object> metadata, Collection<String> scopes) {
        NOT_SERVED.forEach(metadata::remove);
        metadata.put("grant_types_supported", GRANTS);
        metadata.put("token_endpoint_auth_methods_supported", CLIENT_AUTHENTICATION);
        metadata.put("token_endpoint_auth_signing_alg_values_supported", ASSERTION_ALGORITHMS);
        metadata.put("code_challenge_methods_supported", CODE_CHALLENGE_METHODS);
        metadata.put("response_types_supported", RESPONSE_TYPES);
        metadata.put("scopes_supported", List.copyOf(scopes));
    }

    /** Every scope some client of the embedded server may be granted, the roles' user/ scopes included. */
    static List<String> scopes(AuthProperties properties) {
        Set<String> scopes = new TreeSet<>();
        properties.clients().values().forEach(client -> scopes.addAll(client.scopes()));
        properties.roles().values().forEach(scopes::addAll);
        return List.copyOf(scopes);
    }

}
