package calciscreen.screening.cds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import calciscreen.model.CanonicalUrls;
import calciscreen.screening.reviews.ReviewDecision;
import calciscreen.screening.rules.Assessment;
import calciscreen.screening.rules.PatientContext;
import calciscreen.screening.rules.RuleConfig;
import calciscreen.screening.rules.RuleSet;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;

/** The feedback's checks, made before anything is written: what a malformed request and an unknown card get. */
class CardFeedbackTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Instant NOW = Instant.parse("2025-03-02T10:00:00Z");

    final CardFeedback feedback = new CardFeedback(null, new ReviewDecision(Duration.ofDays(30), Duration.ofDays(90)),
            Clock.fixed(NOW, ZoneOffset.UTC), 2, Duration.ofHours(24));

    static String item(String card, String outcome, String extra) {
        return "{\"feedback\":[{\"card\":\"" + card + "\",\"outcome\":\"" + outcome
                + "\",\"outcomeTimestamp\":\"2025-03-02T09:59:00Z\"" + extra + "}]}";
    }

    @Test
    void malformedFeedbackIsA400NamingWhatIsWrong() {
        assertThatThrownBy(() -> feedback.store(JSON, "", "ehr")).hasMessageContaining("`feedback` array");
        assertThatThrownBy(() -> feedback.store(JSON, "{nope", "ehr")).hasMessageContaining("not JSON");
        assertThatThrownBy(() -> feedback.store(JSON, "{\"feedback\":[]}", "ehr")).hasMessageContaining("non-empty");
        assertThatThrownBy(() -> feedback.store(JSON, item("c", "ignored", ""), "ehr"))
                .hasMessageContaining("`accepted` or `overridden`");
        assertThatThrownBy(() -> feedback.store(JSON, "{\"feedback\":[{\"card\":\"c\",\"outcome\":\"accepted\"}]}",
                "ehr")).hasMessageContaining("outcomeTimestamp");
        assertThatThrownBy(() -> feedback.store(JSON, item("c", "overridden",
                ",\"overrideReason\":{\"reason\":{\"system\":\"http://elsewhere.example\",\"code\":\"other\"}}"), "ehr"))
                .hasMessageContaining("not one of the card's overrideReasons");
        assertThatThrownBy(() -> feedback.store(JSON, item("c", "accepted",
                ",\"overrideReason\":{\"userComment\":\"x\"}"), "ehr")).hasMessageContaining("only an `overridden`");
        assertThatThrownBy(() -> feedback.store(JSON, item("c", "overridden", ",\"overrideReason\":{\"reason\":{"
                + "\"system\":\"" + CanonicalUrls.FLAG_ACTION_REASON_SYSTEM + "\",\"code\":\"other\"}}"), "ehr"))
                .hasMessageContaining("needs a `userComment`");
        assertThatThrownBy(() -> feedback.store(JSON, item("c", "accepted", ""), "ehr"))
                .isInstanceOfSatisfying(CdsException.class, e -> assertThat(e.status()).isEqualTo(404));
    }

    @Test
    void aCardIsRememberedForItsFeedbackOnlySoLong() {
        Assessment high = high();
        feedback.issued("c1", "p", high);
        feedback.issued("c2", "p", high);
        feedback.issued("c3", "p", high); // only 2 kept: c1 is forgotten
        assertThatThrownBy(() -> feedback.store(JSON, item("c1", "accepted", ""), "ehr"))
                .isInstanceOfSatisfying(CdsException.class, e -> assertThat(e.status()).isEqualTo(404));
    }

    @Test
    void theCardOffersTheReasonListAsOverrideReasons() {
        CdsJson.Card card = new CardFactory("http://localhost:8081/", RuleConfig.v1()).card("p", high()).orElseThrow();
        assertThat(card.overrideReasons()).extracting(CdsJson.Coding::code).containsExactly("already-managed",
                "risk-factors-addressed", "data-not-representative", "goals-of-care", "not-clinically-relevant", "other");
        assertThat(card.overrideReasons()).allSatisfy(c -> assertThat(c.system())
                .isEqualTo(CanonicalUrls.FLAG_ACTION_REASON_SYSTEM));
    }

    static Assessment high() {
        Patient patient = new Patient().setGender(AdministrativeGender.FEMALE);
        patient.setId("p");
        List<Condition> conditions = List.of(condition("46177005"), condition("36348003"), condition("403783002"));
        return RuleSet.v1().evaluate(PatientContext.from(patient, conditions), NOW);
    }

    static Condition condition(String snomed) {
        Condition c = new Condition();
        c.setId("c" + snomed);
        c.setCode(new CodeableConcept(new Coding("http://snomed.info/sct", snomed, null)));
        return c;
    }
}
