package calciscreen.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the benchmark reads back from the screening's log. */
class ScreeningLogTest {

    @TempDir
    Path dir;

    @Test
    void countsTheSecondsAReconciliationPassRanWithinTheWindowAndTheEvaluations() throws Exception {
        Path log = dir.resolve("screening.log");
        Files.writeString(log, String.join("\n",
                "2026-11-30T16:18:37.740Z  INFO 1 --- [x] c.s.i.Reconciler : event=reconciliation since=1970-01-01T00:00:00Z patients=0 notified=0 high_water_mark=2026-11-30T16:18:37.717Z took_ms=824",
                "2026-11-30T16:19:48.405Z  INFO 1 --- [x] c.s.i.Reconciler : event=reconciliation since=2026-11-30T16:18:07.717Z patients=0 notified=31 high_water_mark=2026-11-30T16:19:48.392Z took_ms=10593",
                "2026-11-30T16:19:50.000Z  WARN 1 --- [x] c.s.i.Reconciler : event=reconciliation_failed since=2026-11-30T16:18:07.717Z reason=\"x\"",
                "2026-11-30T16:19:00.000Z  INFO 1 --- [x] c.s.Screener : event=screened patient=1 tier=LOW score=0 outcome=NOT_FLAGGED requests=1 took_ms=5000"));

        // the second pass ran 16:19:37.812-16:19:48.405; the window ends at 16:19:45
        double seconds = Bench.reconciliationSeconds(log, Instant.parse("2026-11-30T16:19:04Z"),
                Instant.parse("2026-11-30T16:19:45Z"));

        assertThat(seconds).isEqualTo(7.188, org.assertj.core.data.Offset.offset(0.001));
        assertThat(Bench.reconciliationSeconds(log, Instant.parse("2026-11-30T16:20:00Z"),
                Instant.parse("2026-11-30T16:21:00Z"))).isZero();
        assertThat(Bench.evaluationFigures(log)).containsEntry("count", 1L).containsEntry("mean_ms", 5000.0)
                .containsEntry("mean_requests", 1.0);
    }

    @Test
    void aPassThatSaysHowLongItReadCountsOnlyItsReading() throws Exception {
        Path log = dir.resolve("screening.log");
        Files.writeString(log, "2026-11-30T16:19:48.405Z  INFO 1 --- [x] c.s.i.Reconciler : event=reconciliation "
                + "deep=false since=2026-11-30T16:18:07.717Z patients=0 notified=31 versions=2006 "
                + "high_water_mark=2026-11-30T16:19:48.392Z read_ms=1500 took_ms=10593\n");

        // the pass started 16:19:37.812 and read until 16:19:39.312, then waited for its screenings
        assertThat(Bench.reconciliationSeconds(log, Instant.parse("2026-11-30T16:19:04Z"),
                Instant.parse("2026-11-30T16:19:45Z"))).isEqualTo(1.5, org.assertj.core.data.Offset.offset(0.001));
        assertThat(Bench.reconciliationSeconds(log, Instant.parse("2026-11-30T16:19:39Z"),
                Instant.parse("2026-11-30T16:19:45Z"))).isEqualTo(0.312, org.assertj.core.data.Offset.offset(0.001));
    }
}
