package calciscreen.e2e;

import static calciscreen.e2e.ClinicalData.SNOMED;
import static calciscreen.e2e.ClinicalData.daysAgo;
import static org.assertj.core.api.Assertions.assertThat;

import calciscreen.model.CanonicalUrls;
import calciscreen.model.resources.ActingPerson;
import calciscreen.model.terminology.FlagActionKind;
import calciscreen.model.terminology.FlagActionReason;
import calciscreen.screening.reviews.FlagActions;
import calciscreen.screening.reviews.ReviewDecision;
import calciscreen.screening.reviews.RowState;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.awaitility.Awaitility;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.Flag;
import org.hl7.fhir.r4.model.Task;
import org.junit.jupiter.api.Test;

/**
 * A clinician's review, snooze and dismissal on the real stack: written as Tasks beside the Flag the running screening
 * keeps, searchable by Flag and by person, and undone by the data alone: a snoozed or dismissed Flag needs a look again
 * when its tier rises or new scoring evidence arrives, and stays quiet when a lab that does not score arrives.
 */
class FlagActionsIT extends EndToEndTest {

    static final ActingPerson DR = ActingPerson.ofIdentifier("http://localhost/people", "dr-e2e", "Dr E2E");
    static final Duration SCREENED = Duration.ofSeconds(60);

    final FlagActions actions = new FlagActions(new ReviewDecision(Duration.ofDays(30), Duration.ofDays(90)));

    /** ESKD (R1, 3) + phosphate 6.2 mg/dL (R3, 2): moderate, score 5. */
    static String moderatePatient() {
        String patient = post(ClinicalData.newPatient(AdministrativeGender.MALE)
                .condition(SNOMED, "46177005", "End-stage renal disease").lab("2777-1", 6.2, "mg/dL", daysAgo(2)));
        flags.await(patient, f -> Flags.active(f) && Flags.priority(f).equals(Optional.of("PM")), SCREENED);
        return patient;
    }

    static String flagId(String patient) {
        return flags.of(patient).get(0).getIdElement().getIdPart();
    }

    RowState state(String flagId) {
        return actions.states(client, Instant.now()).get(flagId);
    }

    static long screenings(String patient) {
        return stack.screeningLog().filter(l -> l.contains("event=screened patient=" + patient + " ")).count();
    }

    /** Posts the data and waits until the screening has evaluated the patient once more. */
    static void postAndAwaitScreening(String patient, ClinicalData data) {
        long before = screenings(patient);
        post(data);
        Awaitility.await().atMost(SCREENED).until(() -> screenings(patient) > before);
    }

    FlagActions.Request snooze(int days) {
        return new FlagActions.Request(FlagActionKind.SNOOZED, Optional.of(FlagActionReason.RISK_FACTORS_ADDRESSED),
                "binder started", null, null, Optional.of(Instant.now().plus(Duration.ofDays(days))));
    }

    FlagActions.Request dismiss() {
        return new FlagActions.Request(FlagActionKind.DISMISSED, Optional.of(FlagActionReason.GOALS_OF_CARE), null,
                null, null, Optional.empty());
    }

    @Test
    void snoozedFlagStaysQuietForALabThatDoesNotScoreAndComesBackWhenTheTierRises() {
        String patient = moderatePatient();
        String flag = flagId(patient);
        assertThat(state(flag)).isInstanceOf(RowState.NeedsLook.class);
        assertThat(actions.act(client, DR, flag, snooze(14), Instant.now())).isInstanceOf(RowState.Snoozed.class);
        String versionBefore = flags.of(patient).get(0).getMeta().getVersionId();

        postAndAwaitScreening(patient, ClinicalData.forPatient(patient).lab("2731-8", 120, "pg/mL", daysAgo(1)));
        assertThat(state(flag)).isInstanceOf(RowState.Snoozed.class);

        // PTH 700 pg/mL fires R5 (+2): 7, still moderate; + hypercalcemia (R2, +2): 9, high
        post(ClinicalData.forPatient(patient).condition(SNOMED, "66931009", "Hypercalcemia")
                .lab("2731-8", 700, "pg/mL", daysAgo(0)));
        flags.await(patient, f -> Flags.priority(f).equals(Optional.of("PH")), SCREENED);
        assertThat(state(flag)).isInstanceOfSatisfying(RowState.NeedsLook.class, s -> {
            assertThat(s.why()).isEqualTo(RowState.Why.TIER_ROSE);
            assertThat(s.text()).contains("from moderate to high", "snoozed by Dr E2E");
        });
        Flag after = flags.of(patient).get(0);
        assertThat(after.getMeta().getVersionId()).isNotEqualTo(versionBefore); // the screening's own update
        assertThat(after.getAuthor().getReference()).startsWith("Device/");   // never the clinician's
    }

