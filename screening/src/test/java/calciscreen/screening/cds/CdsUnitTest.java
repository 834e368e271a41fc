package calciscreen.screening.cds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import calciscreen.screening.rules.Assessment;
import calciscreen.screening.rules.PatientContext;
import calciscreen.screening.rules.RuleConfig;
import calciscreen.screening.rules.RuleSet;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pure parts of the CDS service: request validation, the card's text, the JWT checks. */
class CdsUnitTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void requestValidationNamesTheMissingField() {
        assertThatThrownBy(() -> CdsRequest.parse(JSON, "")).hasMessageContaining("no body");
        assertThatThrownBy(() -> CdsRequest.parse(JSON, "[1]")).hasMessageContaining("JSON object");
        assertThatThrownBy(() -> CdsRequest.parse(JSON, "{\"context\":{}}")).hasMessageContaining("missing `hook`");
        assertThatThrownBy(() -> CdsRequest.parse(JSON, "{\"hook\":\"patient-view\",\"context\":{\"patientId\":\"a b\"}}"))
                .hasMessageContaining("not a FHIR id");
        assertThatThrownBy(() -> CdsRequest.parse(JSON, "{\"hook\":\"patient-view\",\"context\":{\"patientId\":\"1\"},"
                + "\"fhirServer\":\"ftp://x\"}")).hasMessageContaining("http(s) URL");
        CdsRequest ok = CdsRequest.parse(JSON, "{\"hook\":\"patient-view\",\"context\":{\"patientId\":\"7\"},"
                + "\"prefetch\":{\"patient\":null,\"unknownKey\":{\"resourceType\":\"Patient\"}}}");
        assertThat(ok.patientId()).isEqualTo("7");
        assertThat(ok.prefetch()).isEmpty();
    }

    @Test
    void summaryStaysUnder140CharactersWhateverFires() {
        Patient patient = new Patient().setGender(AdministrativeGender.FEMALE);
        patient.setId("p");
        List<Condition> conditions = List.of(condition("46177005"), condition("66931009"), condition("36348003"),
                condition("44054006"), condition("414916001"), condition("34000006"), condition("403783002"));
        Assessment a = RuleSet.v1().evaluate(PatientContext.from(patient, conditions), Instant.now());
        CardFactory cards = new CardFactory("http://localhost:8081/", RuleConfig.v1());
        CdsJson.Card card = cards.card("p", a).orElseThrow();
        assertThat(card.summary()).hasSizeLessThan(140).startsWith("High calciphylaxis risk (score " + a.score() + ")");
        assertThat(card.indicator()).isEqualTo("critical");
        assertThat(card.links().get(0).url()).isEqualTo("http://localhost:8081/signin/launch");
        assertThat(card.links().get(0).type()).as("a SMART launch of the worklist").isEqualTo("smart");
        assertThat(card.detail()).contains("R12 Prior calciphylaxis", "R9 Diabetes mellitus");
    }

    @Test
    void markdownEscapesWhatCouldBecomeMarkup() {
        assertThat(CardFactory.escape("a <b> [x](y) *z* `c` | d")).isEqualTo("a \\<b\\> \\[x\\](y) \\*z\\* \\`c\\` \\| d");
    }

    @Test
    void theDevelopmentClientsJwtIsTrustedOnceForItsAudienceOnly(@TempDir Path state) {
        DevCdsClient dev = DevCdsClient.loadOrCreate(state, "calciscreen-dev-ehr");
        assertThat(DevCdsClient.loadOrCreate(state, "calciscreen-dev-ehr").publicKey().getKeyID())
                .isEqualTo(dev.publicKey().getKeyID());
        CdsProperties props = new CdsProperties("", List.of(), Duration.ofSeconds(2), Duration.ofMinutes(5),
                new CdsProperties.DevClient(true, "calciscreen-dev-ehr"), List.of());
        CdsClientTrust trust = CdsClientTrust.from(props, dev, Clock.systemUTC());
        String aud = "http://localhost:8081/cds-services/calciphylaxis-risk";
        String token = dev.sign(aud, Duration.ofMinutes(5));
        assertThat(trust.verify("Bearer " + token, aud)).isEqualTo("calciscreen-dev-ehr");
        assertThatThrownBy(() -> trust.verify("Bearer " + token, aud)).hasMessageContaining("used before");
        assertThatThrownBy(() -> trust.verify("Bearer " + dev.sign("http://other/x", Duration.ofMinutes(1)), aud))
                .hasMessageContaining("audience");
        assertThatThrownBy(() -> trust.verify("Bearer " + dev.sign(aud, Duration.ofHours(1)), aud))
                .hasMessageContaining("too late");
        assertThatThrownBy(() -> trust.verify("Basic abc", aud)).hasMessageContaining("Bearer");
    }

    private static Condition condition(String snomed) {
        Condition c = new Condition();
        c.setId("c" + snomed);
        c.setCode(new CodeableConcept(new Coding("http://snomed.info/sct", snomed, null)));
        return c;
    }
}
