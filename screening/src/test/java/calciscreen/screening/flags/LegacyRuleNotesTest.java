package calciscreen.screening.flags;

import static org.assertj.core.api.Assertions.assertThat;

import calciscreen.screening.flags.RuleResults.Fired;
import calciscreen.screening.rules.RuleId;
import org.hl7.fhir.r4.model.Annotation;
import org.hl7.fhir.r4.model.RiskAssessment;
import org.junit.jupiter.api.Test;

class LegacyRuleNotesTest {

    @Test
    void readsBackTheLineDescribeWritesForARuleThatFired() {
        assertThat(LegacyRuleNotes.parse("R5 Hyperparathyroidism: fired (+2): intact PTH 612 pg/mL > 585 pg/mL"))
                .contains(new Fired(RuleId.R5, 2, "intact PTH 612 pg/mL > 585 pg/mL"));
    }

    @Test
    void aRuleThatDidNotFireOrCouldNotDecideIsNoFiredNote() {
        assertThat(LegacyRuleNotes.parse("R6 Hypoalbuminemia: not fired: albumin 3.4 g/dL >= 3.0 g/dL")).isEmpty();
        assertThat(LegacyRuleNotes.parse("R2 Hypercalcemia: indeterminate: no calcium in lookback")).isEmpty();
    }

    @Test
    void aNoteNotOursIsIgnored() {
        assertThat(LegacyRuleNotes.parse(null)).isEmpty();
        assertThat(LegacyRuleNotes.parse("R99 Unknown: fired (+1): something")).isEmpty();
        assertThat(LegacyRuleNotes.parse("reviewed by the nephrologist")).isEmpty();
        assertThat(LegacyRuleNotes.parse("R5 Hyperparathyroidism: fired (+99999999999): x")).isEmpty();
    }

    @Test
    void aRiskAssessmentOfThePreviousReleaseShowsTheRulesThatFiredInNoteOrder() {
        RiskAssessment old = new RiskAssessment();
        old.addNote(new Annotation().setText("Score 5 (moderate), rule set http://calciscreen.example/fhir/rules/calciphylaxis|1.0.0"));
        old.addNote(new Annotation().setText("R1 Kidney failure: fired (+3): dialysis Procedure"));
        old.addNote(new Annotation().setText("R4 Calcium-phosphate product: indeterminate: Observation/9 unreadable"));
        old.addNote(new Annotation().setText("R5 Hyperparathyroidism: fired (+2): intact PTH 612 pg/mL > 585 pg/mL"));
        old.addNote(new Annotation().setText("Data: Observation/9 skipped: no unit"));
        assertThat(RuleResults.fired(old)).containsExactly(new Fired(RuleId.R1, 3, "dialysis Procedure"),
                new Fired(RuleId.R5, 2, "intact PTH 612 pg/mL > 585 pg/mL"));
    }
}
