package calciscreen.model.terminology;

import java.util.List;

/**
 * RxNorm concepts the medication rules read (docs/screening-rules.md, R7 and R11).
 *
 * <p>Sources of the clinical drug (SCD) lists:
 * <ul>
 *   <li>Warfarin: NLM VSAC value set "Warfarin", OID 2.16.840.1.113883.3.117.1.7.1.232, definition 20210220,
 *       expansion "eCQM Update 2025-05-08" (as vendored in github.com/canvas-medical/canvas-plugins,
 *       canvas_sdk/value_set/v2026/medication.py, class {@code Warfarin}).</li>
 *   <li>Oral glucocorticoids: NLM VSAC value set "Glucocorticoids (oral only)", OID
 *       2.16.840.1.113883.3.464.1003.196.12.1266, expansion "eCQM Update 2021-05-06" (same repository,
 *       canvas_sdk/value_set/v2022/medication.py, class {@code GlucocorticoidsOralOnly}), restricted to the five
 *       ingredients docs/screening-rules.md names.</li>
 *   <li>Hydrocortisone 10 MG/ML Topical Cream 106258: the example docs/screening-rules.md gives of an excluded form.</li>
 * </ul>
 * Injectable glucocorticoids and albumin products are matched by ingredient name (see {@link Concept}); their SCD
 * codes were not verified here and are deliberately not listed, so an unknown code falls back to the name.
 */
public final class RxNorm {

    public static final String SYSTEM = CodeSystems.RXNORM;

    // --- Warfarin (R7) ---
    public static final Code WARFARIN = code("11289", "warfarin");
    /** Warfarin sodium oral tablets (SCD), VSAC "Warfarin" 2.16.840.1.113883.3.117.1.7.1.232. */
    public static final List<Code> WARFARIN_CLINICAL_DRUGS = List.of(
            code("855288", "warfarin sodium 1 MG Oral Tablet"),
            code("855296", "warfarin sodium 10 MG Oral Tablet"),
            code("855302", "warfarin sodium 2 MG Oral Tablet"),
            code("855312", "warfarin sodium 2.5 MG Oral Tablet"),
            code("855318", "warfarin sodium 3 MG Oral Tablet"),
            code("855324", "warfarin sodium 4 MG Oral Tablet"),
            code("855332", "warfarin sodium 5 MG Oral Tablet"),
            code("855338", "warfarin sodium 6 MG Oral Tablet"),
            code("855344", "warfarin sodium 7.5 MG Oral Tablet"),
            // 855350 is not in the VSAC expansion above; it is kept because the project brief lists it and public
            // secondary sources label it a warfarin sodium oral tablet. Display not verified against RxNav.
            code("855350", "warfarin sodium Oral Tablet"));

