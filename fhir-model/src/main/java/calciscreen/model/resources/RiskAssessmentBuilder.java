package calciscreen.model.resources;

import static calciscreen.model.CanonicalUrls.RISK_ASSESSMENT_PROFILE;
import static calciscreen.model.CanonicalUrls.RISK_SCORE_EXTENSION;

import calciscreen.model.CanonicalUrls;
import calciscreen.model.terminology.Code;
import calciscreen.model.terminology.Snomed;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.hl7.fhir.r4.model.Annotation;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.RiskAssessment;
import org.hl7.fhir.r4.model.RiskAssessment.RiskAssessmentPredictionComponent;

/**
 * Builds a patient's one calciphylaxis RiskAssessment (docs/architecture.md, "What the screening writes"; profile
 * {@link CanonicalUrls#RISK_ASSESSMENT_PROFILE}).
 *
 * <pre>{@code
 * RiskAssessment ra = RiskAssessmentBuilder.forPatient("123")
 *         .occurrence(evaluatedAt)
 *         .ruleSet(CanonicalUrls.rulesCanonical("1.0.0"))
 *         .tier(RiskTier.MODERATE)
 *         .score(6)
 *         .basis(List.of("Observation/12", "Condition/5"))
 *         .notes(List.of("R1 kidney failure: Condition/5 (+3)", "R3 hyperphosphatemia: phosphate 6.1 mg/dL (+2)"))
 *         .build();
 * }</pre>
 *
 * <p>The RiskAssessment has: identifier {@code SCREENING_IDENTIFIER_SYSTEM|calciphylaxis-risk/<patient id>}; status
 * final; method the rule set ({@link RuleSetId#toMethod()}: coding {@code <rules>|calciphylaxis} version
 * {@code 1.0.0}, text the canonical); subject {@code Patient/<id>}; occurrenceDateTime (UTC); performer the Device
 * when given; basis the evidence in the order given (duplicates dropped); one prediction with outcome SNOMED CT
 * calciphylaxis, qualitativeRisk from risk-probability and the score in the risk-score extension; one rule-result
 * extension per rule result given ({@link RuleOutcome}: the rules that fired and any that could not decide, as data);
 * one note per line given (the same in words); a generated narrative (tier, score, rule set, the note lines,
 * escaped); meta.profile our RiskAssessment profile.
 */
public final class RiskAssessmentBuilder {

    /** prediction.outcome: what the risk is of. */
    public static final Code OUTCOME = Snomed.CALCIPHYLAXIS;

    private final String patientId;
    private Instant occurrence;
    private RuleSetId ruleSet;
    private RiskTier tier;
    private Integer score;
    private List<String> basis = List.of();
    private List<String> notes = List.of();
    private List<RuleOutcome> ruleResults = List.of();
    private String performer;

    private RiskAssessmentBuilder(String patientId) {
        this.patientId = Fhir.require(patientId, "a patient logical id");
    }

    /** The RiskAssessment of the patient with this logical id (not {@code Patient/<id>}). */
    public static RiskAssessmentBuilder forPatient(String patientLogicalId) {
        return new RiskAssessmentBuilder(patientLogicalId);
    }

    /** When the evaluation ran. */
    public RiskAssessmentBuilder occurrence(Instant evaluatedAt) {
        this.occurrence = evaluatedAt;
        return this;
    }

    /** The rule set that was evaluated, {@code <url>|<version>}. */
    public RiskAssessmentBuilder ruleSet(String ruleSetCanonical) {
        this.ruleSet = RuleSetId.parse(ruleSetCanonical);
        return this;
    }

    public RiskAssessmentBuilder tier(RiskTier tier) {
        this.tier = tier;
        return this;
    }

    /** The total of the points of the rules that fired (0 or more). */
    public RiskAssessmentBuilder score(int score) {
        this.score = score;
        return this;
    }

    /** The resources that scored, e.g. {@code Observation/12}. */
    public RiskAssessmentBuilder basis(Collection<String> references) {
        this.basis = Fhir.distinct(references, "basis references");
        return this;
    }

    /** One line per rule that fired (with its value) or could not decide; written as one note each, in order. */
    public RiskAssessmentBuilder notes(List<String> lines) {
        Objects.requireNonNull(lines, "note lines");
        List<String> copy = new ArrayList<>();
        for (String line : lines) {
            copy.add(Fhir.require(line, "a note line"));
        }
        this.notes = List.copyOf(copy);
        return this;
    }

    /**
     * The results of the rules that fired or could not decide, in rule order: one rule-result extension each (what
     * code reads; the notes say the same for people).
     */
    public RiskAssessmentBuilder ruleResults(List<RuleOutcome> results) {
        this.ruleResults = List.copyOf(results);
        return this;
    }

    /** Optional: the screening Device as RiskAssessment.performer. */
    public RiskAssessmentBuilder performer(String deviceReference) {
        this.performer = deviceReference;
        return this;
    }

