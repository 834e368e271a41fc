package calciscreen.screening.rules;

import calciscreen.model.terminology.Concept;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Rule set v1 of screening-rules.md, one method per rule (R1..R12). Thresholds and points come from
 * {@link RuleConfig}; the document's defaults are {@link RuleConfig#v1()}.
 *
 * <p>Threshold comparisons are exact and per unit: a value is compared in its own unit when the document gives the
 * threshold in that unit (2.55 mmol/L calcium does not fire although 2.55 x 4.008 = 10.22 mg/dL would), else in the
 * canonical unit after exact conversion (mEq/L), and wherever arithmetic is involved (Payne correction, the
 * calcium-phosphate product) in mg/dL. Both sides are rounded to 6 decimals before comparing.
 */
final class CalciphylaxisRules {

    private CalciphylaxisRules() {
    }

    static List<Rule> v1() {
        return List.of(CalciphylaxisRules::kidneyFailure, CalciphylaxisRules::hypercalcemia,
                CalciphylaxisRules::hyperphosphatemia, CalciphylaxisRules::calciumPhosphateProduct,
                CalciphylaxisRules::hyperparathyroidism, CalciphylaxisRules::hypoalbuminemia,
                CalciphylaxisRules::vitaminKAntagonist, CalciphylaxisRules::femaleSex,
                CalciphylaxisRules::diabetesMellitus, CalciphylaxisRules::obesity,
                CalciphylaxisRules::otherExposures, CalciphylaxisRules::priorCalciphylaxis);
    }

    /** R1: ESKD / CKD 5 / dialysis-dependence Condition; or dialysis Procedure or dialysis status in the lookback. */
    static RuleResult kidneyFailure(Evaluation e) {
        PatientContext p = e.patient;
        Sources sources = new Sources(p.conditions().size() + p.dialysisProcedures().size() + p.dialysisStatus().size());
        Why why = new Why();
        for (ConditionFact c : p.conditions()) {
            if (c.is(Concept.KIDNEY_FAILURE) && c.isCurrent(e.at)) {
                sources.add(c.source());
                why.add("kidney failure Condition");
            }
        }
        for (DialysisProcedure d : p.dialysisProcedures()) {
            if (d.overlaps(e.from, e.at)) {
                sources.add(d.source());
                why.add("dialysis Procedure in lookback");
            }
        }
        for (DialysisStatusReport d : p.dialysisStatus()) {
            if (d.onDialysis() && e.inWindow(d.at())) {
                sources.add(d.source());
                why.add("dialysis status 'on dialysis' in lookback");
            }
        }
        if (sources.isEmpty()) {
            return notFired(RuleId.R1, "no kidney failure Condition, dialysis Procedure or dialysis status in lookback");
        }
        // Conditions, Procedures and Observations never share a source; within each, the context knows
        return fired(e, RuleId.R1, why, Optional.empty(), p.factSourcesDistinct() ? sources.list() : sources.distinct());
    }

