package calciscreen.screening.rules;

import calciscreen.model.terminology.Concept;
import calciscreen.screening.rules.Reason.Comparison;
import calciscreen.screening.rules.Reason.Measured;
import calciscreen.screening.rules.Reason.Text;
import calciscreen.screening.rules.RuleConfig.UnitThreshold;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Rule set v1 of docs/screening-rules.md, one method per rule (R1..R12), each to be read against its row of the
 * document's table. Thresholds and points come from {@link RuleConfig}; the document's defaults are
 * {@link RuleConfig#v1()}.
 *
 * <p>Threshold comparisons are {@link UnitThreshold#compare}: in the value's own unit when the document gives the
 * threshold in that unit (2.55 mmol/L calcium does not fire although 2.55 x 4.008 = 10.22 mg/dL would), else in the
 * canonical unit, and wherever arithmetic is involved (Payne correction, the calcium-phosphate product) in mg/dL.
 */
final class CalciphylaxisRules {

    private CalciphylaxisRules() {
    }

    /** R1..R12, in that order. */
    static List<RuleResult> v1(Evaluation e) {
        return List.of(kidneyFailure(e), hypercalcemia(e), hyperphosphatemia(e), calciumPhosphateProduct(e),
                hyperparathyroidism(e), hypoalbuminemia(e), vitaminKAntagonist(e), femaleSex(e), diabetesMellitus(e),
                obesity(e), otherExposures(e), priorCalciphylaxis(e));
    }

    /** R1: a current kidney-failure Condition; or a dialysis Procedure or "on dialysis" status in the lookback. */
    static RuleResult kidneyFailure(Evaluation e) {
        Findings found = new Findings();
        found.add(KIDNEY_FAILURE_CONDITION, e.currentConditions(Concept.KIDNEY_FAILURE));
        found.add(DIALYSIS_PROCEDURE, e.patient.dialysisTimeline().sourcesOverlapping(e.from, e.at));
        found.add(ON_DIALYSIS, e.onDialysisInLookback());
        return found.any() ? found.fired(RuleId.R1, e.pointsOf(RuleId.R1), e.patient.factSourcesDistinct())
                : NO_KIDNEY_FAILURE;
    }

    private static final Reason KIDNEY_FAILURE_CONDITION = new Text("kidney failure Condition");
    private static final Reason DIALYSIS_PROCEDURE = new Text("dialysis Procedure in lookback");
    private static final Reason ON_DIALYSIS = new Text("dialysis status 'on dialysis' in lookback");
    private static final RuleResult NO_KIDNEY_FAILURE =
            notFired(RuleId.R1, "no kidney failure Condition, dialysis Procedure or dialysis status in lookback");

    /** R2: corrected total calcium above 10.2 mg/dL; or ionized calcium above 1.32 mmol/L; or a Condition. */
    static RuleResult hypercalcemia(Evaluation e) {
        UnitThreshold calciumAbove = e.config.thresholds().correctedCalciumAbove();
        UnitThreshold ionizedAbove = e.config.thresholds().ionizedCalciumAbove();
        Optional<CorrectedCalcium> calcium = e.correctedCalcium();
        Optional<LabValue> ionized = e.latest(Lab.CALCIUM_IONIZED);
        Findings found = new Findings();
        if (calcium.isPresent() && compare(calcium.get(), calciumAbove) > 0) {
            CorrectedCalcium c = calcium.get();
            found.add(new Comparison(c, ">", calciumAbove), c.sources(), c.measurement());
        }
        if (ionized.isPresent() && compare(ionized.get(), ionizedAbove) > 0) {
            LabValue v = ionized.get();
            found.add(new Comparison(v, ">", ionizedAbove), List.of(v.source()), v.measurement());
        }
        found.add(HYPERCALCEMIA.found(), e.currentConditions(HYPERCALCEMIA.valueSet()));
        if (found.any()) {
            return found.fired(RuleId.R2, e.pointsOf(RuleId.R2));
        }
        Optional<SkippedLab> unreadable = e.unreadableNewerThan(Lab.CALCIUM_TOTAL, calcium.map(CorrectedCalcium::calcium))
                .or(() -> e.unreadableNewerThan(Lab.CALCIUM_IONIZED, ionized));
        if (unreadable.isPresent()) {
            return indeterminate(RuleId.R2, unreadable.get());
        }
        Reason why = new Reason.All(List.of(
                calcium.<Reason>map(c -> new Comparison(c, "<=", calciumAbove)).orElse(NO_CALCIUM),
                ionized.<Reason>map(v -> new Comparison(v, "<=", ionizedAbove)).orElse(NO_IONIZED_CALCIUM),
                HYPERCALCEMIA.notFound()));
        List<String> seen = new ArrayList<>(3);
        calcium.ifPresent(c -> seen.addAll(c.sources()));
        ionized.ifPresent(v -> seen.add(v.source()));
        return new RuleResult(RuleId.R2, new Verdict.NotFired(why), 0,
                calcium.map(CorrectedCalcium::measurement).or(() -> ionized.map(LabValue::measurement)), seen);
    }

    private static final ConditionCriterion HYPERCALCEMIA =
            new ConditionCriterion(Concept.HYPERCALCEMIA, "hypercalcemia Condition");
    private static final Reason NO_CALCIUM = new Text("no calcium in lookback");
    private static final Reason NO_IONIZED_CALCIUM = new Text("no ionized calcium in lookback");

    /** R3: phosphate above 5.5 mg/dL (1.78 mmol/L). */
    static RuleResult hyperphosphatemia(Evaluation e) {
        return labOrCondition(e, RuleId.R3, Lab.PHOSPHATE, Side.ABOVE, e.config.thresholds().phosphateAbove(),
                Optional.empty());
    }

    /** R4: corrected total calcium (mg/dL) x phosphate (mg/dL) at least 55 mg2/dL2. */
    static RuleResult calciumPhosphateProduct(Evaluation e) {
        Optional<CorrectedCalcium> calcium = e.correctedCalcium();
        Optional<LabValue> phosphate = e.latest(Lab.PHOSPHATE);
        Optional<SkippedLab> unreadable = e.unreadableNewerThan(Lab.CALCIUM_TOTAL, calcium.map(CorrectedCalcium::calcium))
                .or(() -> e.unreadableNewerThan(Lab.PHOSPHATE, phosphate));
        if (calcium.isEmpty() || phosphate.isEmpty()) {
            return unreadable.map(s -> indeterminate(RuleId.R4, s))
                    .orElse(calcium.isEmpty() ? NO_CALCIUM_FOR_PRODUCT : NO_PHOSPHATE_FOR_PRODUCT);
        }
        CorrectedCalcium c = calcium.get();
        LabValue p = phosphate.get();
        double atLeast = e.config.thresholds().calciumPhosphateProductAtLeast();
        double product = Decimals.round6(c.canonicalValue() * p.canonicalValue());
        Instant later = c.calcium().at().isAfter(p.at()) ? c.calcium().at() : p.at();
        Optional<Measurement> m = Optional.of(new Measurement("calcium-phosphate product", product, "mg2/dL2",
                Optional.of(later)));
        List<String> sources = new ArrayList<>(c.sources());
        sources.add(p.source());
        if (Decimals.compare(product, atLeast) >= 0) {
            return new RuleResult(RuleId.R4, new Verdict.Fired(new Reason.Product(c.canonicalValue(),
                    p.canonicalValue(), product, ">=", atLeast)), e.pointsOf(RuleId.R4), m, Findings.eachOnce(sources));
        }
        if (unreadable.isPresent()) {
            return indeterminate(RuleId.R4, unreadable.get());
        }
        return new RuleResult(RuleId.R4, new Verdict.NotFired(new Reason.Product(c.canonicalValue(),
                p.canonicalValue(), product, "<", atLeast)), 0, m, sources);
    }

    private static final RuleResult NO_CALCIUM_FOR_PRODUCT = notFired(RuleId.R4, "no calcium in lookback");
    private static final RuleResult NO_PHOSPHATE_FOR_PRODUCT = notFired(RuleId.R4, "no phosphate in lookback");

    /**
     * R5: intact PTH above 585 pg/mL (9 x the upper limit of 65 pg/mL; 62.0 pmol/L; ng/L = pg/mL); or a current
     * hyperparathyroidism Condition (primary, secondary, renal, tertiary).
     */
    static RuleResult hyperparathyroidism(Evaluation e) {
        return labOrCondition(e, RuleId.R5, Lab.PTH, Side.ABOVE, e.config.thresholds().pthAbove(),
                Optional.of(HYPERPARATHYROIDISM));
    }

    private static final ConditionCriterion HYPERPARATHYROIDISM =
            new ConditionCriterion(Concept.HYPERPARATHYROIDISM, "hyperparathyroidism Condition");

    /** R6: albumin below 3.0 g/dL (30 g/L). */
    static RuleResult hypoalbuminemia(Evaluation e) {
        return labOrCondition(e, RuleId.R6, Lab.ALBUMIN, Side.BELOW, e.config.thresholds().albuminBelow(),
                Optional.empty());
    }

    /** R7: warfarin, ordered or stated as taken, and current. */
    static RuleResult vitaminKAntagonist(Evaluation e) {
        List<String> warfarin = e.patient.medicationsOf(Concept.WARFARIN).sources();
        return warfarin.isEmpty() ? NO_WARFARIN : fired(e, RuleId.R7, ACTIVE_WARFARIN, warfarin);
    }

    private static final Reason ACTIVE_WARFARIN = new Text("active warfarin");
    private static final RuleResult NO_WARFARIN = notFired(RuleId.R7, "no active warfarin");

    /** R8: Patient.gender is female. */
    static RuleResult femaleSex(Evaluation e) {
        if (e.patient.female()) {
            return fired(e, RuleId.R8, GENDER_FEMALE, e.patient.patientSources());
        }
        return e.patient.patientKnown() ? NOT_FEMALE : SEX_UNKNOWN;
    }

    private static final Reason GENDER_FEMALE = new Text("gender female");
    private static final RuleResult SEX_UNKNOWN = new RuleResult(RuleId.R8,
            new Verdict.Indeterminate("no Patient resource: sex unknown", "Patient"), 0, Optional.empty(), List.of());
    private static final RuleResult NOT_FEMALE = notFired(RuleId.R8, "gender not female");

    /** R9: a current diabetes Condition (type 1, type 2, other; never prediabetes). */
    static RuleResult diabetesMellitus(Evaluation e) {
        List<String> diabetes = e.currentConditions(Concept.DIABETES);
        return diabetes.isEmpty() ? NO_DIABETES : fired(e, RuleId.R9, DIABETES, diabetes);
    }

    private static final Reason DIABETES = new Text("diabetes Condition");
    private static final RuleResult NO_DIABETES = notFired(RuleId.R9, "no current diabetes Condition");

    /** R10: BMI at least 30 kg/m2; or a current obesity Condition (never E66.3 overweight). */
    static RuleResult obesity(Evaluation e) {
        return labOrCondition(e, RuleId.R10, Lab.BMI, Side.AT_LEAST, e.config.thresholds().bmiAtLeast(),
                Optional.of(OBESITY));
    }

    private static final ConditionCriterion OBESITY = new ConditionCriterion(Concept.OBESITY, "obesity Condition");

    /**
     * R11: a current Crohn's disease Condition, a current systemic glucocorticoid, iron dextran or albumin infusion;
     * one point however many. Medications are named in the order given.
     */
    static RuleResult otherExposures(Evaluation e) {
        Findings found = new Findings();
        found.add(CROHNS, e.currentConditions(Concept.CROHNS));
        for (MedicationFact m : e.patient.medications()) {
            for (Exposure exposure : EXPOSURES) {
                if (m.is(exposure.drugs())) {
                    found.add(exposure.reason(), m.sources());
                }
            }
        }
        return found.any() ? found.fired(RuleId.R11, e.pointsOf(RuleId.R11)) : NO_OTHER_EXPOSURES;
    }

    private record Exposure(Concept drugs, Reason reason) {
    }

    private static final Reason CROHNS = new Text("Crohn's disease Condition");
    private static final List<Exposure> EXPOSURES = List.of(
            new Exposure(Concept.GLUCOCORTICOID_SYSTEMIC, new Text("active systemic glucocorticoid")),
            new Exposure(Concept.IRON_DEXTRAN, new Text("active iron dextran")),
            new Exposure(Concept.ALBUMIN_INFUSION, new Text("active albumin infusion")));
    private static final RuleResult NO_OTHER_EXPOSURES =
            notFired(RuleId.R11, "no Crohn's disease, systemic glucocorticoid, iron dextran or albumin infusion");

    /** R12: a calciphylaxis Condition, whatever its clinical status (a resolved one counts). */
    static RuleResult priorCalciphylaxis(Evaluation e) {
        List<String> calciphylaxis = e.patient.conditionsOf(Concept.CALCIPHYLAXIS).sources();
        return calciphylaxis.isEmpty() ? NO_CALCIPHYLAXIS : fired(e, RuleId.R12, CALCIPHYLAXIS, calciphylaxis);
    }

    private static final Reason CALCIPHYLAXIS = new Text("calciphylaxis Condition (any clinical status)");
    private static final RuleResult NO_CALCIPHYLAXIS = notFired(RuleId.R12, "no calciphylaxis Condition");

    // ------------------------------------------------------------------ shared shapes

    /** Which side of a threshold fires, and how the comparison reads either way. */
    private enum Side {
        ABOVE(">", "<="), BELOW("<", ">="), AT_LEAST(">=", "<");

        final String fires;
        final String doesNot;

        Side(String fires, String doesNot) {
            this.fires = fires;
            this.doesNot = doesNot;
        }

        /** Whether the sign of (value - limit) is on this side. */
        boolean holds(int sign) {
            return this == ABOVE ? sign > 0 : this == BELOW ? sign < 0 : sign >= 0;
        }
    }

    /** A current Condition of a value set as a criterion: its reason when found, and when not. */
    private record ConditionCriterion(Concept valueSet, Reason found, Reason notFound) {
        ConditionCriterion(Concept valueSet, String name) {
            this(valueSet, new Text(name), new Text("no " + name));
        }
    }

    /**
     * A rule on the latest value of one lab result against a threshold, or (where the rule has one) a current
     * Condition; when it does not fire, Indeterminate if a newer value of the lab could not be read.
     */
    private static RuleResult labOrCondition(Evaluation e, RuleId rule, Lab lab, Side side, UnitThreshold limit,
                                             Optional<ConditionCriterion> condition) {
        Optional<LabValue> latest = e.latest(lab);
        Findings found = new Findings();
        if (latest.isPresent() && side.holds(compare(latest.get(), limit))) {
            LabValue v = latest.get();
            found.add(new Comparison(v, side.fires, limit), List.of(v.source()), v.measurement());
        }
        if (condition.isPresent()) {
            found.add(condition.get().found(), e.currentConditions(condition.get().valueSet()));
        }
        if (found.any()) {
            return found.fired(rule, e.pointsOf(rule));
        }
        Optional<SkippedLab> unreadable = e.unreadableNewerThan(lab, latest);
        if (unreadable.isPresent()) {
            return indeterminate(rule, unreadable.get());
        }
        Reason value = latest.<Reason>map(v -> new Comparison(v, side.doesNot, limit))
                .orElseGet(() -> new Text("no " + lab.label() + " in lookback"));
        Reason why = condition.<Reason>map(c -> new Reason.All(List.of(value, c.notFound()))).orElse(value);
        return new RuleResult(rule, new Verdict.NotFired(why), 0, latest.map(LabValue::measurement),
                latest.map(v -> List.of(v.source())).orElse(List.of()));
    }

    /** Sign of (value - limit), as {@link UnitThreshold#compare} gives it. */
    private static int compare(Measured value, UnitThreshold limit) {
        return limit.compare(value.value(), value.unit(), value.canonicalValue());
    }

    private static RuleResult fired(Evaluation e, RuleId rule, Reason why, List<String> sources) {
        return new RuleResult(rule, new Verdict.Fired(why), e.pointsOf(rule), Optional.empty(), sources);
    }

    /** Not fired for want of data: the same result whoever the patient, so made once. */
    private static RuleResult notFired(RuleId rule, String reason) {
        return new RuleResult(rule, new Verdict.NotFired(reason), 0, Optional.empty(), List.of());
    }

    private static RuleResult indeterminate(RuleId rule, SkippedLab s) {
        return new RuleResult(rule, new Verdict.Indeterminate(s.reason(), s.source()), 0, Optional.empty(),
                List.of(s.source()));
    }
}
