package calciscreen.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServicesTest {

    @TempDir
    Path dir;

    @Test
    void peakRssIsTheVmHwmLineOfProcStatus() throws Exception {
        Path status = dir.resolve("status");
        Files.writeString(status, "Name:\tjava\nVmPeak:\t 5000000 kB\nVmHWM:\t  734512 kB\nVmRSS:\t  700000 kB\n");
        assertThat(Services.readVmHwmKiB(status)).hasValue(734512);
    }

    @Test
    void ourOwnProcessHasAPeakRss() {
        assertThat(Services.readVmHwmKiB(Path.of("/proc/self/status"))).isPresent();
    }

    @Test
    void noStatusFileNoFigure() {
        assertThat(Services.readVmHwmKiB(dir.resolve("missing"))).isEmpty();
    }
}
