package calciscreen.screening.rules;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One evaluation: a prepared patient, the evaluation time, the configuration, and the lookback window
 * {@code [at - lookback, at]} (both ends inclusive). Values dated after {@code at} do not count and are noted.
 */
final class Evaluation {

    private static final Analyte[] ANALYTES = Analyte.values();

    final PatientContext patient;
    final Instant at;
    final Instant from;
    final RuleConfig config;
    final Limit.Limits limits;
    /** The points of each rule, by {@link RuleId#ordinal()}. */
    private final int[] points;
    private Optional<CorrectedCalcium> correctedCalcium;

    Evaluation(PatientContext patient, Instant at, RuleConfig config, Limit.Limits limits, int[] points) {
        this.patient = patient;
        this.at = at;
        this.from = minus(at, config.lookback());
        this.config = config;
        this.limits = limits;
        this.points = points;
    }

    /** {@code at.minus(lookback)}, as Duration.subtractFrom does it (seconds, then nanos), without its detours. */
    private static Instant minus(Instant at, Duration lookback) {
        long seconds = lookback.getSeconds();
        int nanos = lookback.getNano();
        Instant t = seconds != 0 ? at.minusSeconds(seconds) : at;
        return nanos != 0 ? t.minusNanos(nanos) : t;
    }

    boolean inWindow(Instant t) {
        return !t.isBefore(from) && !t.isAfter(at);
    }

    int pointsOf(RuleId rule) {
        return points[rule.ordinal()];
    }

    /** The latest counting value of an analyte in the window (ties already broken by meta.lastUpdated). */
    Optional<CountedLab> latest(Analyte analyte) {
        for (CountedLab v : patient.counted(analyte)) {
            if (v.value.at().isAfter(at)) {
                continue;
            }
            return v.value.at().isBefore(from) ? Optional.empty() : v.asLatest;
        }
        return Optional.empty();
    }

    /**
     * The corrected total calcium of the window (screening-rules.md, "Corrected calcium"), computed once: the latest
     * counting total or lab-reported albumin-corrected calcium; a measured total is Payne-corrected when a counting
     * albumin exists in the window (the latest one), else used as measured.
     */
    Optional<CorrectedCalcium> correctedCalcium() {
        if (correctedCalcium == null) {
            Optional<CountedLab> calcium = latest(Analyte.CALCIUM_TOTAL);
            correctedCalcium = calcium.isPresent() ? Optional.of(correct(calcium.get())) : Optional.empty();
        }
        return correctedCalcium;
    }

    private CorrectedCalcium correct(CountedLab calcium) {
        LabValue ca = calcium.value;
        if (ca.labCorrected()) {
            return new CorrectedCalcium(calcium, Optional.empty(), ca.value(), ca.unit(), ca.canonicalValue(),
                    calcium.measurement);
        }
        Optional<CountedLab> albumin = latest(Analyte.ALBUMIN);
        if (albumin.isEmpty()) {
            return new CorrectedCalcium(calcium, Optional.empty(), ca.value(), ca.unit(), ca.canonicalValue(),
                    calcium.measurement);
        }
        RuleConfig.Thresholds t = config.thresholds();
        // Payne 1973: corrected = total + 0.8 x (4.0 - albumin g/dL), in mg/dL
        double corrected = Decimals.round6(ca.canonicalValue()
                + t.payneFactor() * (t.payneReferenceAlbuminGPerDl() - albumin.get().value.canonicalValue()));
        return new CorrectedCalcium(calcium, albumin, corrected, "mg/dL", corrected, Optional.of(new Measurement(
                "corrected calcium", corrected, "mg/dL", Optional.of(ca.at()))));
    }

    /**
     * An unreadable value of the analyte in the window that is newer than the one used (or any, when none was used):
     * the reason a rule that did not fire is Indeterminate.
     */
    Optional<SkippedLab> unreadableNewerThan(Analyte analyte, Optional<CountedLab> used) {
        for (SkippedLab s : patient.skippedArray(analyte)) {
            if (!inWindow(s.at())) {
                continue;
            }
            if (used.isEmpty() || s.at().isAfter(used.get().value.at())) {
                return Optional.of(s);
            }
            return Optional.empty(); // sorted latest first: the rest are older still
        }
        return Optional.empty();
    }

    /** Notes that depend on the evaluation time (future-dated values), computed once. */
    List<DataNote> notes() {
        if (!patient.deceased() && !patient.hasFactsAfter(at)) {
            return patient.dataNotes();
        }
        List<DataNote> future = null;
        for (Analyte a : ANALYTES) {
            for (CountedLab counted : patient.counted(a)) {
                LabValue v = counted.value;
                if (!v.at().isAfter(at)) {
                    break;
                }
                future = add(future, v.source(), a.label() + " dated " + v.at() + ", after the evaluation time: not counted");
            }
        }
        for (DialysisStatusReport d : patient.dialysisStatus()) {
            if (d.at().isAfter(at)) {
                future = add(future, d.source(), "dialysis status dated " + d.at() + ", after the evaluation time: not counted");
            }
        }
        for (DialysisProcedure p : patient.dialysisProcedures()) {
            if (p.start().isAfter(at)) {
                future = add(future, p.source(), "dialysis performed " + p.start() + ", after the evaluation time: not counted");
            }
        }
        if (patient.deceased()) {
            future = add(future, patient.patientReference(),
                    "patient is deceased: no active Flag (an existing one becomes inactive)");
        }
        if (future == null) {
            return patient.dataNotes();
        }
        List<DataNote> all = new ArrayList<>(patient.dataNotes());
        all.addAll(future);
        return all;
    }

    private static List<DataNote> add(List<DataNote> list, String source, String message) {
        List<DataNote> l = list == null ? new ArrayList<>() : list;
        l.add(new DataNote(source, message));
        return l;
    }
}
