package calciscreen.model.resources;

import static calciscreen.model.CanonicalUrls.SCREENING_DEVICE_IDENTIFIER_VALUE;
import static calciscreen.model.CanonicalUrls.SCREENING_IDENTIFIER_SYSTEM;

import java.util.Objects;
import java.util.Optional;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.Device.DeviceVersionComponent;
import org.hl7.fhir.r4.model.Identifier;

/**
 * The Device that represents the screening service: the author of every Flag (docs/architecture.md, "What the screening
 * writes"). One per deployment, found (and created once) through its identifier
 * {@code http://calciscreen.example/fhir/sid/screening|device/calciscreen-screening}.
 *
 * <p>It has: identifier; status active; deviceName "calciscreen screening service" (user-friendly-name); type text
 * "Calciphylaxis risk screening software"; two versions, {@code software} = the service's version and
 * {@code rule set} = the rule-set canonical ({@code <url>|<version>}); a generated narrative.
 */
public final class ScreeningDevice {

    public static final String DEVICE_NAME = "calciscreen screening service";
    public static final String TYPE_TEXT = "Calciphylaxis risk screening software";
    /** Device.version.type.text of the service's software version. */
    public static final String SOFTWARE_VERSION_TYPE = "software";
    /** Device.version.type.text of the rule set's canonical. */
    public static final String RULE_SET_VERSION_TYPE = "rule set";

    private ScreeningDevice() {
    }

    /** {@code SCREENING_IDENTIFIER_SYSTEM | device/calciscreen-screening}. */
    public static Identifier identifier() {
        return new Identifier().setSystem(SCREENING_IDENTIFIER_SYSTEM).setValue(SCREENING_DEVICE_IDENTIFIER_VALUE);
    }

    /**
     * {@code Device?identifier=http://calciscreen.example/fhir/sid/screening|device/calciscreen-screening}: the
     * If-None-Exist of a conditional create (HAPI: {@code client.create().resource(d).conditionalByUrl(matchUrl())})
     * or the search that finds the Device. Not URL-encoded, as HAPI's client expects it.
     */
    public static String matchUrl() {
        return "Device?identifier=" + SCREENING_IDENTIFIER_SYSTEM + "|" + SCREENING_DEVICE_IDENTIFIER_VALUE;
    }

    /**
     * The Device for this software version and rule set.
     *
     * @param softwareVersion  the service's version, e.g. {@code 0.1.0}
     * @param ruleSetCanonical {@code http://calciscreen.example/fhir/rules/calciphylaxis|1.0.0}
     */
    public static Device build(String softwareVersion, String ruleSetCanonical) {
        String software = Fhir.require(softwareVersion, "the software version");
        RuleSetId ruleSet = RuleSetId.parse(ruleSetCanonical);
        Device device = new Device();
        device.addIdentifier(identifier());
        device.setStatus(Device.FHIRDeviceStatus.ACTIVE);
        device.addDeviceName().setName(DEVICE_NAME).setType(Device.DeviceNameType.USERFRIENDLYNAME);
        device.setType(new CodeableConcept().setText(TYPE_TEXT));
        device.addVersion(new DeviceVersionComponent().setType(new CodeableConcept().setText(SOFTWARE_VERSION_TYPE))
                .setValue(software));
        device.addVersion(new DeviceVersionComponent().setType(new CodeableConcept().setText(RULE_SET_VERSION_TYPE))
                .setValue(ruleSet.canonical()));
        device.setText(Fhir.narrative("<p>" + Fhir.escape(DEVICE_NAME) + " " + Fhir.escape(software)
                + ", rule set " + Fhir.escape(ruleSet.canonical()) + ".</p>"));
        return device;
    }

    /** The version of the given type ({@link #SOFTWARE_VERSION_TYPE} or {@link #RULE_SET_VERSION_TYPE}). */
    public static Optional<String> versionOf(Device device, String versionType) {
        if (device == null) {
            return Optional.empty();
        }
        return device.getVersion().stream()
                .filter(v -> v.hasType() && versionType.equals(v.getType().getText()) && v.hasValue())
                .map(DeviceVersionComponent::getValue).findFirst();
    }

    /** Whether an existing Device already names this software version and rule set (no update needed). */
    public static boolean isUpToDate(Device device, String softwareVersion, String ruleSetCanonical) {
        return Objects.equals(versionOf(device, SOFTWARE_VERSION_TYPE).orElse(null), softwareVersion)
                && Objects.equals(versionOf(device, RULE_SET_VERSION_TYPE).orElse(null),
                RuleSetId.parse(ruleSetCanonical).canonical());
    }
}
