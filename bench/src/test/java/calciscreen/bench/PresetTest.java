package calciscreen.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PresetTest {

    @Test
    void moreBackfillPassesChangeNothingElse() {
        Preset quick = Preset.quick();
        Preset longer = quick.withBackfillPasses(150);
        assertThat(longer.backfillPasses()).isEqualTo(150);
        assertThat(longer).usingRecursiveComparison().ignoringFields("backfillPasses").isEqualTo(quick);
    }

    @Test
    void aBackfillNeedsAtLeastOnePass() {
        assertThatThrownBy(() -> Preset.full().withBackfillPasses(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 1");
    }
}
