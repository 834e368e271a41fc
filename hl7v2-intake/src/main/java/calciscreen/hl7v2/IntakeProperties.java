package calciscreen.hl7v2;

import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Everything under {@code calciscreen.hl7v2} in the intake's application.yaml (each key is commented there).
 *
 * @param mllpPort           the TCP port labs send to (MLLP)
 * @param maxMessageSize     a frame larger than this closes the connection (nothing is stored, nothing answered)
 * @param frameIdleTimeout   a frame that started but receives no byte for this long closes the connection
 * @param fhirBaseUrl        the FHIR server written to
 * @param requestTimeout     how long one FHIR transaction may take before the message is answered AE
 * @param patientLockTimeout how long a message waits behind earlier ones of the same patient before AE
 * @param stateDir           the intake's own files (its signing key)
 * @param lab                how the intake signs in at the FHIR server (SMART Backend Services)
 * @param facilities         per sending facility (MSH-4): identifier systems, local codes, time zone
 * @param defaults           what applies to a facility not listed
 */
@ConfigurationProperties(prefix = "calciscreen.hl7v2", ignoreUnknownFields = false)
public record IntakeProperties(
        @DefaultValue("2575") int mllpPort,
        @DefaultValue("1MB") DataSize maxMessageSize,
        @DefaultValue("30s") Duration frameIdleTimeout,
        @DefaultValue("http://localhost:8080/fhir") String fhirBaseUrl,
        @DefaultValue("20s") Duration requestTimeout,
        @DefaultValue("30s") Duration patientLockTimeout,
        @DefaultValue("./data/hl7v2-intake") Path stateDir,
        @DefaultValue Lab lab,
        Map<String, Facility> facilities,
        @DefaultValue Facility defaults) {

    public IntakeProperties {
        facilities = facilities == null ? Map.of() : Map.copyOf(facilities);
    }

    /** The facility settings for MSH-4 {@code namespace}: its own entry, else the defaults. */
    public Facility facility(String namespace) {
        return facilities.getOrDefault(namespace == null ? "" : namespace, defaults);
    }

    /**
     * @param insecureDevMode send no token (the FHIR server must run the same way); development only
     * @param clientId        the intake's client id at the FHIR server's authorization server
     * @param scopes          scopes asked for; empty: every scope the client is registered for
     * @param keyFile         the private JWK the client assertions are signed with; empty:
     *                        {@code <state-dir>/client-key.jwk}, generated at first start
     */
    public record Lab(
            @DefaultValue("false") boolean insecureDevMode,
            @DefaultValue("calciscreen-lab") String clientId,
            List<String> scopes,
            @DefaultValue("") String keyFile) {

        public Lab {
            scopes = scopes == null ? List.of() : List.copyOf(scopes);
        }

        public Path keyFile(Path stateDir) {
            return keyFile.isBlank() ? stateDir.resolve("client-key.jwk") : Path.of(keyFile);
        }
    }

    /**
     * @param patientIdentifierSystems PID-3.4 assigning authority (its namespace id) -> Patient.identifier.system;
     *                                 an authority not listed: {@code urn:oid:} of its ISO universal id, else a system
     *                                 under {@code http://calciscreen.example/fhir/sid/hl7v2-patient/}
     * @param localCodes               OBX-3 / OBR-4 local code (as sent in component 1) -> LOINC code, for results
     *                                 sent without a LOINC code or LOINC alternate
     * @param timeZone                 the zone of HL7 times sent without an offset; empty: this machine's zone
     */
    public record Facility(Map<String, String> patientIdentifierSystems, Map<String, String> localCodes,
                           @DefaultValue("") String timeZone) {

        public Facility {
            patientIdentifierSystems = patientIdentifierSystems == null ? Map.of() : Map.copyOf(patientIdentifierSystems);
            localCodes = localCodes == null ? Map.of() : Map.copyOf(localCodes);
        }

        public ZoneId zone() {
            return timeZone.isBlank() ? ZoneId.systemDefault() : ZoneId.of(timeZone);
        }
    }
}