    @Test
    void dismissedFlagComesBackWhenNewScoringEvidenceArrivesAndSaysWhich() {
        String patient = moderatePatient();
        String flag = flagId(patient);
        assertThat(actions.act(client, DR, flag, dismiss(), Instant.now())).isInstanceOf(RowState.Dismissed.class);

        postAndAwaitScreening(patient, ClinicalData.forPatient(patient).lab("1751-7", 4.1, "g/dL", daysAgo(1)));
        assertThat(state(flag)).isInstanceOf(RowState.Dismissed.class);

        // a diabetes diagnosis (R9, +1): 6, still moderate, but new evidence
        post(ClinicalData.forPatient(patient).condition(SNOMED, "44054006", "Diabetes mellitus type 2"));
        flags.await(patient, f -> Flags.evidence(f).stream().filter(e -> e.startsWith("Condition/")).count() == 2,
                SCREENED);
        assertThat(state(flag)).isInstanceOfSatisfying(RowState.NeedsLook.class, s -> {
            assertThat(s.why()).isEqualTo(RowState.Why.NEW_EVIDENCE);
            assertThat(s.newEvidence()).singleElement().satisfies(e -> assertThat(e).startsWith("Condition/"));
            assertThat(s.text()).contains("dismissed by Dr E2E");
        });
    }

    @Test
    void theActionsAreTasksSearchableByFlagPersonAndCode() {
        String patient = moderatePatient();
        String flag = flagId(patient);
        actions.act(client, DR, flag, new FlagActions.Request(FlagActionKind.REVIEWED, Optional.empty(), null,
                "discussed with nephrologist", "PTH repeat in 2 weeks", Optional.empty()), Instant.now());
        actions.act(client, DR, flag, snooze(7), Instant.now());

        Bundle byFlag = client.search().byUrl("Task?focus=Flag/" + flag).returnBundle(Bundle.class).execute();
        assertThat(byFlag.getEntry()).hasSize(2);
        Task review = byFlag.getEntry().stream().map(e -> (Task) e.getResource())
                .filter(t -> "reviewed".equals(t.getCode().getCodingFirstRep().getCode())).findFirst().orElseThrow();
        assertThat(review.getFor().getReference()).isEqualTo("Patient/" + patient);
        assertThat(review.getNoteFirstRep().getText()).isEqualTo("discussed with nephrologist");
        assertThat(review.getOwner().getIdentifier().getValue()).isEqualTo("dr-e2e");

        Bundle snoozes = client.search().byUrl("Task?focus=Flag/" + flag + "&code=" + CanonicalUrls.FLAG_ACTION_SYSTEM
                + "|snoozed").returnBundle(Bundle.class).execute();
        assertThat(snoozes.getEntry()).hasSize(1);
        Bundle byPatient = client.search().byUrl("Task?patient=Patient/" + patient).returnBundle(Bundle.class)
                .execute();
        assertThat(byPatient.getEntry()).hasSize(2);
        assertThat(actions.history(client, flag)).extracting(a -> a.kind()).containsExactly(FlagActionKind.SNOOZED,
                FlagActionKind.REVIEWED);
    }

    @Test
    void aSnoozePastTheMaximumOrAFlagThatIsNotOursIsRefused() {
        String patient = moderatePatient();
        String flag = flagId(patient);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> actions.act(client, DR, flag, snooze(31),
                Instant.now())).isInstanceOf(FlagActions.Refused.class).hasMessageContaining("at most 30 days");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> actions.act(client, DR, "does-not-exist", dismiss(),
                Instant.now())).isInstanceOf(FlagActions.NoSuchFlag.class);
        assertThat(client.search().byUrl("Task?focus=Flag/" + flag).returnBundle(Bundle.class).execute().getEntry())
                .isEmpty();
    }
}