    // --- Systemic glucocorticoids (R11) ---
    public static final Code PREDNISONE = code("8640", "prednisone");
    public static final Code PREDNISOLONE = code("8638", "prednisolone");
    public static final Code METHYLPREDNISOLONE = code("6902", "methylprednisolone");
    public static final Code DEXAMETHASONE = code("3264", "dexamethasone");
    public static final Code HYDROCORTISONE = code("5492", "hydrocortisone");
    public static final List<Code> GLUCOCORTICOID_INGREDIENTS =
            List.of(PREDNISONE, PREDNISOLONE, METHYLPREDNISOLONE, DEXAMETHASONE, HYDROCORTISONE);
    /**
     * Oral clinical drugs and packs of the five ingredients, VSAC "Glucocorticoids (oral only)". Note: VSAC gives
     * 312615 = prednisone 20 MG and 312617 = prednisone 5 MG (the rule set's first draft labelled them 5 MG and
     * 10 MG; docs/screening-rules.md names no strength); both codes are systemic prednisone either way, so both count.
     */
    public static final List<Code> GLUCOCORTICOID_SYSTEMIC_CLINICAL_DRUGS = List.of(
            code("197577", "dexamethasone 0.5 MG Oral Tablet"),
            code("197579", "dexamethasone 1 MG Oral Tablet"),
            code("197580", "dexamethasone 1.5 MG Oral Tablet"),
            code("197581", "dexamethasone 2 MG Oral Tablet"),
            code("197582", "dexamethasone 4 MG Oral Tablet"),
            code("197583", "dexamethasone 6 MG Oral Tablet"),
            code("343033", "dexamethasone 0.75 MG Oral Tablet"),
            code("2261802", "dexamethasone 20 MG Oral Tablet"),
            code("309684", "dexamethasone 1 MG/ML Oral Solution"),
            code("309686", "dexamethasone 0.1 MG/ML Oral Solution"),
            code("759481", "{51 (dexamethasone 1.5 MG Oral Tablet) } Pack"),
            code("759697", "{35 (dexamethasone 1.5 MG Oral Tablet) } Pack"),
            code("846192", "{21 (dexamethasone 1.5 MG Oral Tablet) } Pack"),
            code("2121587", "{39 (dexamethasone 1.5 MG Oral Tablet) } Pack"),
            code("197783", "hydrocortisone 20 MG Oral Tablet"),
            code("197787", "hydrocortisone 5 MG Oral Tablet"),
            code("197969", "methylprednisolone 2 MG Oral Tablet"),
            code("197971", "methylprednisolone 32 MG Oral Tablet"),
            code("197973", "methylprednisolone 8 MG Oral Tablet"),
            code("259966", "methylprednisolone 4 MG Oral Tablet"),
            code("328161", "methylprednisolone 16 MG Oral Tablet"),
            code("762675", "{21 (methylprednisolone 4 MG Oral Tablet) } Pack"),
            code("198142", "prednisolone 5 MG Oral Tablet"),
            code("249066", "prednisolone 5 MG/ML Oral Solution"),
            code("283077", "prednisolone 3 MG/ML Oral Solution"),
            code("312614", "prednisolone 1 MG/ML Oral Solution"),
            code("429199", "prednisolone 20 MG Oral Tablet"),
            code("643123", "prednisolone 10 MG Disintegrating Oral Tablet"),
            code("643127", "prednisolone 30 MG Disintegrating Oral Tablet"),
            code("702306", "prednisolone 4 MG/ML Oral Solution"),
            code("793099", "prednisolone 3 MG/ML Oral Suspension"),
            code("794979", "prednisolone 2 MG/ML Oral Solution"),
            code("1005830", "{48 (prednisolone 5 MG Oral Tablet) } Pack"),
            code("1013114", "{21 (prednisolone 5 MG Oral Tablet) } Pack"),
            code("198144", "prednisone 1 MG Oral Tablet"),
            code("198145", "prednisone 10 MG Oral Tablet"),
            code("198146", "prednisone 2.5 MG Oral Tablet"),
            code("198148", "prednisone 50 MG Oral Tablet"),
            code("205301", "prednisone 5 MG/ML Oral Solution"),
            code("312615", "prednisone 20 MG Oral Tablet"),
            code("312617", "prednisone 5 MG Oral Tablet"),
            code("315187", "prednisone 1 MG/ML Oral Solution"),
            code("763179", "{48 (prednisone 5 MG Oral Tablet) } Pack"),
            code("763181", "{21 (prednisone 5 MG Oral Tablet) } Pack"),
            code("763183", "{48 (prednisone 10 MG Oral Tablet) } Pack"),
            code("763185", "{21 (prednisone 10 MG Oral Tablet) } Pack"),
            code("1303125", "prednisone 1 MG Delayed Release Oral Tablet"),
            code("1303132", "prednisone 2 MG Delayed Release Oral Tablet"),
            code("1303135", "prednisone 5 MG Delayed Release Oral Tablet"));
    /** Non-systemic forms that never count, whatever else the coding says. */
    public static final Code HYDROCORTISONE_TOPICAL_CREAM = code("106258", "hydrocortisone 10 MG/ML Topical Cream");
    public static final List<Code> GLUCOCORTICOID_NON_SYSTEMIC = List.of(HYDROCORTISONE_TOPICAL_CREAM);

    // --- Iron dextran (R11) ---
    public static final Code IRON_DEXTRAN = code("5992", "iron-dextran complex");
    public static final Code IRON_DEXTRAN_50_MG_PER_ML_INJECTABLE = code("311144", "iron dextran 50 MG/ML Injectable Solution");

    // --- Albumin infusion (R11) ---
    public static final Code ALBUMIN_HUMAN = code("828529", "albumin human, USP");

    private RxNorm() {
    }

    private static Code code(String code, String display) {
        return new Code(SYSTEM, code, display);
    }
}
