package calciscreen.model.resources;

import calciscreen.model.CanonicalUrls;
import calciscreen.model.terminology.Code;
import calciscreen.model.terminology.FlagActionKind;
import calciscreen.model.terminology.FlagActionReason;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.hl7.fhir.r4.model.Annotation;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Task;

/**
 * Builds the Task that records what a clinician did about a calciphylaxis-risk Flag (docs/flag-actions.md): the Flag
 * is the Task's focus, so {@code Task?focus=Flag/12} lists everything done about it, {@code Task?owner=Practitioner/7}
 * everything a person did, {@code Task?code=<FLAG_ACTION_SYSTEM>|dismissed} every dismissal.
 *
 * <pre>{@code
 * Task task = FlagActionBuilder.of(FlagActionKind.SNOOZED)
 *         .flag("Flag/12").patient("Patient/3")
 *         .by(ActingPerson.ofReference("Practitioner/7", "Dr A. Clinician")).at(now)
 *         .reviewedAgainst(RiskTier.HIGH, List.of("Observation/5", "Condition/9"), List.of("R1", "R5"))
 *         .reason(Optional.of(FlagActionReason.RISK_FACTORS_ADDRESSED), "cinacalcet started")
 *         .snoozeUntil(now.plus(Duration.ofDays(14)))
 *         .build();
 * }</pre>
 *
 * <p>The Task has: status {@code completed} (the action is done; a snooze's end is in
 * {@code restriction.period.end}); intent {@code order}; code from {@link CanonicalUrls#FLAG_ACTION_SYSTEM}; focus the
 * Flag; for the Patient; requester and owner the person; authoredOn and lastModified the time; reasonCode the reason
 * (our code and the free text); one note with the clinician's note; inputs (types from
 * {@link CanonicalUrls#FLAG_ACTION_INPUT_SYSTEM}): {@code tier}, one {@code evidence} per scoring reference,
 * {@code evidence-fingerprint}, one {@code rule} per rule that fired, {@code plan}, {@code cds-card}; an identifier
 * when the caller gives one; a generated narrative.
 */
public final class FlagActionBuilder {

    /** Task.input types: what the Flag looked like when the person acted, and what they planned. */
    public static final Code INPUT_TIER = input("tier", "Tier reviewed");
    public static final Code INPUT_EVIDENCE = input("evidence", "Scoring evidence reviewed");
    public static final Code INPUT_EVIDENCE_FINGERPRINT = input("evidence-fingerprint", "Fingerprint of the evidence");
    public static final Code INPUT_RULE = input("rule", "Rule that had fired");
    public static final Code INPUT_PLAN = input("plan", "Plan");
    public static final Code INPUT_CDS_CARD = input("cds-card", "CDS Hooks card");
    public static final List<Code> INPUTS = List.of(INPUT_TIER, INPUT_EVIDENCE, INPUT_EVIDENCE_FINGERPRINT, INPUT_RULE,
            INPUT_PLAN, INPUT_CDS_CARD);

    /** The longest note, plan or reason text kept (characters); longer is refused, never cut silently. */
    public static final int MAX_TEXT = 2000;

    private final FlagActionKind kind;
    private String flag;
    private String patient;
    private ActingPerson person;
    private Instant at;
    private RiskTier tier;
    private List<String> evidence = List.of();
    private List<String> rules = List.of();
    private Optional<FlagActionReason> reason = Optional.empty();
    private Optional<String> reasonText = Optional.empty();
    private Optional<String> note = Optional.empty();
    private Optional<String> plan = Optional.empty();
    private Optional<Instant> snoozeUntil = Optional.empty();
    private Optional<String> cdsCard = Optional.empty();
    private Optional<String> identifier = Optional.empty();
    private Optional<String> cdsPatient = Optional.empty();

