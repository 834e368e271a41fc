package calciscreen.model.resources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.hl7.fhir.r4.model.Device;
import org.junit.jupiter.api.Test;

class ScreeningDeviceTest {

    final Device device = ScreeningDevice.build("0.1.0", Examples.RULES);

    @Test
    void isFoundThroughItsScreeningIdentifier() {
        assertThat(device.getIdentifier()).singleElement().satisfies(id -> {
            assertThat(id.getSystem()).isEqualTo("http://calciscreen.example/fhir/sid/screening");
            assertThat(id.getValue()).isEqualTo("device/calciscreen-screening");
        });
        assertThat(ScreeningDevice.matchUrl()).isEqualTo(
                "Device?identifier=http://calciscreen.example/fhir/sid/screening|device/calciscreen-screening");
        assertThat(device.hasId()).isFalse();
    }

    @Test
    void isNamedTheScreeningServiceWithSoftwareAndRuleSetVersions() {
        assertThat(device.getDeviceName()).singleElement().satisfies(n -> {
            assertThat(n.getName()).isEqualTo("calciscreen screening service");
            assertThat(n.getType()).isEqualTo(Device.DeviceNameType.USERFRIENDLYNAME);
        });
        assertThat(device.getStatus()).isEqualTo(Device.FHIRDeviceStatus.ACTIVE);
        assertThat(device.getVersion()).extracting(v -> v.getType().getText() + "=" + v.getValue()).containsExactly(
                "software=0.1.0", "rule set=http://calciscreen.example/fhir/rules/calciphylaxis|1.0.0");
        assertThat(ScreeningDevice.versionOf(device, ScreeningDevice.SOFTWARE_VERSION_TYPE)).contains("0.1.0");
        assertThat(device.getText().getDivAsString()).contains("calciscreen screening service 0.1.0");
    }

    @Test
    void tellsWhetherAnExistingDeviceNeedsAnUpdate() {
        assertThat(ScreeningDevice.isUpToDate(device, "0.1.0", Examples.RULES)).isTrue();
        assertThat(ScreeningDevice.isUpToDate(device, "0.2.0", Examples.RULES)).isFalse();
        assertThat(ScreeningDevice.isUpToDate(device, "0.1.0", "http://calciscreen.example/fhir/rules/calciphylaxis|1.1.0"))
                .isFalse();
        assertThat(ScreeningDevice.isUpToDate(new Device(), "0.1.0", Examples.RULES)).isFalse();
    }

    @Test
    void refusesMissingVersions() {
        assertThatThrownBy(() -> ScreeningDevice.build(" ", Examples.RULES)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ScreeningDevice.build("0.1.0", "no-version")).isInstanceOf(IllegalArgumentException.class);
    }
}
