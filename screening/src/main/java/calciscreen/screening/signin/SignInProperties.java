package calciscreen.screening.signin;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Everything under {@code calciscreen.signin}: how clinicians sign in to the worklist (OpenID Connect, authorization
 * code with PKCE S256, the client authenticated with {@code private_key_jwt} by the screening's own key) and what
 * their roles allow. Any OIDC issuer works by changing these values alone.
 *
 * @param issuerUri          the OpenID provider (its {@code /.well-known/openid-configuration} is read on first use)
 * @param clientId           this service's client id at that provider
 * @param scopes             the scopes asked for; the provider grants what the person's role allows of them
 * @param rolesClaim         the ID token claim that lists the person's roles; a dotted path reads a nested claim
 *                           ({@code realm_access.roles} for Keycloak)
 * @param allowedRoles       roles that may open the worklist and the patient view (read)
 * @param actRole            the role that may review, snooze and dismiss (the others read only: 403 on an action)
 * @param anyPatientRole     the role whose holders may open any patient's view; others only patients with a
 *                           calciphylaxis-risk Flag (active or past); empty: nobody
 * @param idleTimeout        a session unused this long ends (the person signs in again)
 * @param worklistAuditEvery how often one session's worklist reads are audited again (the page polls every 5 s; each
 *                           patient view is audited every time)
 */
@ConfigurationProperties(prefix = "calciscreen.signin", ignoreUnknownFields = false)
public record SignInProperties(
        @DefaultValue("http://localhost:8080") String issuerUri,
        @DefaultValue("calciscreen-worklist") String clientId,
        List<String> scopes,
        @DefaultValue("roles") String rolesClaim,
        @DefaultValue({"clinician", "reader"}) List<String> allowedRoles,
        @DefaultValue("clinician") String actRole,
        @DefaultValue("") String anyPatientRole,
        @DefaultValue("15m") Duration idleTimeout,
        @DefaultValue("15m") Duration worklistAuditEvery) {

    public static final String REGISTRATION_ID = "calciscreen";
    /** What a clinician's work needs; a reader's role is granted {@code user/Task.rs} of it. */
    public static final List<String> DEFAULT_SCOPES = List.of("openid", "profile", "fhirUser", "user/Patient.rs",
            "user/Flag.rs", "user/RiskAssessment.rs", "user/Observation.rs", "user/Condition.rs", "user/Procedure.rs",
            "user/MedicationRequest.rs", "user/MedicationStatement.rs", "user/Medication.rs", "user/Task.crs");

    public SignInProperties {
        issuerUri = issuerUri.replaceAll("/+$", "");
        scopes = scopes == null || scopes.isEmpty() ? DEFAULT_SCOPES : List.copyOf(scopes);
        allowedRoles = List.copyOf(allowedRoles);
        if (!scopes.contains("openid")) {
            throw new IllegalArgumentException("calciscreen.signin.scopes must contain openid");
        }
        if (idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("calciscreen.signin.idle-timeout must be positive");
        }
    }
}
