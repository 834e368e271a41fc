package calciscreen.screening.rules;

import java.util.Collection;
import java.util.EnumMap;
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

    private final boolean patientKnown;
    private final Optional<String> patientId;
    private final boolean female;
    private final boolean deceased;
    private final Map<Analyte, LabValue[]> labs;
    private final Map<Analyte, SkippedLab[]> skippedLabs;
    private final List<ConditionFact> conditions;
    private final List<MedicationFact> medications;
    private final List<DialysisProcedure> dialysisProcedures;
    private final List<DialysisStatusReport> dialysisStatus;
    private final List<DataNote> notes;
    /** {@code Patient/<id>}, or {@code Patient} when it has no id: R8's source, the deceased note's. */
    private final String patientReference;
    private final boolean factSourcesDistinct;

    PatientContext(boolean patientKnown, Optional<String> patientId, boolean female, boolean deceased, Map<Analyte, List<LabValue>> labs,
                   Map<Analyte, List<SkippedLab>> skippedLabs, List<ConditionFact> conditions,
                   List<MedicationFact> medications, List<DialysisProcedure> dialysisProcedures,
                   List<DialysisStatusReport> dialysisStatus, List<DataNote> notes) {
        this.patientKnown = patientKnown;
        this.patientId = patientId;
        this.female = female;
        this.deceased = deceased;
        this.labs = new EnumMap<>(Analyte.class);
        this.skippedLabs = new EnumMap<>(Analyte.class);
        for (Analyte a : Analyte.values()) {
            this.labs.put(a, labs.getOrDefault(a, List.of()).stream().sorted(LabValue.LATEST_FIRST)
                    .toArray(LabValue[]::new));
            this.skippedLabs.put(a, skippedLabs.getOrDefault(a, List.of()).stream()
                    .sorted(java.util.Comparator.comparing(SkippedLab::at).reversed()).toArray(SkippedLab[]::new));
        }
        this.conditions = List.copyOf(conditions);
        this.medications = List.copyOf(medications);
        this.dialysisProcedures = List.copyOf(dialysisProcedures);
        this.dialysisStatus = List.copyOf(dialysisStatus);
        this.notes = List.copyOf(notes);
        this.patientReference = patientId.map(id -> "Patient/" + id).orElse("Patient");
        this.factSourcesDistinct = distinctSources(this.conditions, this.dialysisProcedures, this.dialysisStatus);
    }

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
        return List.of(labs.get(analyte));
    }

    LabValue[] labArray(Analyte analyte) {
        return labs.get(analyte);
    }

    SkippedLab[] skippedArray(Analyte analyte) {
        return skippedLabs.get(analyte);
    }

    public List<SkippedLab> skippedLabs(Analyte analyte) {
        return List.of(skippedLabs.get(analyte));
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

    public List<DialysisStatusReport> dialysisStatus() {
        return dialysisStatus;
    }

    /** {@code Patient/<id>}, or {@code Patient} when the Patient has no id (or none was given). */
    String patientReference() {
        return patientReference;
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
