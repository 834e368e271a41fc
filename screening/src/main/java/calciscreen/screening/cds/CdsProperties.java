package calciscreen.screening.cds;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Everything under {@code calciscreen.cds}: the CDS Hooks service and the CDS clients it trusts. Unknown keys fail
 * the start.
 *
 * @param publicBaseUrl      the base URL EHRs and browsers reach this service at; the JWT audience is
 *                           {@code <publicBaseUrl>/cds-services/calciphylaxis-risk} and cards link to
 *                           {@code <publicBaseUrl>/worklist}. Empty: {@code calciscreen.screening.callback-base-url}
 * @param fhirServerAllowList the only {@code fhirServer} base URLs the service fetches missing prefetch from (exact
 *                           match, trailing slash ignored). Empty: the screening's own FHIR server only
 * @param fetchTimeout       how long fetching missing data from {@code fhirServer} may take before the service answers
 *                           with no card (the EHR's time budget)
 * @param maxTokenLifetime   a CDS client's JWT must expire within this long (the spec asks for at most 5 minutes)
 * @param devClient          the development CDS client (key generated at first start under the state dir)
 * @param trustedClients     further CDS clients: issuer and their JWK Set (URL, inline JSON or file)
 */
@ConfigurationProperties(prefix = "calciscreen.cds", ignoreUnknownFields = false)
public record CdsProperties(
        @DefaultValue("") String publicBaseUrl,
        List<String> fhirServerAllowList,
        @DefaultValue("2s") Duration fetchTimeout,
        @DefaultValue("5m") Duration maxTokenLifetime,
        @DefaultValue DevClient devClient,
        List<TrustedClient> trustedClients) {

    public CdsProperties {
        fhirServerAllowList = fhirServerAllowList == null ? List.of() : List.copyOf(fhirServerAllowList);
        trustedClients = trustedClients == null ? List.of() : List.copyOf(trustedClients);
    }

    /**
     * @param enabled whether the development client is trusted (its public key, generated and kept under the
     *                screening state dir, is added to the trusted JWK Sets)
     * @param issuer  its {@code iss} (and client id), what {@code ./calciscreen token --cds} signs as
     */
    public record DevClient(@DefaultValue("true") boolean enabled, @DefaultValue("calciscreen-dev-ehr") String issuer) {}

    /** A trusted CDS client: its {@code iss} and exactly one of its JWK Set's URL, inline JSON, or file. */
    public record TrustedClient(String issuer, String jwksUrl, String jwks, Path jwksFile) {}
}
