package calciscreen.screening.rules;

import calciscreen.model.terminology.Concept;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One evaluation: a prepared patient, the evaluation time, the configuration, and the lookback window
 * {@code [at - lookback, at]} (both ends inclusive). Values dated after {@code at} do not count and are noted.
 */
final class Evaluation {

    final PatientContext patient;
    final Instant at;
    final Instant from;
    final RuleConfig config;
    /** The points of each rule, by {@link RuleId#ordinal()}. */
    private final int[] points;
    private Optional<CorrectedCalcium> correctedCalcium;

    Evaluation(PatientContext patient, Instant at, RuleConfig config, int[] points) {
        this.patient = patient;
        this.at = at;
        this.from = at.minus(config.lookback());
        this.config = config;
        this.points = points;
    }

    boolean inWindow(Instant t) {
        return !t.isBefore(from) && !t.isAfter(at);
    }

    int pointsOf(RuleId rule) {
        return points[rule.ordinal()];
    }

    /** The latest counting value of a lab result in the window (ties already broken by meta.lastUpdated). */
    Optional<LabValue> latest(Lab lab) {
        for (LabValue v : patient.labs(lab)) {
            if (!v.at().isAfter(at)) {
                return v.at().isBefore(from) ? Optional.empty() : Optional.of(v);
            }
        }
        return Optional.empty();
    }

    /** The sources of the Conditions of a value set that are current at the evaluation time, each once. */
    List<String> currentConditions(Concept valueSet) {
        return patient.conditionsOf(valueSet).current(at);
    }

    /** The sources of the dialysis-status reports in the window that say the patient is on dialysis. */
    List<String> onDialysisInLookback() {
        List<String> on = new ArrayList<>(0);
        for (DialysisStatusReport d : patient.dialysisStatus()) {
            if (d.onDialysis() && inWindow(d.at())) {
                on.add(d.source());
            }
        }
        return on.isEmpty() ? List.of() : List.copyOf(on);
    }

    /**
     * The corrected total calcium of the window (docs/screening-rules.md, "Corrected calcium"), computed once for R2
     * and R4: the latest counting total or lab-reported albumin-corrected calcium, Payne-corrected when a measured
     * total and a counting albumin (the latest) are in the window.
     */
    Optional<CorrectedCalcium> correctedCalcium() {
        if (correctedCalcium == null) {
            Optional<LabValue> albumin = latest(Lab.ALBUMIN);
            correctedCalcium = latest(Lab.CALCIUM_TOTAL)
                    .map(calcium -> CorrectedCalcium.of(calcium, albumin, config.thresholds()));
        }
        return correctedCalcium;
    }

    /**
     * An unreadable value of the lab result in the window that is newer than the one used (or any, when none was
     * used): the reason a rule that did not fire is Indeterminate.
     */
    Optional<SkippedLab> unreadableNewerThan(Lab lab, Optional<LabValue> used) {
        for (SkippedLab s : patient.skippedLabs(lab)) {
            if (inWindow(s.at())) { // latest first: the first in the window is the one to compare
                return used.isEmpty() || s.at().isAfter(used.get().at()) ? Optional.of(s) : Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** The data-quality notes: the context's, then those that depend on the evaluation time. */
    List<DataNote> notes() {
        if (!patient.deceased() && !patient.hasFactsAfter(at)) {
            return patient.dataNotes();
        }
        List<DataNote> all = new ArrayList<>(patient.dataNotes());
        for (Lab lab : Lab.values()) {
            for (LabValue v : patient.labs(lab)) {
                if (!v.at().isAfter(at)) {
                    break; // latest first
                }
                all.add(new DataNote(v.source(), lab.label() + " dated " + v.at()
                        + ", after the evaluation time: not counted"));
            }
        }
        for (DialysisStatusReport d : patient.dialysisStatus()) {
            if (d.at().isAfter(at)) {
                all.add(new DataNote(d.source(), "dialysis status dated " + d.at()
                        + ", after the evaluation time: not counted"));
            }
        }
        for (DialysisProcedure p : patient.dialysisProcedures()) {
            if (p.start().isAfter(at)) {
                all.add(new DataNote(p.source(), "dialysis performed " + p.start()
                        + ", after the evaluation time: not counted"));
            }
        }
        if (patient.deceased()) {
            all.add(new DataNote(patient.patientReference(),
                    "patient is deceased: no active Flag (an existing one becomes inactive)"));
        }
        return all;
    }
}