    /** R2: corrected total calcium above its threshold; or ionized calcium above its threshold; or a Condition. */
    static RuleResult hypercalcemia(Evaluation e) {
        RuleConfig.Thresholds t = e.config.thresholds();
        Optional<CorrectedCalcium> calcium = e.correctedCalcium();
        Optional<LabValue> ionized = e.latest(Analyte.CALCIUM_IONIZED);
        Sources sources = new Sources(3 + e.patient.conditions().size());
        Why why = new Why();
        Optional<Measurement> used = Optional.empty();
        if (calcium.isPresent()) {
            CorrectedCalcium c = calcium.get();
            if (t.correctedCalciumAbove().compare(c.value(), c.unit(), c.mgPerDl()) > 0) {
                sources.addAll(c);
                why.add(() -> comparison(c.how(), c.value(), c.unit(), c.mgPerDl(), ">", t.correctedCalciumAbove()));
                used = Optional.of(measurement(c));
            }
        }
        if (ionized.isPresent() && exceeds(ionized.get(), t.ionizedCalciumAbove())) {
            LabValue v = ionized.get();
            sources.add(v.source());
            why.add(() -> comparison(v, ">", t.ionizedCalciumAbove()));
            if (used.isEmpty()) {
                used = Optional.of(measurement(v));
            }
        }
        for (ConditionFact c : e.patient.conditions()) {
            if (c.is(Concept.HYPERCALCEMIA) && c.isCurrent(e.at)) {
                sources.add(c.source());
                why.add("hypercalcemia Condition");
            }
        }
        if (!sources.isEmpty()) {
            return fired(e, RuleId.R2, why, used, sources.distinct());
        }
        Optional<SkippedLab> unreadable = e.unreadableNewerThan(Analyte.CALCIUM_TOTAL, calcium.map(CorrectedCalcium::calcium))
                .or(() -> e.unreadableNewerThan(Analyte.CALCIUM_IONIZED, ionized));
        if (unreadable.isPresent()) {
            return indeterminate(RuleId.R2, unreadable.get());
        }
        Optional<Measurement> seen = calcium.isPresent() ? Optional.of(measurement(calcium.get()))
                : ionized.map(CalciphylaxisRules::measurement);
        Sources seenSources = new Sources(3);
        calcium.ifPresent(seenSources::addAll);
        ionized.ifPresent(v -> seenSources.add(v.source()));
        return notFired(RuleId.R2, () -> calcium.map(c -> comparison(c.how(), c.value(), c.unit(), c.mgPerDl(), "<=",
                        t.correctedCalciumAbove())).orElse("no calcium in lookback")
                        + "; " + ionized.map(v -> comparison(v, "<=", t.ionizedCalciumAbove()))
                        .orElse("no ionized calcium in lookback")
                        + "; no hypercalcemia Condition",
                seen, seenSources.list());
    }

    /** R3: phosphate above its threshold (5.5 mg/dL; 1.78 mmol/L). */
    static RuleResult hyperphosphatemia(Evaluation e) {
        return labAbove(e, RuleId.R3, Analyte.PHOSPHATE, e.config.thresholds().phosphateAbove());
    }

    /** R4: corrected total calcium (mg/dL) x phosphate (mg/dL) at least 55 mg2/dL2. */
    static RuleResult calciumPhosphateProduct(Evaluation e) {
        Optional<CorrectedCalcium> calcium = e.correctedCalcium();
        Optional<LabValue> phosphate = e.latest(Analyte.PHOSPHATE);
        if (calcium.isPresent() && phosphate.isPresent()) {
            CorrectedCalcium c = calcium.get();
            LabValue ph = phosphate.get();
            double limit = e.config.thresholds().calciumPhosphateProductAtLeast();
            double product = Decimals.round6(c.mgPerDl() * ph.canonicalValue());
            Instant later = c.calcium().at().isAfter(ph.at()) ? c.calcium().at() : ph.at();
            Sources sources = new Sources(3);
            sources.addAll(c);
            sources.add(ph.source());
            Optional<Measurement> m = Optional.of(new Measurement("calcium-phosphate product", product, "mg2/dL2",
                    Optional.of(later)));
            if (Decimals.compare(product, limit) >= 0) {
                return fired(e, RuleId.R4, () -> product(c, ph, product) + " >= " + Format.number(limit), m,
                        sources.distinct());
            }
            Optional<SkippedLab> unreadable = e.unreadableNewerThan(Analyte.CALCIUM_TOTAL, Optional.of(c.calcium()))
                    .or(() -> e.unreadableNewerThan(Analyte.PHOSPHATE, phosphate));
            if (unreadable.isPresent()) {
                return indeterminate(RuleId.R4, unreadable.get());
            }
            return notFired(RuleId.R4, () -> product(c, ph, product) + " < " + Format.number(limit), m, sources.list());
        }
        Optional<SkippedLab> unreadable = e.unreadableNewerThan(Analyte.CALCIUM_TOTAL, calcium.map(CorrectedCalcium::calcium))
                .or(() -> e.unreadableNewerThan(Analyte.PHOSPHATE, phosphate));
        if (unreadable.isPresent()) {
            return indeterminate(RuleId.R4, unreadable.get());
        }
        return notFired(RuleId.R4, calcium.isEmpty() ? "no calcium in lookback" : "no phosphate in lookback");
    }

