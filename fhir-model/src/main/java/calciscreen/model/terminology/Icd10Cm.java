package calciscreen.model.terminology;

import java.util.Locale;

/**
 * ICD-10-CM codes the rules read (docs/screening-rules.md, "Codes"). Codes are compared after {@link #normalise}:
 * with or without the dot, any case ("E83.52" = "e8352").
 */
public final class Icd10Cm {

    public static final String SYSTEM = CodeSystems.ICD_10_CM;

    public static final Code CKD_STAGE_5 = code("N18.5", "Chronic kidney disease, stage 5");
    public static final Code END_STAGE_RENAL_DISEASE = code("N18.6", "End stage renal disease");
    public static final Code DEPENDENCE_ON_RENAL_DIALYSIS = code("Z99.2", "Dependence on renal dialysis");
    public static final Code HYPERCALCEMIA = code("E83.52", "Hypercalcemia");
    /** "Other disorders of calcium metabolism": calciphylaxis only when the coding's display or the text names it. */
    public static final Code OTHER_DISORDERS_OF_CALCIUM_METABOLISM = code("E83.59", "Other disorders of calcium metabolism");
    public static final Code PRIMARY_HYPERPARATHYROIDISM = code("E21.0", "Primary hyperparathyroidism");
    public static final Code SECONDARY_HYPERPARATHYROIDISM_NEC =
            code("E21.1", "Secondary hyperparathyroidism, not elsewhere classified");
    public static final Code OTHER_HYPERPARATHYROIDISM = code("E21.2", "Other hyperparathyroidism");
    public static final Code HYPERPARATHYROIDISM_UNSPECIFIED = code("E21.3", "Hyperparathyroidism, unspecified");
    public static final Code SECONDARY_HYPERPARATHYROIDISM_OF_RENAL_ORIGIN =
            code("N25.81", "Secondary hyperparathyroidism of renal origin");
    // Category codes used as prefixes (docs/screening-rules.md says "prefix")
    public static final Code DIABETES_DUE_TO_UNDERLYING_CONDITION = code("E08", "Diabetes mellitus due to underlying condition");
    public static final Code DRUG_INDUCED_DIABETES = code("E09", "Drug or chemical induced diabetes mellitus");
    public static final Code TYPE_1_DIABETES = code("E10", "Type 1 diabetes mellitus");
    public static final Code TYPE_2_DIABETES = code("E11", "Type 2 diabetes mellitus");
    public static final Code OTHER_SPECIFIED_DIABETES = code("E13", "Other specified diabetes mellitus");
    public static final Code OVERWEIGHT_AND_OBESITY = code("E66", "Overweight and obesity");
    /** Overweight: excluded from the E66 prefix. */
    public static final Code OVERWEIGHT = code("E66.3", "Overweight");
    public static final Code CROHNS_DISEASE = code("K50", "Crohn's disease [regional enteritis]");
    /** Prediabetes: deliberately NOT in {@link Concept#DIABETES}. */
    public static final Code PREDIABETES = code("R73.03", "Prediabetes");

    private Icd10Cm() {
    }

    /** Upper case, trimmed, without dots: the form codes are compared in. */
    public static String normalise(String code) {
        return code == null ? "" : code.trim().replace(".", "").toUpperCase(Locale.ROOT);
    }

    private static Code code(String code, String display) {
        return new Code(SYSTEM, code, display);
    }
}
