package calciscreen.screening.auth;

import calciscreen.screening.ScreeningProperties;
import calciscreen.screening.intake.NotificationSecret;
import calciscreen.smart.OperatorAuthFilter;
import calciscreen.smart.OperatorTokens;
import calciscreen.smart.SigningKey;
import calciscreen.smart.SmartBackendClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The screening as a SMART Backend Services client of the FHIR server, and the secret on its notifications. */
@Configuration
@EnableConfigurationProperties(ClientAuthProperties.class)
public class AuthConfig {

    private static final Logger log = LoggerFactory.getLogger(AuthConfig.class);

    public AuthConfig(ClientAuthProperties auth) {
        if (auth.insecureDevMode()) {
            log.warn("event=insecure_dev_mode message=\"CALCISCREEN_INSECURE_DEV_MODE=true: the screening sends no "
                    + "token; the FHIR server must run the same way. Never run this way with real patient data.\"");
        }
    }

    @Bean
    public SigningKey clientKey(ClientAuthProperties auth, ScreeningProperties properties) {
        return SigningKey.readOrGenerate(auth.keyFile(properties.stateDir()));
    }

    /** Absent in insecure dev mode: requests then carry no token. */
    @Bean
    @ConditionalOnProperty(name = "calciscreen.auth.insecure-dev-mode", havingValue = "false", matchIfMissing = true)
    public SmartBackendClient smartBackendClient(ClientAuthProperties auth, ScreeningProperties properties,
                                                 SigningKey clientKey) {
        log.info("event=smart_client client={} key_id={}", auth.clientId(), clientKey.keyId());
        return new SmartBackendClient(properties.fhirBaseUrl(), auth.clientId(), clientKey, auth.scopes());
    }

    /**
     * Backfill, the other operator endpoints and the actuator (health details, metrics) need an operator token, as
     * on the FHIR server; {@code /actuator/health} (UP or DOWN, nothing else) stays open to probes. Off in insecure
     * dev mode.
     */
    @Bean
    @ConditionalOnProperty(name = "calciscreen.auth.insecure-dev-mode", havingValue = "false", matchIfMissing = true)
    public org.springframework.boot.web.servlet.FilterRegistrationBean<OperatorAuthFilter> operatorAuthFilter(
            ScreeningProperties properties) {
        var registration = new org.springframework.boot.web.servlet.FilterRegistrationBean<>(
                new OperatorAuthFilter(new OperatorTokens(properties.fhirBaseUrl()), java.util.Set.of("/actuator/health")));
        registration.addUrlPatterns("/screening/*", "/actuator/*");
        return registration;
    }

    @Bean
    public NotificationSecret notificationSecret(ClientAuthProperties auth, ScreeningProperties properties) {
        return new NotificationSecret(properties.stateDir().resolve("notification-secrets"), java.time.Clock.systemUTC(),
                auth.notificationSecretRotation(), auth.notificationSecretGrace(), auth.notificationsFromLoopbackOnly());
    }
}
