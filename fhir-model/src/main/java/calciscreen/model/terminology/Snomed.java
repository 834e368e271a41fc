package calciscreen.model.terminology;

/**
 * SNOMED CT concepts the rules read (docs/screening-rules.md, "Codes"). Matching never looks at a display.
 */
public final class Snomed {

    public static final String SYSTEM = CodeSystems.SNOMED_CT;

    // Kidney failure (R1)
    public static final Code END_STAGE_RENAL_DISEASE = code("46177005", "End-stage renal disease");
    public static final Code CKD_STAGE_5 = code("433146000", "Chronic kidney disease stage 5");
    public static final Code CKD_STAGE_5_ON_DIALYSIS = code("714152005", "Chronic kidney disease stage 5 on dialysis");
    /** Also the code of a dialysis-status Observation (R1). */
    public static final Code DEPENDENCE_ON_RENAL_DIALYSIS = code("105502003", "Dependence on renal dialysis");
    public static final Code END_STAGE_RENAL_FAILURE_ON_DIALYSIS = code("236435004", "End stage renal failure on dialysis");
    // Dialysis procedures (R1)
    public static final Code RENAL_DIALYSIS = code("265764009", "Renal dialysis");
    public static final Code HEMODIALYSIS = code("302497006", "Hemodialysis");
    public static final Code PERITONEAL_DIALYSIS = code("71192002", "Peritoneal dialysis");
    public static final Code DIALYSIS_PROCEDURE = code("108241001", "Dialysis procedure");
    // Hypercalcemia (R2)
    public static final Code HYPERCALCEMIA = code("66931009", "Hypercalcemia");
    // Hyperparathyroidism (R5)
    public static final Code HYPERPARATHYROIDISM = code("66999008", "Hyperparathyroidism");
    public static final Code PRIMARY_HYPERPARATHYROIDISM = code("36348003", "Primary hyperparathyroidism");
    public static final Code SECONDARY_HYPERPARATHYROIDISM = code("91478007", "Secondary hyperparathyroidism");
    public static final Code HYPERPARATHYROIDISM_DUE_TO_RENAL_INSUFFICIENCY =
            code("19034001", "Hyperparathyroidism due to renal insufficiency");
    public static final Code TERTIARY_HYPERPARATHYROIDISM = code("78200003", "Tertiary hyperparathyroidism");
    // Diabetes (R9)
    public static final Code DIABETES_MELLITUS = code("73211009", "Diabetes mellitus");
    public static final Code DIABETES_MELLITUS_TYPE_2 = code("44054006", "Diabetes mellitus type 2");
    public static final Code DIABETES_MELLITUS_TYPE_1 = code("46635009", "Diabetes mellitus type 1");
    /** Prediabetes: deliberately NOT in {@link Concept#DIABETES}. */
    public static final Code PREDIABETES = code("714628002", "Prediabetes");
    // Obesity (R10)
    public static final Code OBESITY = code("414916001", "Obesity");
    public static final Code BMI_30_PLUS_OBESITY = code("162864005", "Body mass index 30+ - obesity");
    public static final Code BMI_40_PLUS_SEVERELY_OBESE = code("408512008", "Body mass index 40+ - severely obese");
    public static final Code MORBID_OBESITY = code("238136002", "Morbid obesity");
    // Crohn's disease (R11)
    public static final Code CROHNS_DISEASE = code("34000006", "Crohn's disease");
    /**
     * Calciphylaxis (R12). The display follows docs/screening-rules.md ("calciphylaxis"). It could NOT be confirmed
     * against an authoritative SNOMED CT browser from this build environment (the reference search over
     * documentation, web pages and public code found no SNOMED CT browser page or terminology file for 403783002);
     * matching uses the code only, so the display has no effect on scoring.
     * TODO(lead): confirm in https://browser.ihtsdotools.org/ before release.
     */
    public static final Code CALCIPHYLAXIS = code("403783002", "Calciphylaxis");
    // Answers that mean "no" on a dialysis-status Observation
    public static final Code NO = code("373067005", "No");
    public static final Code NEGATIVE = code("260385009", "Negative");

    private Snomed() {
    }

    private static Code code(String code, String display) {
        return new Code(SYSTEM, code, display);
    }
}
