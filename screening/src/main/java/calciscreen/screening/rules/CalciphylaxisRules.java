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

    /** The number of rules of v1, R1..R12. */
    static final int COUNT = 12;

    /** Evaluates R1..R12, in that order, into {@code results}. Direct calls: each rule is compiled into the caller's loop. */
    static void v1(Evaluation e, RuleResult[] results) {
        results[0] = kidneyFailure(e);
        results[1] = hypercalcemia(e);
        results[2] = hyperphosphatemia(e);
        results[3] = calciumPhosphateProduct(e);
        results[4] = hyperparathyroidism(e);
        results[5] = hypoalbuminemia(e);
        results[6] = vitaminKAntagonist(e);
        results[7] = femaleSex(e);
        results[8] = diabetesMellitus(e);
        results[9] = obesity(e);
        results[10] = otherExposures(e);
        results[11] = priorCalciphylaxis(e);
    }

    /** R1: ESKD / CKD 5 / dialysis-dependence Condition; or dialysis Procedure or dialysis status in the lookback. */
    static RuleResult kidneyFailure(Evaluation e) {
        PatientContext p = e.patient;
        PatientContext.ConditionsOf kidneyFailure = p.conditionsOf(Concept.KIDNEY_FAILURE);
        DialysisTimeline procedures = p.dialysisTimeline();
        List<DialysisStatusReport> status = p.dialysisStatus();
        long inWindow = procedures.inTimeOrder() ? procedures.overlapping(e.from, e.at) : -1;
        int procedureCount = inWindow >= 0 ? DialysisTimeline.end(inWindow) - DialysisTimeline.first(inWindow)
                : procedures.size();
        Sources sources = new Sources(kidneyFailure.facts().length + procedureCount + status.size());
        int why = 0;
        for (ConditionFact c : kidneyFailure.facts()) {
            if (c.isCurrent(e.at)) {
                sources.add(c.source());
                why |= CONDITION;
            }
        }
        if (inWindow >= 0) {
            if (procedureCount > 0) {
                sources.addAll(procedures.sources(), DialysisTimeline.first(inWindow), DialysisTimeline.end(inWindow));
                why |= PROCEDURE;
            }
        } else {
            for (int i = 0, n = procedures.size(); i < n; i++) {
                DialysisProcedure d = procedures.get(i);
                if (d.overlaps(e.from, e.at)) {
                    sources.add(d.source());
                    why |= PROCEDURE;
                }
            }
        }
        for (int i = 0, n = status.size(); i < n; i++) {
            DialysisStatusReport d = status.get(i);
            if (d.onDialysis() && e.inWindow(d.at())) {
                sources.add(d.source());
                why |= STATUS;
            }
        }
        if (why == 0) {
            return NO_KIDNEY_FAILURE;
        }
        // Conditions, Procedures and Observations never share a source; within each, the context knows
        return new RuleResult(RuleId.R1, KIDNEY_FAILURE_BECAUSE[why], e.pointsOf(RuleId.R1), Optional.empty(),
                p.factSourcesDistinct() ? sources.list() : sources.distinct());
    }

    private static final int CONDITION = 1;
    private static final int PROCEDURE = 2;
    private static final int STATUS = 4;
    /** R1's reason for each combination of what was found (CONDITION | PROCEDURE | STATUS), parts in that order. */
    private static final Verdict[] KIDNEY_FAILURE_BECAUSE = new Verdict[8];

    static {
        for (int found = 1; found < 8; found++) {
            Why why = new Why();
            if ((found & CONDITION) != 0) {
                why.add("kidney failure Condition");
            }
            if ((found & PROCEDURE) != 0) {
                why.add("dialysis Procedure in lookback");
            }
            if ((found & STATUS) != 0) {
                why.add("dialysis status 'on dialysis' in lookback");
            }
            KIDNEY_FAILURE_BECAUSE[found] = new Verdict.Fired(why.get());
        }
    }

    private static final RuleResult NO_KIDNEY_FAILURE =
            notFired(RuleId.R1, "no kidney failure Condition, dialysis Procedure or dialysis status in lookback");

    /** R2: corrected total calcium above its threshold; or ionized calcium above its threshold; or a Condition. */
    static RuleResult hypercalcemia(Evaluation e) {
        RuleConfig.Thresholds t = e.config.thresholds();
        Optional<CorrectedCalcium> calcium = e.correctedCalcium();
        Optional<CountedLab> ionized = e.latest(Analyte.CALCIUM_IONIZED);
        ConditionFact[] conditions = e.patient.conditionsOf(Concept.HYPERCALCEMIA).facts();
        Sources sources = new Sources(3 + conditions.length);
        Why why = new Why();
        Optional<Measurement> used = Optional.empty();
        if (calcium.isPresent()) {
            CorrectedCalcium c = calcium.get();
            if (e.limits.correctedCalciumAbove().compare(c.value(), c.unit(), c.mgPerDl()) > 0) {
                sources.addAll(c);
                why.add(() -> comparison(c.how(), c.value(), c.unit(), c.mgPerDl(), ">", t.correctedCalciumAbove()));
                used = c.measurement();
            }
        }
        if (ionized.isPresent() && e.limits.ionizedCalciumAbove().compare(ionized.get()) > 0) {
            LabValue v = ionized.get().value;
            sources.add(v.source());
            why.add(() -> comparison(v, ">", t.ionizedCalciumAbove()));
            if (used.isEmpty()) {
                used = ionized.get().measurement;
            }
        }
        for (ConditionFact c : conditions) {
            if (c.isCurrent(e.at)) {
                sources.add(c.source());
                why.add("hypercalcemia Condition");
            }
        }
        if (!sources.isEmpty()) {
            return fired(e, RuleId.R2, why, used, sources.distinct());
        }
        Optional<SkippedLab> unreadable = e.unreadableNewerThan(Analyte.CALCIUM_TOTAL, calciumUsed(calcium))
                .or(() -> e.unreadableNewerThan(Analyte.CALCIUM_IONIZED, ionized));
        if (unreadable.isPresent()) {
            return indeterminate(RuleId.R2, unreadable.get());
        }
        Optional<Measurement> seen = calcium.isPresent() ? calcium.get().measurement()
                : ionized.isPresent() ? ionized.get().measurement : Optional.empty();
        Sources seenSources = new Sources(3);
        calcium.ifPresent(seenSources::addAll);
        ionized.ifPresent(v -> seenSources.add(v.value.source()));
        return notFired(RuleId.R2, () -> calcium.map(c -> comparison(c.how(), c.value(), c.unit(), c.mgPerDl(), "<=",
                        t.correctedCalciumAbove())).orElse("no calcium in lookback")
                        + "; " + ionized.map(v -> comparison(v.value, "<=", t.ionizedCalciumAbove()))
                        .orElse("no ionized calcium in lookback")
                        + "; no hypercalcemia Condition",
                seen, seenSources.list());
    }

    /** R3: phosphate above its threshold (5.5 mg/dL; 1.78 mmol/L). */
    static RuleResult hyperphosphatemia(Evaluation e) {
        return labAbove(e, RuleId.R3, Analyte.PHOSPHATE, e.config.thresholds().phosphateAbove(),
                e.limits.phosphateAbove());
    }

    /** R4: corrected total calcium (mg/dL) x phosphate (mg/dL) at least 55 mg2/dL2. */
    static RuleResult calciumPhosphateProduct(Evaluation e) {
        Optional<CorrectedCalcium> calcium = e.correctedCalcium();
        Optional<CountedLab> phosphate = e.latest(Analyte.PHOSPHATE);
        if (calcium.isPresent() && phosphate.isPresent()) {
            CorrectedCalcium c = calcium.get();
            LabValue ph = phosphate.get().value;
            double limit = e.config.thresholds().calciumPhosphateProductAtLeast();
            double product = Decimals.round6(c.mgPerDl() * ph.canonicalValue());
            Instant calciumAt = c.calcium().value.at();
            Instant later = calciumAt.isAfter(ph.at()) ? calciumAt : ph.at();
            Sources sources = new Sources(3);
            sources.addAll(c);
            sources.add(ph.source());
            Optional<Measurement> m = Optional.of(new Measurement("calcium-phosphate product", product, "mg2/dL2",
                    Optional.of(later)));
            if (Decimals.compare(product, limit) >= 0) {
                return fired(e, RuleId.R4, () -> product(c, ph, product) + " >= " + Format.number(limit), m,
                        sources.distinct());
            }
            Optional<SkippedLab> unreadable = e.unreadableNewerThan(Analyte.CALCIUM_TOTAL, c.calcium().asLatest)
                    .or(() -> e.unreadableNewerThan(Analyte.PHOSPHATE, phosphate));
            if (unreadable.isPresent()) {
                return indeterminate(RuleId.R4, unreadable.get());
            }
            return notFired(RuleId.R4, () -> product(c, ph, product) + " < " + Format.number(limit), m, sources.list());
        }
        Optional<SkippedLab> unreadable = e.unreadableNewerThan(Analyte.CALCIUM_TOTAL, calciumUsed(calcium))
                .or(() -> e.unreadableNewerThan(Analyte.PHOSPHATE, phosphate));
        if (unreadable.isPresent()) {
            return indeterminate(RuleId.R4, unreadable.get());
        }
        return calcium.isEmpty() ? NO_CALCIUM_FOR_PRODUCT : NO_PHOSPHATE_FOR_PRODUCT;
    }

    private static final RuleResult NO_CALCIUM_FOR_PRODUCT = notFired(RuleId.R4, "no calcium in lookback");
    private static final RuleResult NO_PHOSPHATE_FOR_PRODUCT = notFired(RuleId.R4, "no phosphate in lookback");

    /**
     * R5: intact PTH above 585 pg/mL (9 x the upper limit of 65 pg/mL; 62.0 pmol/L; ng/L = pg/mL); or a
     * hyperparathyroidism Condition (primary, secondary, renal, tertiary).
     */
    static RuleResult hyperparathyroidism(Evaluation e) {
        return labAboveOrCondition(e, RuleId.R5, Analyte.PTH, e.config.thresholds().pthAbove(), e.limits.pthAbove(),
                Concept.HYPERPARATHYROIDISM, "hyperparathyroidism Condition");
    }

    /** R6: albumin below 3.0 g/dL (30 g/L). */
    static RuleResult hypoalbuminemia(Evaluation e) {
        RuleConfig.UnitThreshold below = e.config.thresholds().albuminBelow();
        Optional<CountedLab> albumin = e.latest(Analyte.ALBUMIN);
        if (albumin.isPresent()) {
            CountedLab counted = albumin.get();
            LabValue v = counted.value;
            if (e.limits.albuminBelow().compare(counted) < 0) {
                return fired(e, RuleId.R6, () -> comparison(v, "<", below), counted.measurement, counted.sources);
            }
        }
        return notFiredOrIndeterminate(e, RuleId.R6, Analyte.ALBUMIN, albumin,
                () -> albumin.map(v -> comparison(v.value, ">=", below)).orElse("no albumin in lookback"));
    }

    /** R7: an active warfarin order or statement. */
    static RuleResult vitaminKAntagonist(Evaluation e) {
        List<String> sources = e.patient.medicationsOf(Concept.WARFARIN).sources();
        return sources.isEmpty() ? NO_WARFARIN
                : new RuleResult(RuleId.R7, ACTIVE_WARFARIN, e.pointsOf(RuleId.R7), Optional.empty(), sources);
    }

    private static final Verdict ACTIVE_WARFARIN = new Verdict.Fired("active warfarin");
    private static final RuleResult NO_WARFARIN = notFired(RuleId.R7, "no active warfarin");

    /** R8: Patient.gender = female. */
    static RuleResult femaleSex(Evaluation e) {
        if (e.patient.female()) {
            return new RuleResult(RuleId.R8, GENDER_FEMALE, e.pointsOf(RuleId.R8), Optional.empty(),
                    e.patient.patientSources());
        }
        if (!e.patient.patientKnown()) {
            return SEX_UNKNOWN;
        }
        return NOT_FEMALE;
    }

    private static final Verdict GENDER_FEMALE = new Verdict.Fired("gender female");
    private static final RuleResult SEX_UNKNOWN = new RuleResult(RuleId.R8,
            new Verdict.Indeterminate("no Patient resource: sex unknown", "Patient"), 0, Optional.empty(), List.of());
    private static final RuleResult NOT_FEMALE = notFired(RuleId.R8, "gender not female");

    /** R9: a diabetes Condition (type 1, type 2, other; never prediabetes). */
    static RuleResult diabetesMellitus(Evaluation e) {
        return condition(e, RuleId.R9, Concept.DIABETES, DIABETES, NO_DIABETES);
    }

    private static final Verdict DIABETES = new Verdict.Fired("diabetes Condition");
    private static final RuleResult NO_DIABETES = notFired(RuleId.R9, "no current diabetes Condition");

    /** R10: BMI at least 30 kg/m2; or an obesity Condition (never E66.3 overweight). */
    static RuleResult obesity(Evaluation e) {
        RuleConfig.UnitThreshold atLeast = e.config.thresholds().bmiAtLeast();
        Optional<CountedLab> bmi = e.latest(Analyte.BMI);
        ConditionFact[] conditions = e.patient.conditionsOf(Concept.OBESITY).facts();
        Sources sources = new Sources(1 + conditions.length);
        Why why = new Why();
        Optional<Measurement> used = Optional.empty();
        if (bmi.isPresent()) {
            LabValue v = bmi.get().value;
            if (e.limits.bmiAtLeast().compare(bmi.get()) >= 0) {
                sources.add(v.source());
                why.add(() -> comparison(v, ">=", atLeast));
                used = bmi.get().measurement;
            }
        }
        for (ConditionFact c : conditions) {
            if (c.isCurrent(e.at)) {
                sources.add(c.source());
                why.add("obesity Condition");
            }
        }
        if (!sources.isEmpty()) {
            return fired(e, RuleId.R10, why, used, sources.distinct());
        }
        return notFiredOrIndeterminate(e, RuleId.R10, Analyte.BMI, bmi,
                () -> bmi.map(v -> comparison(v.value, "<", atLeast)).orElse("no BMI in lookback")
                        + "; no obesity Condition");
    }

    /** R11: Crohn's disease; active systemic glucocorticoid, iron dextran or albumin infusion. Counts once. */
    static RuleResult otherExposures(Evaluation e) {
        PatientContext p = e.patient;
        ConditionFact[] crohns = p.conditionsOf(Concept.CROHNS).facts();
        if (crohns.length == 0 && p.medicationsOf(Concept.GLUCOCORTICOID_SYSTEMIC).facts().length == 0
                && p.medicationsOf(Concept.IRON_DEXTRAN).facts().length == 0
                && p.medicationsOf(Concept.ALBUMIN_INFUSION).facts().length == 0) {
            return NO_OTHER_EXPOSURES;
        }
        List<MedicationFact> medications = p.medications();
        Sources sources = new Sources(crohns.length + 2 * medications.size());
        Why why = new Why();
        for (ConditionFact c : crohns) {
            if (c.isCurrent(e.at)) {
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
            return NO_OTHER_EXPOSURES;
        }
        return fired(e, RuleId.R11, why, Optional.empty(), sources.distinct());
    }

    private static final RuleResult NO_OTHER_EXPOSURES =
            notFired(RuleId.R11, "no Crohn's disease, systemic glucocorticoid, iron dextran or albumin infusion");

    /** R12: a calciphylaxis Condition in any clinical status, resolved included. */
    static RuleResult priorCalciphylaxis(Evaluation e) {
        List<String> sources = e.patient.conditionsOf(Concept.CALCIPHYLAXIS).sources();
        return sources.isEmpty() ? NO_CALCIPHYLAXIS
                : new RuleResult(RuleId.R12, CALCIPHYLAXIS, e.pointsOf(RuleId.R12), Optional.empty(), sources);
    }

    private static final Verdict CALCIPHYLAXIS = new Verdict.Fired("calciphylaxis Condition (any clinical status)");
    private static final RuleResult NO_CALCIPHYLAXIS = notFired(RuleId.R12, "no calciphylaxis Condition");

    // ------------------------------------------------------------------ shared shapes

    private static RuleResult labAbove(Evaluation e, RuleId rule, Analyte analyte, RuleConfig.UnitThreshold above,
                                       Limit limit) {
        Optional<CountedLab> latest = e.latest(analyte);
        if (latest.isPresent() && limit.compare(latest.get()) > 0) {
            CountedLab counted = latest.get();
            LabValue v = counted.value;
            return fired(e, rule, () -> comparison(v, ">", above), counted.measurement, counted.sources);
        }
        return notFiredOrIndeterminate(e, rule, analyte, latest,
                () -> latest.map(v -> comparison(v.value, "<=", above)).orElse("no " + analyte.label() + " in lookback"));
    }

    private static RuleResult labAboveOrCondition(Evaluation e, RuleId rule, Analyte analyte,
                                                  RuleConfig.UnitThreshold above, Limit limit, Concept condition,
                                                  String conditionName) {
        Optional<CountedLab> latest = e.latest(analyte);
        ConditionFact[] conditions = e.patient.conditionsOf(condition).facts();
        Sources sources = new Sources(1 + conditions.length);
        Why why = new Why();
        Optional<Measurement> used = Optional.empty();
        if (latest.isPresent() && limit.compare(latest.get()) > 0) {
            LabValue v = latest.get().value;
            sources.add(v.source());
            why.add(() -> comparison(v, ">", above));
            used = latest.get().measurement;
        }
        for (ConditionFact c : conditions) {
            if (c.isCurrent(e.at)) {
                sources.add(c.source());
                why.add(conditionName);
            }
        }
        if (!sources.isEmpty()) {
            return fired(e, rule, why, used, sources.distinct());
        }
        return notFiredOrIndeterminate(e, rule, analyte, latest,
                () -> latest.map(v -> comparison(v.value, "<=", above)).orElse("no " + analyte.label() + " in lookback")
                        + "; no " + conditionName);
    }

    /** A rule that fires on a current Condition of the value set: {@code found} as its verdict, else {@code none}. */
    private static RuleResult condition(Evaluation e, RuleId rule, Concept concept, Verdict found, RuleResult none) {
        PatientContext.ConditionsOf conditions = e.patient.conditionsOf(concept);
        if (conditions.allCurrent()) {
            return conditions.sources().isEmpty() ? none
                    : new RuleResult(rule, found, e.pointsOf(rule), Optional.empty(), conditions.sources());
        }
        Sources sources = null;
        for (ConditionFact c : conditions.facts()) {
            if (c.isCurrent(e.at)) {
                sources = sources == null ? new Sources(conditions.facts().length) : sources;
                sources.add(c.source());
            }
        }
        return sources == null ? none : new RuleResult(rule, found, e.pointsOf(rule), Optional.empty(), sources.distinct());
    }

    /** The calcium the corrected calcium rests on, if any: newer unreadable calcium makes R2 and R4 Indeterminate. */
    private static Optional<CountedLab> calciumUsed(Optional<CorrectedCalcium> calcium) {
        return calcium.isPresent() ? calcium.get().calcium().asLatest : Optional.empty();
    }

    private static RuleResult notFiredOrIndeterminate(Evaluation e, RuleId rule, Analyte analyte,
                                                      Optional<CountedLab> used, Supplier<String> reason) {
        Optional<SkippedLab> unreadable = e.unreadableNewerThan(analyte, used);
        if (unreadable.isPresent()) {
            return indeterminate(rule, unreadable.get());
        }
        if (used.isEmpty()) {
            return notFired(rule, reason, Optional.empty(), List.of());
        }
        return notFired(rule, reason, used.get().measurement, used.get().sources);
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
        return new RuleResult(rule, new Verdict.Fired(reason), e.pointsOf(rule), m, sources);
    }

    /** Not fired for want of data: the same result whoever the patient, so made once. */
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