    /**
     * R5: intact PTH above 585 pg/mL (9 x the upper limit of 65 pg/mL; 62.0 pmol/L; ng/L = pg/mL); or a
     * hyperparathyroidism Condition (primary, secondary, renal, tertiary).
     */
    static RuleResult hyperparathyroidism(Evaluation e) {
        return labAboveOrCondition(e, RuleId.R5, Analyte.PTH, e.config.thresholds().pthAbove(),
                Concept.HYPERPARATHYROIDISM, "hyperparathyroidism Condition");
    }

    /** R6: albumin below 3.0 g/dL (30 g/L). */
    static RuleResult hypoalbuminemia(Evaluation e) {
        RuleConfig.UnitThreshold below = e.config.thresholds().albuminBelow();
        Optional<LabValue> albumin = e.latest(Analyte.ALBUMIN);
        if (albumin.isPresent() && below.compare(albumin.get().value(), albumin.get().unit(),
                albumin.get().canonicalValue()) < 0) {
            LabValue v = albumin.get();
            return fired(e, RuleId.R6, () -> comparison(v, "<", below), Optional.of(measurement(v)), List.of(v.source()));
        }
        return notFiredOrIndeterminate(e, RuleId.R6, Analyte.ALBUMIN, albumin,
                () -> albumin.map(v -> comparison(v, ">=", below)).orElse("no albumin in lookback"));
    }

    /** R7: an active warfarin order or statement. */
    static RuleResult vitaminKAntagonist(Evaluation e) {
        return medication(e, RuleId.R7, Concept.WARFARIN, "active warfarin", "no active warfarin");
    }

    /** R8: Patient.gender = female. */
    static RuleResult femaleSex(Evaluation e) {
        if (e.patient.female()) {
            return fired(e, RuleId.R8, "gender female", Optional.empty(), List.of(e.patient.patientReference()));
        }
        if (!e.patient.patientKnown()) {
            return new RuleResult(RuleId.R8, new Verdict.Indeterminate("no Patient resource: sex unknown", "Patient"), 0,
                    Optional.empty(), List.of());
        }
        return notFired(RuleId.R8, "gender not female");
    }

    /** R9: a diabetes Condition (type 1, type 2, other; never prediabetes). */
    static RuleResult diabetesMellitus(Evaluation e) {
        return condition(e, RuleId.R9, Concept.DIABETES, "diabetes Condition", "no current diabetes Condition");
    }

    /** R10: BMI at least 30 kg/m2; or an obesity Condition (never E66.3 overweight). */
    static RuleResult obesity(Evaluation e) {
        RuleConfig.UnitThreshold atLeast = e.config.thresholds().bmiAtLeast();
        Optional<LabValue> bmi = e.latest(Analyte.BMI);
        Sources sources = new Sources(1 + e.patient.conditions().size());
        Why why = new Why();
        Optional<Measurement> used = Optional.empty();
        if (bmi.isPresent() && atLeast.compare(bmi.get().value(), bmi.get().unit(), bmi.get().canonicalValue()) >= 0) {
            LabValue v = bmi.get();
            sources.add(v.source());
            why.add(() -> comparison(v, ">=", atLeast));
            used = Optional.of(measurement(v));
        }
        for (ConditionFact c : e.patient.conditions()) {
            if (c.is(Concept.OBESITY) && c.isCurrent(e.at)) {
                sources.add(c.source());
                why.add("obesity Condition");
            }
        }
        if (!sources.isEmpty()) {
            return fired(e, RuleId.R10, why, used, sources.distinct());
        }
        return notFiredOrIndeterminate(e, RuleId.R10, Analyte.BMI, bmi,
                () -> bmi.map(v -> comparison(v, "<", atLeast)).orElse("no BMI in lookback") + "; no obesity Condition");
    }

