package calciscreen.screening.rules;

import calciscreen.model.terminology.Concept;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;

/**
 * A patient's data prepared for the rules: built once from HAPI R4 resources by {@link #from}, which reads codes,
 * statuses, times and units and converts values, so that {@link RuleSet#evaluate} only compares numbers. Immutable.
 *
 * <p>Building never throws on bad data. What it skips, and why, becomes a {@link DataNote}:
 * <ul>
 *   <li>Observations: a status other than final/amended/corrected; no usable time; dataAbsentReason; no value, a
 *       value that is not a Quantity (valueString "12" included), a Quantity with a comparator or without a number;
 *       an unknown unit or one not accepted for the analyte. Absurd but numeric values (calcium 1e9 mg/dL, negative
 *       values) are counted as measured: the rules report them, a human judges them.</li>
 *   <li>Conditions without any code or text; with an unknown clinicalStatus.</li>
 *   <li>Medication requests/statements whose medicationReference cannot be resolved.</li>
 *   <li>Resources whose subject names another Patient; resources that cannot be read at all.</li>
 * </ul>
 * A resource without a subject is taken to be about this patient (the caller gathered it for this patient).
 */
public final class PatientContext {

    private final boolean patientKnown;
    private final Optional<String> patientId;
    private final boolean female;
    private final boolean deceased;
    /** Each latest first. */
    private final Map<Lab, List<LabValue>> labs = new EnumMap<>(Lab.class);
    /** Each latest first. */
    private final Map<Lab, List<SkippedLab>> skippedLabs = new EnumMap<>(Lab.class);
    private final List<ConditionFact> conditions;
    private final List<MedicationFact> medications;
    private final List<DialysisProcedure> dialysisProcedures;
    private final DialysisTimeline dialysisTimeline;
    private final List<DialysisStatusReport> dialysisStatus;
    private final List<DataNote> notes;
    /** {@code Patient/<id>}, or {@code Patient} when it has no id: R8's source, the deceased note's. */
    private final String patientReference;
    /** {@code List.of(patientReference)}: R8's sources. */
    private final List<String> patientSources;
    private final boolean factSourcesDistinct;
    /** The Conditions of each value set, in the order given. */
    private final Map<Concept, ConditionsOf> conditionsOf = new EnumMap<>(Concept.class);
    /** The medications of each value set, in the order given. */
    private final Map<Concept, MedicationsOf> medicationsOf = new EnumMap<>(Concept.class);
    /** The latest time of a lab value, a dialysis-status report or the start of a dialysis Procedure, if any. */
    private final Instant latestFactTime;

    PatientContext(boolean patientKnown, Optional<String> patientId, boolean female, boolean deceased,
                   Map<Lab, List<LabValue>> labs, Map<Lab, List<SkippedLab>> skippedLabs,
                   List<ConditionFact> conditions, List<MedicationFact> medications,
                   List<DialysisProcedure> dialysisProcedures, List<DialysisStatusReport> dialysisStatus,
                   List<DataNote> notes) {
        this.patientKnown = patientKnown;
        this.patientId = patientId;
        this.female = female;
        this.deceased = deceased;
        for (Lab lab : Lab.values()) {
            this.labs.put(lab, labs.getOrDefault(lab, List.of()).stream().sorted(LabValue.LATEST_FIRST).toList());
            this.skippedLabs.put(lab, skippedLabs.getOrDefault(lab, List.of()).stream()
                    .sorted(LATEST_SKIPPED_FIRST).toList());
        }
        this.conditions = List.copyOf(conditions);
        this.medications = List.copyOf(medications);
        this.dialysisProcedures = List.copyOf(dialysisProcedures);
        this.dialysisTimeline = new DialysisTimeline(this.dialysisProcedures);
        this.dialysisStatus = List.copyOf(dialysisStatus);
        this.notes = List.copyOf(notes);
        this.patientReference = patientId.map(id -> "Patient/" + id).orElse("Patient");
        this.patientSources = List.of(patientReference);
        this.factSourcesDistinct = distinct(Stream.of(this.conditions.stream().map(ConditionFact::source),
                this.dialysisProcedures.stream().map(DialysisProcedure::source),
                this.dialysisStatus.stream().map(DialysisStatusReport::source)).flatMap(s -> s).toList());
        for (Concept concept : Concept.values()) {
            conditionsOf.put(concept, ConditionsOf.of(concept, this.conditions));
            medicationsOf.put(concept, MedicationsOf.of(concept, this.medications));
        }
        this.latestFactTime = Stream.of(this.labs.values().stream().flatMap(List::stream).map(LabValue::at),
                        this.dialysisStatus.stream().map(DialysisStatusReport::at),
                        this.dialysisProcedures.stream().map(DialysisProcedure::start))
                .flatMap(s -> s).max(Comparator.naturalOrder()).orElse(Instant.MIN);
    }

