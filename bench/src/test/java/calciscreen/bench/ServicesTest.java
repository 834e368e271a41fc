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

    @Test
    void timerMeansComeFromTheDifferenceOfTwoPrometheusReadings() {
        String before = """
                # HELP calciscreen_queue_wait_seconds from a patient's oldest unscreened news
                # TYPE calciscreen_queue_wait_seconds summary
                calciscreen_queue_wait_seconds{quantile="0.5"} 0.02
                calciscreen_queue_wait_seconds_count 10
                calciscreen_queue_wait_seconds_sum 1.0
                calciscreen_queue_wait_seconds_max 0.3
                calciscreen_idle_seconds_count 4
                calciscreen_idle_seconds_sum 2.0
                """;
        String after = """
                calciscreen_queue_wait_seconds_count 30
                calciscreen_queue_wait_seconds_sum 3.5
                calciscreen_idle_seconds_count 4
                calciscreen_idle_seconds_sum 2.0
                http_server_requests_seconds_count{method="PUT",status="200"} 7
                http_server_requests_seconds_sum{method="PUT",status="200"} 0.7
                """;
        var means = Services.meanMillisSince(Services.parseTimers(before), Services.parseTimers(after));
        // (3.5 - 1.0) s over 20 = 125 ms; nothing recorded on idle; requests only seen in the second reading
        assertThat(means).containsEntry("calciscreen_queue_wait", 125.0).doesNotContainKey("calciscreen_idle")
                .containsEntry("http_server_requests", 100.0);
    }

    @Test
    void cpuTimeAddsUserSystemAndEndedChildrenTicks() throws Exception {
        Path stat = dir.resolve("stat");
        // pid (comm with space) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime cutime cstime
        Files.writeString(stat, "42 (postgres: x) S 1 42 42 0 -1 4194304 100 0 0 0 250 50 7 3 20 0 1 0 0 0 0");
        assertThat(CpuTime.ticks(stat)).hasValue(310);
        // a thread counts its own time only; a JVM names its compiler threads "C2 CompilerThre" (15 characters)
        Files.writeString(stat, "43 (C2 CompilerThre) S 1 42 42 0 -1 4194304 100 0 0 0 120 30 0 0 20 0 1 0 0 0 0");
        assertThat(CpuTime.threadTicks(stat)).hasValue(150);
        Files.writeString(stat, "43 (truncated) S 1 42");
        assertThat(CpuTime.ticks(stat)).isEmpty();
    }
}
