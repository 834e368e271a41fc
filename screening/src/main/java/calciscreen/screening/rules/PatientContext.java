package calciscreen.screening.rules;

import calciscreen.model.terminology.Concept;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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

    private static final int ANALYTES = Analyte.values().length;
    private static final int CONCEPTS = Concept.values().length;

    private final boolean patientKnown;
    private final Optional<String> patientId;
    private final boolean female;
    private final boolean deceased;
    /** By {@link Analyte#ordinal()}, latest first. */
    private final CountedLab[][] labs;
    /** By {@link Analyte#ordinal()}, latest first. */
    private final SkippedLab[][] skippedLabs;
    private final List<ConditionFact> conditions;
    private final List<MedicationFact> medications;
    private final List<DialysisProcedure> dialysisProcedures;
    private final DialysisTimeline dialysisTimeline;
    private final List<DialysisStatusReport> dialysisStatus;
    private final List<DataNote> notes;
    /** {@code Patient/<id>}, or {@code Patient} when it has no id: R8's source, the deceased note's. */
    private final String patientReference;
    private final List<String> patientSources;
    private final boolean factSourcesDistinct;
    /** By {@link Concept#ordinal()}: the Conditions in that value set, in the order given. */
    private final ConditionsOf[] conditionsOf;
    /** By {@link Concept#ordinal()}: the medications in that value set, in the order given. */
    private final MedicationsOf[] medicationsOf;
    /** The latest time of a lab value, a dialysis-status report or the start of a dialysis Procedure, if any. */
    private final Instant latestFactTime;

    PatientContext(boolean patientKnown, Optional<String> patientId, boolean female, boolean deceased, Map<Analyte, List<LabValue>> labs,
                   Map<Analyte, List<SkippedLab>> skippedLabs, List<ConditionFact> conditions,
                   List<MedicationFact> medications, List<DialysisProcedure> dialysisProcedures,
                   List<DialysisStatusReport> dialysisStatus, List<DataNote> notes) {
        this.patientKnown = patientKnown;
        this.patientId = patientId;
        this.female = female;
        this.deceased = deceased;
        this.labs = new CountedLab[ANALYTES][];
        this.skippedLabs = new SkippedLab[ANALYTES][];
        Instant latest = Instant.MIN;
        for (Analyte a : Analyte.values()) {
            LabValue[] values = labs.getOrDefault(a, List.of()).toArray(LabValue[]::new);
            Arrays.sort(values, LabValue.LATEST_FIRST);
            CountedLab[] counted = new CountedLab[values.length];
            for (int i = 0; i < values.length; i++) {
                counted[i] = new CountedLab(values[i]);
            }
            this.labs[a.ordinal()] = counted;
            if (values.length > 0 && values[0].at().isAfter(latest)) {
                latest = values[0].at();
            }
            SkippedLab[] skipped = skippedLabs.getOrDefault(a, List.of()).toArray(SkippedLab[]::new);
            Arrays.sort(skipped, LATEST_SKIPPED_FIRST);
            this.skippedLabs[a.ordinal()] = skipped;
        }
        this.conditions = List.copyOf(conditions);
        this.medications = List.copyOf(medications);
        this.dialysisProcedures = List.copyOf(dialysisProcedures);
        this.dialysisTimeline = new DialysisTimeline(this.dialysisProcedures);
        this.dialysisStatus = List.copyOf(dialysisStatus);
        this.notes = List.copyOf(notes);
        this.patientReference = patientId.map(id -> "Patient/" + id).orElse("Patient");
        this.patientSources = List.of(patientReference);
        this.factSourcesDistinct = distinctSources(this.conditions, this.dialysisProcedures, this.dialysisStatus);
        this.conditionsOf = ConditionsOf.index(this.conditions);
        this.medicationsOf = MedicationsOf.index(this.medications);
        for (DialysisStatusReport d : this.dialysisStatus) {
            latest = d.at().isAfter(latest) ? d.at() : latest;
        }
        for (DialysisProcedure p : this.dialysisProcedures) {
            latest = p.start().isAfter(latest) ? p.start() : latest;
        }
        this.latestFactTime = latest;
    }

    private static final Comparator<SkippedLab> LATEST_SKIPPED_FIRST = Comparator.comparing(SkippedLab::at).reversed();

    private static boolean distinctSources(List<ConditionFact> conditions, List<DialysisProcedure> procedures,
                                           List<DialysisStatusReport> status) {
        Set<String> seen = new HashSet<>();
        for (ConditionFact c : conditions) {
            if (!seen.add(c.source())) {
                return false;
            }
        }
        for (DialysisProcedure p : procedures) {
            if (!seen.add(p.source())) {
                return false;
            }
        }
        for (DialysisStatusReport d : status) {
            if (!seen.add(d.source())) {
                return false;
            }
        }
        return true;
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
    record ConditionsOf(ConditionFact[] facts, boolean allCurrent, List<String> sources) {

        private static final ConditionsOf NONE = new ConditionsOf(new ConditionFact[0], true, List.of());

        static ConditionsOf[] index(List<ConditionFact> conditions) {
            ConditionsOf[] index = new ConditionsOf[CONCEPTS];
            Arrays.fill(index, NONE);
            for (Concept concept : Concept.values()) {
                Sources sources = null;
                List<ConditionFact> facts = null;
                boolean allCurrent = true;
                for (ConditionFact c : conditions) {
                    if (c.is(concept)) {
                        sources = sources == null ? new Sources(conditions.size()) : sources;
                        facts = facts == null ? new ArrayList<>() : facts;
                        sources.add(c.source());
                        facts.add(c);
                        allCurrent &= c.status() == ConditionFact.Status.CURRENT;
                    }
                }
                if (facts != null) {
                    index[concept.ordinal()] = new ConditionsOf(facts.toArray(ConditionFact[]::new), allCurrent,
                            sources.distinct());
                }
            }
            return index;
        }
    }

    /**
     * The active medications of one value set, in the order given.
     *
     * @param facts   the medications
     * @param sources their sources (request or statement, then Medication), each once, in the order given
     */
    record MedicationsOf(MedicationFact[] facts, List<String> sources) {

        private static final MedicationsOf NONE = new MedicationsOf(new MedicationFact[0], List.of());

        static MedicationsOf[] index(List<MedicationFact> medications) {
            MedicationsOf[] index = new MedicationsOf[CONCEPTS];
            Arrays.fill(index, NONE);
            for (Concept concept : Concept.values()) {
                Sources sources = null;
                List<MedicationFact> facts = null;
                for (MedicationFact m : medications) {
                    if (m.is(concept)) {
                        sources = sources == null ? new Sources(2 * medications.size()) : sources;
                        facts = facts == null ? new ArrayList<>() : facts;
                        sources.addAll(m.sources());
                        facts.add(m);
                    }
                }
                if (facts != null) {
                    index[concept.ordinal()] = new MedicationsOf(facts.toArray(MedicationFact[]::new), sources.distinct());
                }
            }
            return index;
        }
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

    /** Counting values of one analyte, latest first (ties: later meta.lastUpdated first). */
    public List<LabValue> labs(Analyte analyte) {
        CountedLab[] counted = labs[analyte.ordinal()];
        LabValue[] values = new LabValue[counted.length];
        for (int i = 0; i < counted.length; i++) {
            values[i] = counted[i].value;
        }
        return List.of(values);
    }

    /** Counting values of one analyte, latest first, with what the rules hand out about each. */
    CountedLab[] counted(Analyte analyte) {
        return labs[analyte.ordinal()];
    }

    SkippedLab[] skippedArray(Analyte analyte) {
        return skippedLabs[analyte.ordinal()];
    }

    public List<SkippedLab> skippedLabs(Analyte analyte) {
        return List.of(skippedLabs[analyte.ordinal()]);
    }

    /** The Conditions in a value set (any status), in the order given. */
    ConditionsOf conditionsOf(Concept concept) {
        return conditionsOf[concept.ordinal()];
    }

    /** The active medications in a value set, in the order given. */
    MedicationsOf medicationsOf(Concept concept) {
        return medicationsOf[concept.ordinal()];
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