    private static final Comparator<SkippedLab> LATEST_SKIPPED_FIRST = Comparator.comparing(SkippedLab::at).reversed();

    private static boolean distinct(List<String> sources) {
        return new HashSet<>(sources).size() == sources.size();
    }

    /**
     * The Conditions of one value set, in the order given, and whether every one is current whatever the time
     * (clinicalStatus active, recurrence or relapse): then {@code sources} is the answer of a rule that asks which
     * current ones there are.
     *
     * @param facts      the Conditions
     * @param allCurrent whether each has status CURRENT
     * @param sources    the sources of all of them, each once, in the order given
     */
    record ConditionsOf(List<ConditionFact> facts, boolean allCurrent, List<String> sources) {

        static ConditionsOf of(Concept concept, List<ConditionFact> conditions) {
            List<ConditionFact> facts = conditions.stream().filter(c -> c.is(concept)).toList();
            return new ConditionsOf(facts, facts.stream().allMatch(c -> c.status() == ConditionFact.Status.CURRENT),
                    eachOnce(facts.stream().map(ConditionFact::source)));
        }

        /** The sources of those current at {@code at}, each once, in the order given. */
        List<String> current(Instant at) {
            return allCurrent ? sources : eachOnce(facts.stream().filter(c -> c.isCurrent(at)).map(ConditionFact::source));
        }
    }

    /**
     * The active medications of one value set, in the order given.
     *
     * @param facts   the medications
     * @param sources their sources (request or statement, then Medication), each once, in the order given
     */
    record MedicationsOf(List<MedicationFact> facts, List<String> sources) {

        static MedicationsOf of(Concept concept, List<MedicationFact> medications) {
            List<MedicationFact> facts = medications.stream().filter(m -> m.is(concept)).toList();
            return new MedicationsOf(facts, eachOnce(facts.stream().flatMap(m -> m.sources().stream())));
        }
    }

    /** Each once, in the order first found. */
    static List<String> eachOnce(Stream<String> sources) {
        return List.copyOf(sources.collect(Collectors.toCollection(LinkedHashSet::new)));
    }

    /**
     * Prepares a patient's context.
     *
     * @param patient   the Patient (may be null: then gender and deceased are unknown, and a note says so)
     * @param resources the patient's Observation, Condition, Procedure, MedicationRequest, MedicationStatement and
     *                  Medication resources (Medications resolve medicationReference; contained ones are read too);
     *                  other types are ignored; null elements are skipped
     */
    public static PatientContext from(Patient patient, Collection<? extends Resource> resources) {
        return new ContextBuilder(patient).addAll(resources == null ? List.of() : resources).build();
    }

    /** Whether a Patient resource was given (without one, sex and deceased status are unknown). */
    public boolean patientKnown() {
        return patientKnown;
    }

    /** The Patient's logical id, if it has one. */
    public Optional<String> patientId() {
        return patientId;
    }

    public boolean female() {
        return female;
    }

    /** deceasedBoolean true or any deceasedDateTime. */
    public boolean deceased() {
        return deceased;
    }

    /** Counting values of one lab result, latest first (ties: later meta.lastUpdated first). */
    public List<LabValue> labs(Lab lab) {
        return labs.get(lab);
    }

    /** Values of one lab result that could not be read, latest first. */
    public List<SkippedLab> skippedLabs(Lab lab) {
        return skippedLabs.get(lab);
    }

    /** The Conditions in a value set (any status), in the order given. */
    ConditionsOf conditionsOf(Concept concept) {
        return conditionsOf.get(concept);
    }

    /** The active medications in a value set, in the order given. */
    MedicationsOf medicationsOf(Concept concept) {
        return medicationsOf.get(concept);
    }

    /** Whether a lab value, dialysis-status report or dialysis Procedure is dated after {@code at}. */
    boolean hasFactsAfter(Instant at) {
        return latestFactTime.isAfter(at);
    }

    public List<ConditionFact> conditions() {
        return conditions;
    }

    public List<MedicationFact> medications() {
        return medications;
    }

    public List<DialysisProcedure> dialysisProcedures() {
        return dialysisProcedures;
    }

    /** The dialysis Procedures in the order given, searchable by time when that order is a time order. */
    DialysisTimeline dialysisTimeline() {
        return dialysisTimeline;
    }

    public List<DialysisStatusReport> dialysisStatus() {
        return dialysisStatus;
    }

    /** {@code Patient/<id>}, or {@code Patient} when the Patient has no id (or none was given). */
    String patientReference() {
        return patientReference;
    }

    /** {@code List.of(patientReference())} */
    List<String> patientSources() {
        return patientSources;
    }

    /** Whether no two Conditions, dialysis Procedures and dialysis-status reports have the same source. */
    boolean factSourcesDistinct() {
        return factSourcesDistinct;
    }

    /** Data-quality notes made while preparing (evaluation adds time-dependent ones, e.g. future-dated values). */
    public List<DataNote> dataNotes() {
        return notes;
    }
}
