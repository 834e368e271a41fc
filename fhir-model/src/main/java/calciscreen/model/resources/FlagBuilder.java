package calciscreen.model.resources;

import static calciscreen.model.CanonicalUrls.CALCIPHYLAXIS_RISK_CODE;
import static calciscreen.model.CanonicalUrls.CALCIPHYLAXIS_RISK_DISPLAY;
import static calciscreen.model.CanonicalUrls.FLAG_CATEGORY_CLINICAL;
import static calciscreen.model.CanonicalUrls.FLAG_CATEGORY_SYSTEM;
import static calciscreen.model.CanonicalUrls.FLAG_DETAIL_EXTENSION;
import static calciscreen.model.CanonicalUrls.FLAG_PRIORITY_EXTENSION;
import static calciscreen.model.CanonicalUrls.FLAG_PROFILE;
import static calciscreen.model.CanonicalUrls.RULE_SET_EXTENSION;
import static calciscreen.model.CanonicalUrls.SCREENING_FLAG_SYSTEM;
import static calciscreen.model.CanonicalUrls.SCREENING_IDENTIFIER_SYSTEM;

import calciscreen.model.CanonicalUrls;
import calciscreen.model.terminology.Code;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.hl7.fhir.r4.model.CanonicalType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Flag;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;

/**
 * Builds a patient's one calciphylaxis-risk Flag (docs/architecture.md, "What the screening writes"; profile
 * {@link CanonicalUrls#FLAG_PROFILE}).
 *
 * <pre>{@code
 * Flag flag = FlagBuilder.forPatient("123")
 *         .tier(RiskTier.HIGH)                       // MODERATE/HIGH: active; LOW or null: inactive
 *         .periodStart(previousStart.orElse(now))    // kept from the previous Flag
 *         .periodEnd(Optional.empty())               // required when inactive, absent when active
 *         .riskAssessment("RiskAssessment/77")
 *         .evidence(List.of("Observation/12", "Condition/5"))
 *         .author("Device/9")
 *         .ruleSet(CanonicalUrls.rulesCanonical("1.0.0"))
 *         .build();
 * }</pre>
 *
 * <p>The Flag has: identifier {@code SCREENING_IDENTIFIER_SYSTEM|calciphylaxis-risk/<patient id>}; status
 * active/inactive; category flag-category {@code clinical}; code screening-flag {@code calciphylaxis-risk} with text;
 * subject {@code Patient/<id>}; period.start (and period.end when inactive); the flag-priority extension ({@code PM}
 * moderate, {@code PH} high; absent when inactive); one flag-detail extension for the RiskAssessment, then one per
 * evidence reference in the order given (duplicates dropped); the rule-set extension; author the Device; a generated
 * narrative; meta.profile our Flag profile. No id: the writer sets it (or uses the {@link #matchUrl(String)}).
 */
public final class FlagBuilder {

    public static final Code FLAG_CODE = new Code(SCREENING_FLAG_SYSTEM, CALCIPHYLAXIS_RISK_CODE,
            CALCIPHYLAXIS_RISK_DISPLAY);
    public static final Code CATEGORY_CLINICAL = new Code(FLAG_CATEGORY_SYSTEM, FLAG_CATEGORY_CLINICAL, "Clinical");

    private final String patientId;
    private RiskTier tier;
    private Instant periodStart;
    private Optional<Instant> periodEnd = Optional.empty();
    private String riskAssessment;
    private List<String> evidence = List.of();
    private String author;
    private RuleSetId ruleSet;

    private FlagBuilder(String patientId) {
        this.patientId = Fhir.require(patientId, "a patient logical id");
    }

    /** The Flag of the patient with this logical id (not {@code Patient/<id>}). */
    public static FlagBuilder forPatient(String patientLogicalId) {
        return new FlagBuilder(patientLogicalId);
    }

    /** MODERATE or HIGH: an active Flag with that priority; LOW or {@code null}: an inactive Flag. */
    public FlagBuilder tier(RiskTier tierOrNull) {
        this.tier = tierOrNull;
        return this;
    }

    /** When the Flag first became active; pass the previous Flag's {@link #periodStartOf(Flag)} when there is one. */
    public FlagBuilder periodStart(Instant start) {
        this.periodStart = start;
        return this;
    }

    /** When the Flag went inactive: required for an inactive Flag, must be empty for an active one. */
    public FlagBuilder periodEnd(Optional<Instant> end) {
        this.periodEnd = Objects.requireNonNull(end, "end (use Optional.empty())");
        return this;
    }

    /** The patient's RiskAssessment ({@code RiskAssessment/<id>}, or a urn:uuid within a transaction). */
    public FlagBuilder riskAssessment(String reference) {
        this.riskAssessment = reference;
        return this;
    }

    /** The resources that scored, e.g. {@code Observation/12}, {@code Condition/5}, {@code MedicationRequest/8}. */
    public FlagBuilder evidence(Collection<String> references) {
        this.evidence = Fhir.distinct(references, "evidence references");
        return this;
    }

    /** The screening Device ({@code Device/<id>}, or a urn:uuid within a transaction). */
    public FlagBuilder author(String deviceReference) {
        this.author = deviceReference;
        return this;
    }

    /** The rule set that produced the Flag, {@code <url>|<version>}. */
    public FlagBuilder ruleSet(String ruleSetCanonical) {
        this.ruleSet = RuleSetId.parse(ruleSetCanonical);
        return this;
    }