    /** R11: Crohn's disease; active systemic glucocorticoid, iron dextran or albumin infusion. Counts once. */
    static RuleResult otherExposures(Evaluation e) {
        List<ConditionFact> conditions = e.patient.conditions();
        List<MedicationFact> medications = e.patient.medications();
        if (conditions.isEmpty() && medications.isEmpty()) {
            return notFired(RuleId.R11, NO_OTHER_EXPOSURES);
        }
        Sources sources = new Sources(conditions.size() + 2 * medications.size());
        Why why = new Why();
        for (ConditionFact c : conditions) {
            if (c.is(Concept.CROHNS) && c.isCurrent(e.at)) {
                sources.add(c.source());
                why.add("Crohn's disease Condition");
            }
        }
        for (MedicationFact m : medications) {
            if (m.is(Concept.GLUCOCORTICOID_SYSTEMIC)) {
                why.add("active systemic glucocorticoid");
                sources.addAll(m.sources());
            }
            if (m.is(Concept.IRON_DEXTRAN)) {
                why.add("active iron dextran");
                sources.addAll(m.sources());
            }
            if (m.is(Concept.ALBUMIN_INFUSION)) {
                why.add("active albumin infusion");
                sources.addAll(m.sources());
            }
        }
        if (sources.isEmpty()) {
            return notFired(RuleId.R11, NO_OTHER_EXPOSURES);
        }
        return fired(e, RuleId.R11, why, Optional.empty(), sources.distinct());
    }

    private static final String NO_OTHER_EXPOSURES =
            "no Crohn's disease, systemic glucocorticoid, iron dextran or albumin infusion";

    /** R12: a calciphylaxis Condition in any clinical status, resolved included. */
    static RuleResult priorCalciphylaxis(Evaluation e) {
        Sources sources = null;
        for (ConditionFact c : e.patient.conditions()) {
            if (c.is(Concept.CALCIPHYLAXIS)) {
                sources = sources == null ? new Sources(e.patient.conditions().size()) : sources;
                sources.add(c.source());
            }
        }
        return sources == null
                ? notFired(RuleId.R12, "no calciphylaxis Condition")
                : fired(e, RuleId.R12, "calciphylaxis Condition (any clinical status)", Optional.empty(),
                        sources.distinct());
    }

    // ------------------------------------------------------------------ shared shapes

    private static RuleResult labAbove(Evaluation e, RuleId rule, Analyte analyte, RuleConfig.UnitThreshold above) {
        Optional<LabValue> latest = e.latest(analyte);
        if (latest.isPresent() && exceeds(latest.get(), above)) {
            LabValue v = latest.get();
            return fired(e, rule, () -> comparison(v, ">", above), Optional.of(measurement(v)), List.of(v.source()));
        }
        return notFiredOrIndeterminate(e, rule, analyte, latest,
                () -> latest.map(v -> comparison(v, "<=", above)).orElse("no " + analyte.label() + " in lookback"));
    }

    private static RuleResult labAboveOrCondition(Evaluation e, RuleId rule, Analyte analyte,
                                                  RuleConfig.UnitThreshold above, Concept condition, String conditionName) {
        Optional<LabValue> latest = e.latest(analyte);
        Sources sources = new Sources(1 + e.patient.conditions().size());
        Why why = new Why();
        Optional<Measurement> used = Optional.empty();
        if (latest.isPresent() && exceeds(latest.get(), above)) {
            LabValue v = latest.get();
            sources.add(v.source());
            why.add(() -> comparison(v, ">", above));
            used = Optional.of(measurement(v));
        }
        for (ConditionFact c : e.patient.conditions()) {
            if (c.is(condition) && c.isCurrent(e.at)) {
                sources.add(c.source());
                why.add(conditionName);
            }
        }
        if (!sources.isEmpty()) {
            return fired(e, rule, why, used, sources.distinct());
        }
        return notFiredOrIndeterminate(e, rule, analyte, latest,
                () -> latest.map(v -> comparison(v, "<=", above)).orElse("no " + analyte.label() + " in lookback")
                        + "; no " + conditionName);
    }

    private static RuleResult condition(Evaluation e, RuleId rule, Concept concept, String name, String none) {
        Sources sources = null;
        for (ConditionFact c : e.patient.conditions()) {
            if (c.is(concept) && c.isCurrent(e.at)) {
                sources = sources == null ? new Sources(e.patient.conditions().size()) : sources;
                sources.add(c.source());
            }
        }
        return sources == null ? notFired(rule, none) : fired(e, rule, name, Optional.empty(), sources.distinct());
    }

