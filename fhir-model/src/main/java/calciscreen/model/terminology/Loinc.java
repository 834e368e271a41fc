package calciscreen.model.terminology;

/**
 * LOINC codes the rules read (docs/screening-rules.md, "Codes"). Displays are the LOINC long common names as
 * we emit them; matching never looks at a display.
 */
public final class Loinc {

    public static final String SYSTEM = CodeSystems.LOINC;

    // Calcium, total (mass and molar codes compete together)
    public static final Code CALCIUM_SERUM_MASS = code("17861-6", "Calcium [Mass/volume] in Serum or Plasma");
    public static final Code CALCIUM_BLOOD_MASS = code("49765-1", "Calcium [Mass/volume] in Blood");
    public static final Code CALCIUM_SERUM_MOLES = code("2000-8", "Calcium [Moles/volume] in Serum or Plasma");
    // Calcium, albumin-corrected as reported by the lab (counts as the corrected value itself)
    public static final Code CALCIUM_ALBUMIN_CORRECTED_MASS =
            code("46099-8", "Calcium.albumin corrected [Mass/volume] in Serum or Plasma");
    public static final Code CALCIUM_ALBUMIN_CORRECTED_MOLES =
            code("29265-6", "Calcium.albumin corrected [Moles/volume] in Serum or Plasma");
    /** Protein-corrected calcium: named here only so that tests and readers see it is deliberately NOT read. */
    public static final Code CALCIUM_PROTEIN_CORRECTED_MASS =
            code("18281-6", "Calcium.protein corrected [Mass/volume] in Serum or Plasma");
    // Calcium, ionized
    public static final Code CALCIUM_IONIZED_BLOOD_MOLES = code("1994-3", "Calcium.ionized [Moles/volume] in Blood");
    public static final Code CALCIUM_IONIZED_SERUM_MOLES =
            code("1995-0", "Calcium.ionized [Moles/volume] in Serum or Plasma");
    public static final Code CALCIUM_IONIZED_SERUM_MASS =
            code("17863-2", "Calcium.ionized [Mass/volume] in Serum or Plasma");
    // Phosphate
    public static final Code PHOSPHATE_MASS = code("2777-1", "Phosphate [Mass/volume] in Serum or Plasma");
    public static final Code PHOSPHATE_MOLES = code("14879-1", "Phosphate [Moles/volume] in Serum or Plasma");
    // Parathyrin (PTH), intact
    public static final Code PTH_INTACT_MASS = code("2731-8", "Parathyrin.intact [Mass/volume] in Serum or Plasma");
    public static final Code PTH_INTACT_MOLES = code("14866-8", "Parathyrin.intact [Moles/volume] in Serum or Plasma");
    // Albumin
    public static final Code ALBUMIN_MASS = code("1751-7", "Albumin [Mass/volume] in Serum or Plasma");
    public static final Code ALBUMIN_BCG =
            code("61151-7", "Albumin [Mass/volume] in Serum or Plasma by Bromocresol green (BCG) dye binding method");
    public static final Code ALBUMIN_BCP =
            code("61152-5", "Albumin [Mass/volume] in Serum or Plasma by Bromocresol purple (BCP) dye binding method");
    // Body mass index
    public static final Code BMI = code("39156-5", "Body mass index (BMI) [Ratio]");

    private Loinc() {
    }

    private static Code code(String code, String display) {
        return new Code(SYSTEM, code, display);
    }
}
