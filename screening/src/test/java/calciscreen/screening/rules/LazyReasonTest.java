package calciscreen.screening.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Reasons made when read (Verdict, Why) and the rules' source lists (Sources) behave as the eager values did. */
class LazyReasonTest {

    private static Supplier<String> counting(AtomicInteger calls, String text) {
        return () -> {
            calls.incrementAndGet();
            return text;
        };
    }

    @Test
    void aLazyReasonIsMadeOnceWhenFirstReadAndEqualsTheSameTextGivenEagerly() {
        AtomicInteger calls = new AtomicInteger();
        Verdict.Fired lazy = new Verdict.Fired(counting(calls, "intact PTH 720 pg/mL > 585 pg/mL"));
        assertThat(calls).hasValue(0);

        Verdict.Fired eager = new Verdict.Fired("intact PTH 720 pg/mL > 585 pg/mL");
        assertThat(lazy).isEqualTo(eager).hasSameHashCodeAs(eager);
        assertThat(eager).isEqualTo(lazy);
        assertThat(lazy.reason()).isEqualTo("intact PTH 720 pg/mL > 585 pg/mL");
        assertThat(lazy).hasToString("Fired[reason=intact PTH 720 pg/mL > 585 pg/mL]");
        assertThat(calls).hasValue(1);
    }

    @Test
    void verdictsKeepTheirRecordSemantics() {
        assertThat(new Verdict.NotFired("no phosphate in lookback"))
                .isEqualTo(new Verdict.NotFired("no phosphate in lookback"))
                .hasSameHashCodeAs("no phosphate in lookback")
                .hasToString("NotFired[reason=no phosphate in lookback]")
                .isNotEqualTo(new Verdict.Fired("no phosphate in lookback"))
                .isNotEqualTo(new Verdict.NotFired("no calcium in lookback"));
        assertThat(new Verdict.Fired((String) null)).isEqualTo(new Verdict.Fired((String) null))
                .hasToString("Fired[reason=null]").hasSameHashCodeAs(new Verdict.Fired((String) null));
        assertThat(new Verdict.Indeterminate("albumin not counted: no value", "Observation/a"))
                .hasToString("Indeterminate[reason=albumin not counted: no value, source=Observation/a]");
    }

    @Test
    void whyJoinsItsDistinctPartsInTheOrderFirstGiven() {
        AtomicInteger calls = new AtomicInteger();
        Why why = new Why().add("kidney failure Condition").add("kidney failure Condition")
                .add(counting(calls, "dialysis Procedure in lookback")).add("dialysis Procedure in lookback")
                .add("kidney failure Condition").add(counting(calls, "third"));
        assertThat(calls).hasValue(0);
        assertThat(why.get()).isEqualTo("kidney failure Condition; dialysis Procedure in lookback; third");
        assertThat(new Why().add("gender female").get()).isEqualTo("gender female");
        assertThat(new Why().add(() -> "only").get()).isEqualTo("only");
        assertThat(new Why().isEmpty()).isTrue();
    }

    @Test
    void sourcesKeepTheirOrderAndDropDuplicatesOnlyWhenAsked() {
        Sources few = new Sources(1);
        for (String id : List.of("Observation/a", "Condition/c", "Observation/a", "Observation/b")) {
            few.add(id);
        }
        assertThat(few.list()).containsExactly("Observation/a", "Condition/c", "Observation/a", "Observation/b");
        assertThat(few.distinct()).containsExactly("Observation/a", "Condition/c", "Observation/b");

        Sources many = new Sources(4);
        for (int i = 0; i < 40; i++) {
            many.add("Procedure/p" + (i % 30));
        }
        assertThat(many.list()).hasSize(40);
        assertThat(many.distinct()).hasSize(30).startsWith("Procedure/p0", "Procedure/p1").endsWith("Procedure/p29");

        List<String> frozen = few.list();
        List<String> same = List.of("Observation/a", "Condition/c", "Observation/a", "Observation/b");
        assertThat(frozen).isInstanceOf(FrozenList.class).isEqualTo(same).hasSameHashCodeAs(same)
                .hasToString(same.toString());
        assertThat(same).isEqualTo(frozen);
        assertThatThrownBy(() -> frozen.add("Observation/z")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> frozen.set(0, "Observation/z")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> frozen.contains(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> few.add(null)).isInstanceOf(NullPointerException.class);
        assertThat(new RuleResult(RuleId.R1, new Verdict.NotFired("x"), 0, java.util.Optional.empty(), frozen).sources())
                .isSameAs(frozen);

        Sources none = new Sources(0);
        assertThat(none.isEmpty()).isTrue();
        assertThat(none.list()).isEmpty();
        assertThat(none.distinct()).isEmpty();
    }
}