    private static RuleResult medication(Evaluation e, RuleId rule, Concept drug, String yes, String no) {
        Sources sources = null;
        for (MedicationFact m : e.patient.medications()) {
            if (m.is(drug)) {
                sources = sources == null ? new Sources(2 * e.patient.medications().size()) : sources;
                sources.addAll(m.sources());
            }
        }
        return sources == null ? notFired(rule, no) : fired(e, rule, yes, Optional.empty(), sources.distinct());
    }

    private static boolean exceeds(LabValue v, RuleConfig.UnitThreshold above) {
        return above.compare(v.value(), v.unit(), v.canonicalValue()) > 0;
    }

    private static RuleResult notFiredOrIndeterminate(Evaluation e, RuleId rule, Analyte analyte,
                                                      Optional<LabValue> used, Supplier<String> reason) {
        Optional<SkippedLab> unreadable = e.unreadableNewerThan(analyte, used);
        if (unreadable.isPresent()) {
            return indeterminate(rule, unreadable.get());
        }
        if (used.isEmpty()) {
            return notFired(rule, reason, Optional.empty(), List.of());
        }
        LabValue v = used.get();
        return notFired(rule, reason, Optional.of(measurement(v)), List.of(v.source()));
    }

    private static Measurement measurement(LabValue v) {
        return new Measurement(v.analyte().label(), v.value(), v.unit(), Optional.of(v.at()));
    }

    private static Measurement measurement(CorrectedCalcium c) {
        return new Measurement("corrected calcium", c.value(), c.unit(), Optional.of(c.calcium().at()));
    }

    /** "calcium 10.6 mg/dL x phosphate 6.4 mg/dL = 67.84 mg2/dL2" */
    private static String product(CorrectedCalcium c, LabValue phosphate, double product) {
        return "calcium " + Format.number(c.mgPerDl()) + " mg/dL x phosphate "
                + Format.number(phosphate.canonicalValue()) + " mg/dL = " + Format.number(product) + " mg2/dL2";
    }

    private static String comparison(LabValue v, String op, RuleConfig.UnitThreshold t) {
        return comparison(v.analyte().label(), v.value(), v.unit(), v.canonicalValue(), op, t);
    }

    /** "intact PTH 62.1 pmol/L > 62 pmol/L", or with conversion "calcium 5.2 meq/L (10.4208 mg/dL) > 10.2 mg/dL". */
    private static String comparison(String what, double value, String unit, double canonical, String op,
                                     RuleConfig.UnitThreshold t) {
        var own = t.limitIn(unit);
        if (own.isPresent()) {
            return what + " " + Format.number(value) + " " + unit + " " + op + " " + Format.number(own.getAsDouble()) + " " + unit;
        }
        return what + " " + Format.number(value) + " " + unit + " (" + Format.number(canonical) + " " + t.unit() + ") "
                + op + " " + Format.number(t.value()) + " " + t.unit();
    }

    /** Fired: the rule's points; the reason is made when read; sources already without duplicates. */
    private static RuleResult fired(Evaluation e, RuleId rule, Supplier<String> reason, Optional<Measurement> m,
                                    List<String> sources) {
        return new RuleResult(rule, new Verdict.Fired(reason), e.config.pointsOf(rule), m, sources);
    }

    private static RuleResult fired(Evaluation e, RuleId rule, String reason, Optional<Measurement> m,
                                    List<String> sources) {
        return new RuleResult(rule, new Verdict.Fired(reason), e.config.pointsOf(rule), m, sources);
    }

    private static RuleResult notFired(RuleId rule, String reason) {
        return new RuleResult(rule, new Verdict.NotFired(reason), 0, Optional.empty(), List.of());
    }

    /** Not fired, with the value that was compared (and its sources), so that notes and trends can show it. */
    private static RuleResult notFired(RuleId rule, Supplier<String> reason, Optional<Measurement> m, List<String> sources) {
        return new RuleResult(rule, new Verdict.NotFired(reason), 0, m, sources);
    }

    private static RuleResult indeterminate(RuleId rule, SkippedLab s) {
        return new RuleResult(rule, new Verdict.Indeterminate(s.reason(), s.source()), 0, Optional.empty(),
                List.of(s.source()));
    }
}
