package calciscreen.screening.rules;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FiredNoteTest {

    @Test
    void readsBackTheLineDescribeWritesForARuleThatFired() {
        assertThat(FiredNote.parse("R5 Hyperparathyroidism: fired (+2): intact PTH 612 pg/mL > 585 pg/mL"))
                .contains(new FiredNote(RuleId.R5, 2, "intact PTH 612 pg/mL > 585 pg/mL"));
    }

    @Test
    void aRuleThatDidNotFireOrCouldNotDecideIsNoFiredNote() {
        assertThat(FiredNote.parse("R6 Hypoalbuminemia: not fired: albumin 3.4 g/dL >= 3.0 g/dL")).isEmpty();
        assertThat(FiredNote.parse("R2 Hypercalcemia: indeterminate: no calcium in lookback")).isEmpty();
    }

    @Test
    void aNoteNotOursIsIgnored() {
        assertThat(FiredNote.parse(null)).isEmpty();
        assertThat(FiredNote.parse("R99 Unknown: fired (+1): something")).isEmpty();
        assertThat(FiredNote.parse("reviewed by the nephrologist")).isEmpty();
    }
}