    /**
     * The Flag.
     *
     * @throws IllegalStateException when a required input is missing, an inactive Flag has no end, or an active one
     *                               has an end
     */
    public Flag build() {
        boolean active = tier != null && tier.flags();
        requireState(periodStart != null, "period.start is required");
        requireState(riskAssessment != null && !riskAssessment.isBlank(), "the RiskAssessment reference is required");
        requireState(author != null && !author.isBlank(), "the author (Device) reference is required");
        requireState(ruleSet != null, "the rule set is required");
        requireState(active || periodEnd.isPresent(), "an inactive Flag has a period.end");
        requireState(!active || periodEnd.isEmpty(), "an active Flag has no period.end");
        periodEnd.ifPresent(end -> requireState(!end.isBefore(periodStart), "period.end is before period.start"));

        Flag flag = new Flag();
        flag.getMeta().addProfile(FLAG_PROFILE);
        flag.addIdentifier(identifier(patientId));
        flag.setStatus(active ? Flag.FlagStatus.ACTIVE : Flag.FlagStatus.INACTIVE);
        flag.addCategory(new CodeableConcept().addCoding(CATEGORY_CLINICAL.toCoding()));
        flag.setCode(new CodeableConcept().addCoding(FLAG_CODE.toCoding()).setText(CALCIPHYLAXIS_RISK_DISPLAY));
        flag.setSubject(new Reference("Patient/" + patientId));
        Period period = new Period().setStartElement(Fhir.dateTime(periodStart));
        periodEnd.ifPresent(end -> period.setEndElement(Fhir.dateTime(end)));
        flag.setPeriod(period);
        if (active) {
            Code priority = tier.flagPriority().orElseThrow();
            flag.addExtension(new Extension(FLAG_PRIORITY_EXTENSION,
                    new CodeableConcept().addCoding(priority.toCoding()).setText(priority.display())));
        }
        List<String> details = new ArrayList<>();
        details.add(riskAssessment.trim());
        evidence.stream().filter(e -> !e.equals(riskAssessment.trim())).forEach(details::add);
        for (String detail : details) {
            flag.addExtension(new Extension(FLAG_DETAIL_EXTENSION, Fhir.reference(detail)));
        }
        flag.addExtension(new Extension(RULE_SET_EXTENSION, new CanonicalType(ruleSet.canonical())));
        flag.setAuthor(Fhir.reference(author));
        flag.setText(Fhir.narrative(narrative(active, details.size() - 1)));
        return flag;
    }

    private String narrative(boolean active, int evidenceCount) {
        StringBuilder p = new StringBuilder("<p><b>").append(Fhir.escape(CALCIPHYLAXIS_RISK_DISPLAY)).append("</b>: ");
        if (active) {
            p.append(Fhir.escape(tier.flagPriority().orElseThrow().display().toLowerCase(java.util.Locale.ROOT)))
                    .append(", active since ").append(Fhir.escape(periodStart.toString()));
        } else {
            p.append("inactive since ").append(Fhir.escape(periodEnd.orElseThrow().toString()))
                    .append(" (active from ").append(Fhir.escape(periodStart.toString())).append(")");
        }
        p.append(". Evidence: ").append(evidenceCount).append(evidenceCount == 1 ? " resource" : " resources")
                .append("; rule set ").append(Fhir.escape(ruleSet.canonical())).append(".</p>");
        return p.toString();
    }

    private static void requireState(boolean ok, String message) {
        if (!ok) {
            throw new IllegalStateException("Flag: " + message);
        }
    }

    // ---- identity ----

    /** {@code SCREENING_IDENTIFIER_SYSTEM | calciphylaxis-risk/<patient id>}, shared with the patient's RiskAssessment. */
    public static Identifier identifier(String patientLogicalId) {
        return new Identifier().setSystem(SCREENING_IDENTIFIER_SYSTEM)
                .setValue(CanonicalUrls.screeningIdentifierValue(patientLogicalId));
    }

    /** {@code Flag?identifier=<system>|calciphylaxis-risk/<id>}: the search (or conditional-write URL) of the patient's Flag. */
    public static String matchUrl(String patientLogicalId) {
        Identifier id = identifier(patientLogicalId);
        return "Flag?identifier=" + id.getSystem() + "|" + id.getValue();
    }

    // ---- reading an existing Flag ----

    /** The period.start to keep when a Flag is rewritten. */
    public static Optional<Instant> periodStartOf(Flag flag) {
        if (flag == null || !flag.hasPeriod() || !flag.getPeriod().hasStart()) {
            return Optional.empty();
        }
        return Optional.ofNullable(Fhir.instant(flag.getPeriod().getStartElement()));
    }

    /** What the writer compares to decide whether a Flag changed: see {@link FlagState}. */
    public static FlagState semanticState(Flag flag) {
        Objects.requireNonNull(flag, "flag");
        Optional<String> priority = Optional.empty();
        List<String> details = new ArrayList<>();
        for (Extension extension : flag.getExtension()) {
            if (FLAG_PRIORITY_EXTENSION.equals(extension.getUrl())
                    && extension.getValue() instanceof CodeableConcept concept) {
                priority = concept.getCoding().stream()
                        .filter(c -> FlagState.isFlagPriority(c.getSystem()) && c.hasCode())
                        .map(c -> c.getCode()).findFirst();
            } else if (FLAG_DETAIL_EXTENSION.equals(extension.getUrl())
                    && extension.getValue() instanceof Reference reference && reference.hasReference()) {
                details.add(reference.getReference());
            }
        }
        return new FlagState(flag.getStatus(), priority, FlagState.evidenceOnly(details));
    }
}