    /**
     * The RiskAssessment.
     *
     * @throws IllegalStateException when the occurrence, rule set, tier or score is missing, or the score is negative
     */
    public RiskAssessment build() {
        requireState(occurrence != null, "occurrence is required");
        requireState(ruleSet != null, "the rule set is required");
        requireState(tier != null, "the tier is required");
        requireState(score != null, "the score is required");
        requireState(score >= 0, "the score is not negative");

        RiskAssessment ra = new RiskAssessment();
        ra.getMeta().addProfile(RISK_ASSESSMENT_PROFILE);
        for (RuleOutcome result : ruleResults) {
            ra.addExtension(result.toExtension(ruleSet));
        }
        ra.addIdentifier(identifier(patientId));
        ra.setStatus(RiskAssessment.RiskAssessmentStatus.FINAL);
        ra.setMethod(ruleSet.toMethod());
        ra.setSubject(new Reference("Patient/" + patientId));
        ra.setOccurrence(Fhir.dateTime(occurrence));
        if (performer != null && !performer.isBlank()) {
            ra.setPerformer(Fhir.reference(performer));
        }
        for (String reference : basis) {
            ra.addBasis(Fhir.reference(reference));
        }
        RiskAssessmentPredictionComponent prediction = ra.addPrediction();
        prediction.setOutcome(new CodeableConcept().addCoding(OUTCOME.toCoding()).setText(OUTCOME.display()));
        prediction.setQualitativeRisk(new CodeableConcept().addCoding(tier.riskProbability().toCoding())
                .setText(tier.riskProbability().display()));
        prediction.addExtension(new Extension(RISK_SCORE_EXTENSION, new IntegerType(score)));
        for (String line : notes) {
            ra.addNote(new Annotation().setText(line));
        }
        ra.setText(Fhir.narrative(narrative()));
        return ra;
    }

    private String narrative() {
        StringBuilder div = new StringBuilder("<p><b>Calciphylaxis risk: ")
                .append(Fhir.escape(tier.name().toLowerCase(Locale.ROOT))).append("</b> (score ").append(score)
                .append("), evaluated ").append(Fhir.escape(occurrence.toString())).append(" with rule set ")
                .append(Fhir.escape(ruleSet.canonical())).append(".</p>");
        if (notes.isEmpty()) {
            div.append("<p>No rule fired.</p>");
        } else {
            div.append("<ul>");
            for (String line : notes) {
                div.append("<li>").append(Fhir.escape(line)).append("</li>");
            }
            div.append("</ul>");
        }
        return div.toString();
    }

    private static void requireState(boolean ok, String message) {
        if (!ok) {
            throw new IllegalStateException("RiskAssessment: " + message);
        }
    }

    // ---- identity ----

    /** The same identifier as the patient's Flag: {@code SCREENING_IDENTIFIER_SYSTEM|calciphylaxis-risk/<id>}. */
    public static Identifier identifier(String patientLogicalId) {
        return FlagBuilder.identifier(patientLogicalId);
    }

    /** {@code RiskAssessment?identifier=<system>|calciphylaxis-risk/<id>}. */
    public static String matchUrl(String patientLogicalId) {
        Identifier id = identifier(patientLogicalId);
        return "RiskAssessment?identifier=" + id.getSystem() + "|" + id.getValue();
    }

    // ---- reading an existing RiskAssessment ----

    /** The score of the first prediction's risk-score extension. */
    public static Optional<Integer> scoreOf(RiskAssessment ra) {
        if (ra == null || !ra.hasPrediction()) {
            return Optional.empty();
        }
        Extension ext = ra.getPredictionFirstRep().getExtensionByUrl(RISK_SCORE_EXTENSION);
        return ext != null && ext.getValue() instanceof IntegerType i && i.getValue() != null
                ? Optional.of(i.getValue()) : Optional.empty();
    }

    /**
     * The rule results of the rule-result extensions, in order; empty for a RiskAssessment written before they
     * existed (its notes carry the same in words) or one where no rule fired or was undecided.
     */
    public static List<RuleOutcome> ruleResultsOf(RiskAssessment ra) {
        return ra == null ? List.of() : RuleOutcome.of(ra.getExtension());
    }

    /** The tier of the first prediction's qualitativeRisk. */
    public static Optional<RiskTier> tierOf(RiskAssessment ra) {
        if (ra == null || !ra.hasPrediction()) {
            return Optional.empty();
        }
        return RiskTier.ofRiskProbability(ra.getPredictionFirstRep().getQualitativeRisk());
    }

    /** The rule set of RiskAssessment.method (written by {@link RuleSetId#toMethod()}). */
    public static Optional<RuleSetId> ruleSetOf(RiskAssessment ra) {
        if (ra == null || !ra.hasMethod()) {
            return Optional.empty();
        }
        return ra.getMethod().getCoding().stream().map(RuleSetId::of).flatMap(Optional::stream).findFirst();
    }

    /** What the writer compares to decide whether the RiskAssessment changed: see {@link AssessmentState}. */
    public static AssessmentState semanticState(RiskAssessment ra) {
        Objects.requireNonNull(ra, "risk assessment");
        List<String> refs = ra.getBasis().stream().filter(Reference::hasReference).map(Reference::getReference)
                .toList();
        return new AssessmentState(tierOf(ra), scoreOf(ra), Fhir.normalisedSorted(refs),
                ruleSetOf(ra).map(RuleSetId::canonical));
    }
}
