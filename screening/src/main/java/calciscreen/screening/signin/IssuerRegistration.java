package calciscreen.screening.signin;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.client.registration.ClientRegistrations;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;

/**
 * The one client registration, {@code calciscreen}, completed from the issuer's OpenID configuration the first time
 * someone signs in (not at start: the screening may start before its issuer, as {@code ./calciscreen up} does). A
 * failed look-up is tried again at the next sign-in.
 */
final class IssuerRegistration implements ClientRegistrationRepository {

    private static final Logger log = LoggerFactory.getLogger(IssuerRegistration.class);

    private final SignInProperties properties;
    private volatile ClientRegistration registration;

    IssuerRegistration(SignInProperties properties) {
        this.properties = properties;
    }

    @Override
    public ClientRegistration findByRegistrationId(String registrationId) {
        if (!SignInProperties.REGISTRATION_ID.equals(registrationId)) {
            return null;
        }
        ClientRegistration found = registration;
        if (found == null) {
            synchronized (this) {
                if (registration == null) {
                    registration = discover();
                }
                found = registration;
            }
        }
        return found;
    }

    private ClientRegistration discover() {
        try {
            ClientRegistration found = ClientRegistrations.fromIssuerLocation(properties.issuerUri())
                    .registrationId(SignInProperties.REGISTRATION_ID)
                    .clientId(properties.clientId())
                    .clientName("calciscreen worklist")
                    .clientAuthenticationMethod(ClientAuthenticationMethod.PRIVATE_KEY_JWT)
                    .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
                    .redirectUri("{baseUrl}/login/oauth2/code/{registrationId}")
                    .scope(properties.scopes())
                    .userNameAttributeName("sub")
                    .build();
            log.info("event=signin_issuer_found issuer={} end_session={}", properties.issuerUri(),
                    found.getProviderDetails().getConfigurationMetadata().containsKey("end_session_endpoint"));
            return found;
        } catch (RuntimeException e) {
            log.warn("event=signin_issuer_unreachable issuer={} error={}", properties.issuerUri(),
                    e.getClass().getSimpleName());
            throw e;
        }
    }
}
