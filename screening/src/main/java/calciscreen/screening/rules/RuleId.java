package calciscreen.screening.rules;

/**
 * The twelve rules of rule set v1, as screening-rules.md numbers and words them. Points and thresholds are in
 * {@link RuleConfig#v1()}; the logic of each rule is the method of the same name in {@link CalciphylaxisRules}.
 */
public enum RuleId {
    R1("Kidney failure", "ESKD / CKD stage 5 / dialysis-dependence Condition; or a dialysis Procedure or a "
            + "dialysis-status Observation (on dialysis) in the lookback"),
    R2("Hypercalcemia", "corrected total calcium > 10.2 mg/dL (2.55 mmol/L); or ionized calcium > 1.32 mmol/L "
            + "(5.29 mg/dL); or a hypercalcemia Condition"),
    R3("Hyperphosphatemia", "phosphate > 5.5 mg/dL (1.78 mmol/L)"),
    R4("Calcium-phosphate product", "corrected total calcium (mg/dL) x phosphate (mg/dL) >= 55 mg2/dL2"),
    R5("Hyperparathyroidism", "intact PTH > 585 pg/mL (9 x the upper limit of 65 pg/mL; = 62.0 pmol/L); or a "
            + "hyperparathyroidism Condition (primary, secondary or renal)"),
    R6("Hypoalbuminemia", "albumin < 3.0 g/dL (30 g/L)"),
    R7("Vitamin K antagonist", "an active warfarin order or statement"),
    R8("Female sex", "Patient.gender = female"),
    R9("Diabetes mellitus", "a diabetes Condition (type 1, type 2, other)"),
    R10("Obesity", "BMI >= 30 kg/m2; or an obesity Condition"),
    R11("Other exposures", "Crohn's disease Condition; active systemic glucocorticoid; active iron dextran; active "
            + "albumin infusion (counts once)"),
    R12("Prior calciphylaxis", "a calciphylaxis Condition in any clinical status (resolved included)");

    private final String title;
    private final String criterion;

    RuleId(String title, String criterion) {
        this.title = title;
        this.criterion = criterion;
    }

    /** The rule's name, e.g. "Hyperparathyroidism". */
    public String title() {
        return title;
    }

    /** The rule's row of screening-rules.md, in words (default thresholds). */
    public String criterion() {
        return criterion;
    }
}