    private FlagActionBuilder(FlagActionKind kind) {
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    public static FlagActionBuilder of(FlagActionKind kind) {
        return new FlagActionBuilder(kind);
    }

    /**
     * The Flag acted on, {@code Flag/<id>}: required from the worklist; CDS feedback names it when the patient has
     * one on this server (the card may rest on the EHR's own data only).
     */
    public FlagActionBuilder flag(String flagReference) {
        this.flag = typed(flagReference, "Flag");
        return this;
    }

    /** The Flag's subject, {@code Patient/<id>}. */
    public FlagActionBuilder patient(String patientReference) {
        this.patient = typed(patientReference, "Patient");
        return this;
    }

    public FlagActionBuilder by(ActingPerson person) {
        this.person = person;
        return this;
    }

    public FlagActionBuilder at(Instant at) {
        this.at = at;
        return this;
    }

    /**
     * What the person saw: the Flag's tier, its scoring evidence (Flag flag-detail without the RiskAssessment) and the
     * rules that fired (R1..R12), so that "the tier rose" and "new evidence since" can be decided later.
     */
    public FlagActionBuilder reviewedAgainst(RiskTier tier, Collection<String> evidence, Collection<String> rules) {
        this.tier = tier;
        this.evidence = FlagState.evidenceOnly(evidence);
        this.rules = rules.stream().map(String::trim).filter(s -> !s.isEmpty()).distinct().sorted().toList();
        return this;
    }

    /** The reason from our list (optional), and free text beside it (optional). */
    public FlagActionBuilder reason(Optional<FlagActionReason> code, String text) {
        this.reason = Objects.requireNonNull(code, "code (use Optional.empty())");
        this.reasonText = text(text, "the reason");
        return this;
    }

    public FlagActionBuilder note(String text) {
        this.note = text(text, "the note");
        return this;
    }

    public FlagActionBuilder plan(String text) {
        this.plan = text(text, "the plan");
        return this;
    }

    /** The end of a snooze (required for {@link FlagActionKind#SNOOZED}, refused for the others). */
    public FlagActionBuilder snoozeUntil(Instant until) {
        this.snoozeUntil = Optional.ofNullable(until);
        return this;
    }

    /** The CDS Hooks card the feedback is about. */
    public FlagActionBuilder cdsCard(String uuid) {
        this.cdsCard = text(uuid, "the card");
        return this;
    }

    /**
     * The EHR's patient id of a CDS card ({@code context.patientId}): the Task's groupIdentifier
     * ({@link CanonicalUrls#CDS_PATIENT_IDENTIFIER_SYSTEM}), found by {@link #cdsPatientSearch(String)}; and
     * {@code Task.for} as a logical reference when no {@link #patient(String)} on this server is given.
     */
    public FlagActionBuilder cdsPatient(String ehrPatientId) {
        this.cdsPatient = text(ehrPatientId, "the CDS patient id");
        return this;
    }

    /** {@code group-identifier=<system>|<id>}: the search parameter of a patient's CDS feedback Tasks. */
    public static String cdsPatientSearch(String ehrPatientId) {
        return "group-identifier=" + CanonicalUrls.CDS_PATIENT_IDENTIFIER_SYSTEM + "|"
                + Fhir.require(ehrPatientId, "the CDS patient id");
    }

    /** A business identifier (under {@link CanonicalUrls#FLAG_ACTION_IDENTIFIER_SYSTEM}) for an idempotent create. */
    public FlagActionBuilder identifier(String value) {
        this.identifier = text(value, "the identifier");
        return this;
    }

    /** {@code Task?identifier=<system>|<value>}: the If-None-Exist of the idempotent create. */
    public static String matchUrl(String identifierValue) {
        return "Task?identifier=" + CanonicalUrls.FLAG_ACTION_IDENTIFIER_SYSTEM + "|"
                + Fhir.require(identifierValue, "the identifier");
    }

    /**
     * The Task.
     *
     * @throws IllegalStateException when a required input is missing or the inputs do not fit the kind (a snooze
     *                               without an end after {@code at}, a dismissal without a reason, ...)
     */
    public Task build() {
        requireState(flag != null || kind.fromCds(), "the Flag is required");
        requireState(patient != null || cdsPatient.isPresent(), "the Patient is required");
        requireState(cdsPatient.isEmpty() || kind.fromCds(), "only CDS feedback names a CDS patient");
        requireState(person != null, "the person is required");
        requireState(at != null, "the time is required");
        requireState(tier != null, "the tier reviewed against is required");
        switch (kind) {
            case SNOOZED -> {
                requireState(snoozeUntil.isPresent(), "a snooze has an end");
                requireState(snoozeUntil.get().isAfter(at), "a snooze ends after it starts");
                requireState(reason.isPresent() || reasonText.isPresent(), "a snooze has a reason");
            }
            case DISMISSED -> requireState(reason.isPresent(), "a dismissal has a reason from the list");
            default -> requireState(snoozeUntil.isEmpty(), "only a snooze has an end");
        }
        requireState(reason.orElse(null) != FlagActionReason.OTHER || reasonText.isPresent(),
                "the reason 'other' needs the free text");

        Task task = new Task();
        identifier.ifPresent(v -> task.addIdentifier(new Identifier()
                .setSystem(CanonicalUrls.FLAG_ACTION_IDENTIFIER_SYSTEM).setValue(v)));
        task.setStatus(Task.TaskStatus.COMPLETED);
        task.setIntent(Task.TaskIntent.ORDER);
        task.setCode(new CodeableConcept().addCoding(kind.code().toCoding()).setText(kind.code().display()));
        if (flag != null) {
            task.setFocus(new Reference(flag));
        }
        cdsPatient.ifPresent(id -> task.setGroupIdentifier(new Identifier()
                .setSystem(CanonicalUrls.CDS_PATIENT_IDENTIFIER_SYSTEM).setValue(id)));
        task.setFor(patient != null ? new Reference(patient) : new Reference().setIdentifier(new Identifier()
                .setSystem(CanonicalUrls.CDS_PATIENT_IDENTIFIER_SYSTEM).setValue(cdsPatient.orElseThrow())));
        task.setAuthoredOnElement(Fhir.dateTime(at));
        task.setLastModifiedElement(Fhir.dateTime(at));
        task.setRequester(person.toReference());
        task.setOwner(person.toReference());
        if (reason.isPresent() || reasonText.isPresent()) {
            CodeableConcept rc = new CodeableConcept();
            reason.ifPresent(r -> rc.addCoding(r.code().toCoding()));
            rc.setText(reasonText.orElseGet(() -> reason.orElseThrow().code().display()));
            task.setReasonCode(rc);
        }
        snoozeUntil.ifPresent(end -> task.getRestriction().getPeriod().setEndElement(Fhir.dateTime(end)));
        note.ifPresent(text -> task.addNote(new Annotation().setText(text).setTimeElement(Fhir.dateTime(at))
                .setAuthor(person.toReference())));
        task.addInput().setType(concept(INPUT_TIER)).setValue(new CodeableConcept()
                .addCoding(tier.riskProbability().toCoding()));
        for (String reference : evidence) {
            task.addInput().setType(concept(INPUT_EVIDENCE)).setValue(new Reference(reference));
        }
        task.addInput().setType(concept(INPUT_EVIDENCE_FINGERPRINT)).setValue(new StringType(fingerprint(evidence)));
        for (String rule : rules) {
            task.addInput().setType(concept(INPUT_RULE)).setValue(new StringType(rule));
        }
        plan.ifPresent(p -> task.addInput().setType(concept(INPUT_PLAN)).setValue(new StringType(p)));
        cdsCard.ifPresent(c -> task.addInput().setType(concept(INPUT_CDS_CARD)).setValue(new StringType(c)));
        task.setText(Fhir.narrative(narrative()));
        return task;
    }

    /**
     * A fingerprint of an evidence set: {@code sha256:} and the hex SHA-256 of the normalised, sorted references
     * joined by newlines. Equal sets give equal fingerprints whatever their order or spelling
     * ({@code Observation/5/_history/2} is {@code Observation/5}).
     */
    public static String fingerprint(Collection<String> evidence) {
        String joined = String.join("\n", FlagState.evidenceOnly(evidence));
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(joined.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return "sha256:" + java.util.HexFormat.of().formatHex(digest);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    private String narrative() {
        StringBuilder p = new StringBuilder("<p><b>").append(Fhir.escape(kind.code().display())).append("</b> by ")
                .append(Fhir.escape(person.shown())).append(" on ").append(Fhir.escape(at.toString()))
                .append(" (").append(Fhir.escape(flag == null ? "the CDS card" : flag)).append(", tier ")
                .append(Fhir.escape(tier.name().toLowerCase(Locale.ROOT))).append(")");
        snoozeUntil.ifPresent(u -> p.append(", until ").append(Fhir.escape(u.toString())));
        if (reason.isPresent() || reasonText.isPresent()) {
            p.append(". Reason: ").append(Fhir.escape(reason.map(r -> r.code().display()).orElse("")))
                    .append(reason.isPresent() && reasonText.isPresent() ? " - " : "")
                    .append(Fhir.escape(reasonText.orElse("")));
        }
        note.ifPresent(n -> p.append(". Note: ").append(Fhir.escape(n)));
        plan.ifPresent(n -> p.append(". Plan: ").append(Fhir.escape(n)));
        return p.append(".</p>").toString();
    }

    private static Code input(String code, String display) {
        return new Code(CanonicalUrls.FLAG_ACTION_INPUT_SYSTEM, code, display);
    }

    static CodeableConcept concept(Code code) {
        return new CodeableConcept().addCoding(code.toCoding());
    }

    private static Optional<String> text(String text, String what) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        String trimmed = text.strip();
        if (trimmed.length() > MAX_TEXT) {
            throw new IllegalArgumentException(what + " is longer than " + MAX_TEXT + " characters");
        }
        return Optional.of(trimmed);
    }

    private static String typed(String reference, String type) {
        IdType id = new IdType(Fhir.require(reference, "a " + type + " reference"));
        if (!type.equals(id.getResourceType()) || !id.hasIdPart()) {
            throw new IllegalArgumentException("not a " + type + " reference: " + reference);
        }
        return type + "/" + id.getIdPart();
    }

    private static void requireState(boolean ok, String message) {
        if (!ok) {
            throw new IllegalStateException("flag action: " + message);
        }
    }
}
