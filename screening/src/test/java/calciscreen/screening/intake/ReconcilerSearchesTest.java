package calciscreen.screening.intake;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What a reconciliation pass searches instead of reading a type's {@code _history}: at least what the Subscriptions
 * watch of that type, so that a notification lost to an outage comes with the next pass, not only the deep one; the
 * other types are read whole.
 */
class ReconcilerSearchesTest {

    private static final LocalDate WINDOW = LocalDate.parse("2026-08-30");

    @Test
    void everySearchedTypeIsSearchedAsItsSubscriptionWatchesIt() {
        List<String> searched = Reconciler.searches(WINDOW).stream()
                .map(search -> search.type() + "?" + search.query()).toList();
        for (SubscriptionRegistrar.Watch watch : SubscriptionRegistrar.watches(WINDOW)) {
            String type = watch.type();
            if (Reconciler.SEARCHED_TYPES.contains(type)) {
                assertThat(searched).as(type).contains(watch.criteria());
            } else {
                assertThat(Reconciler.HISTORY_TYPES).as("read whole").contains(type);
            }
        }
    }

    @Test
    void labsWithNoEffectiveTimeAreSearchedTooThoughNoSubscriptionCanMatchThem() {
        assertThat(Reconciler.searches(WINDOW)).extracting(search -> search.type() + "?" + search.query())
                .contains("Observation?code=" + calciscreen.screening.context.PatientRecordLoader.observationCodes()
                        + "&date:missing=true");
    }

    @Test
    void everyTypeSearchedIsReadWholeByTheDeepPass() {
        assertThat(Reconciler.searches(WINDOW)).extracting(Reconciler.Search::type)
                .containsAll(Reconciler.SEARCHED_TYPES).isSubsetOf(Reconciler.SEARCHED_TYPES);
        assertThat(Reconciler.SEARCHED_TYPES).doesNotContainAnyElementsOf(Reconciler.HISTORY_TYPES);
    }
}
