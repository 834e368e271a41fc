package calciscreen.model.terminology;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;

/**
 * The value sets the rules read: one constant per concept of docs/screening-rules.md, "Codes".
 *
 * <p>A {@link CodeableConcept} is in a value set when one of its codings is (system + code, see {@link Code}), with
 * the refinements the document gives:
 * <ul>
 *   <li>ICD-10-CM with or without the dot; category codes as prefixes where the document says prefix; exclusions
 *       (E66.3 overweight) win over prefixes; E83.59 is calciphylaxis only when the coding's display or the
 *       concept's text names calciphylaxis.</li>
 *   <li>Medications: a listed RxNorm clinical drug counts; a listed excluded code (topical hydrocortisone) never
 *       counts; an ingredient code counts unless a display or the text names a non-systemic dose form; failing a
 *       known code, the ingredient's name in any {@code coding.display} or in {@code text} (case-insensitive, whole
 *       words) counts unless a non-systemic dose form word is also named.</li>
 *   <li>Codes in other systems do not match unless listed here.</li>
 * </ul>
 */
public enum Concept {

    // ---- laboratory (LOINC) ----
    CALCIUM_TOTAL(Members.of(Loinc.CALCIUM_SERUM_MASS, Loinc.CALCIUM_BLOOD_MASS, Loinc.CALCIUM_SERUM_MOLES)),
    /** Albumin-corrected calcium as reported by the lab; NOT the protein-corrected 18281-6. */
    CALCIUM_TOTAL_CORRECTED(Members.of(Loinc.CALCIUM_ALBUMIN_CORRECTED_MASS, Loinc.CALCIUM_ALBUMIN_CORRECTED_MOLES)),
    CALCIUM_IONIZED(Members.of(Loinc.CALCIUM_IONIZED_BLOOD_MOLES, Loinc.CALCIUM_IONIZED_SERUM_MOLES,
            Loinc.CALCIUM_IONIZED_SERUM_MASS)),
    PHOSPHATE(Members.of(Loinc.PHOSPHATE_MASS, Loinc.PHOSPHATE_MOLES)),
    PTH(Members.of(Loinc.PTH_INTACT_MASS, Loinc.PTH_INTACT_MOLES)),
    ALBUMIN(Members.of(Loinc.ALBUMIN_MASS, Loinc.ALBUMIN_BCG, Loinc.ALBUMIN_BCP)),
    BMI(Members.of(Loinc.BMI)),

    // ---- conditions ----
    KIDNEY_FAILURE(Members.of(Snomed.END_STAGE_RENAL_DISEASE, Snomed.CKD_STAGE_5, Snomed.CKD_STAGE_5_ON_DIALYSIS,
            Snomed.DEPENDENCE_ON_RENAL_DIALYSIS, Snomed.END_STAGE_RENAL_FAILURE_ON_DIALYSIS,
            Icd10Cm.CKD_STAGE_5, Icd10Cm.END_STAGE_RENAL_DISEASE, Icd10Cm.DEPENDENCE_ON_RENAL_DIALYSIS)),
    HYPERCALCEMIA(Members.of(Snomed.HYPERCALCEMIA, Icd10Cm.HYPERCALCEMIA)),
    HYPERPARATHYROIDISM(Members.of(Snomed.HYPERPARATHYROIDISM, Snomed.PRIMARY_HYPERPARATHYROIDISM,
            Snomed.SECONDARY_HYPERPARATHYROIDISM, Snomed.HYPERPARATHYROIDISM_DUE_TO_RENAL_INSUFFICIENCY,
            Snomed.TERTIARY_HYPERPARATHYROIDISM, Icd10Cm.PRIMARY_HYPERPARATHYROIDISM,
            Icd10Cm.SECONDARY_HYPERPARATHYROIDISM_NEC, Icd10Cm.OTHER_HYPERPARATHYROIDISM,
            Icd10Cm.HYPERPARATHYROIDISM_UNSPECIFIED, Icd10Cm.SECONDARY_HYPERPARATHYROIDISM_OF_RENAL_ORIGIN)),
    /** Prediabetes (ICD-10-CM R73.x, SNOMED 714628002) is deliberately absent. */
    DIABETES(Members.of(Snomed.DIABETES_MELLITUS, Snomed.DIABETES_MELLITUS_TYPE_2, Snomed.DIABETES_MELLITUS_TYPE_1)
            .withIcd10Prefixes(Icd10Cm.DIABETES_DUE_TO_UNDERLYING_CONDITION, Icd10Cm.DRUG_INDUCED_DIABETES,
                    Icd10Cm.TYPE_1_DIABETES, Icd10Cm.TYPE_2_DIABETES, Icd10Cm.OTHER_SPECIFIED_DIABETES)),
    /** E66 as a prefix except E66.3 (overweight); Z68.30-Z68.45 (adult BMI 30 and over). */
    OBESITY(Members.of(Snomed.OBESITY, Snomed.BMI_30_PLUS_OBESITY, Snomed.BMI_40_PLUS_SEVERELY_OBESE,
            Snomed.MORBID_OBESITY)
            .withIcd10Prefixes(Icd10Cm.OVERWEIGHT_AND_OBESITY)
            .withExcluded(Icd10Cm.OVERWEIGHT)
            .withMoreCodes(adultBmi30To45())),
    CROHNS(Members.of(Snomed.CROHNS_DISEASE).withIcd10Prefixes(Icd10Cm.CROHNS_DISEASE)),
    /** SNOMED 403783002; ICD-10-CM E83.59 only when its display or the text names calciphylaxis. */
    CALCIPHYLAXIS(Members.of(Snomed.CALCIPHYLAXIS)
            .withCodeRequiringMention(Icd10Cm.OTHER_DISORDERS_OF_CALCIUM_METABOLISM, "calciphylaxis")),

    // ---- dialysis ----
    DIALYSIS_PROCEDURE(Members.of(Snomed.RENAL_DIALYSIS, Snomed.HEMODIALYSIS, Snomed.PERITONEAL_DIALYSIS,
            Snomed.DIALYSIS_PROCEDURE)),
    /** The code of a dialysis-status Observation: SNOMED 105502003 or any code of our dialysis-status CodeSystem. */
    DIALYSIS_STATUS(Members.of(Snomed.DEPENDENCE_ON_RENAL_DIALYSIS, DialysisStatus.ON_DIALYSIS)
            .withAnyCodeOf(CodeSystems.DIALYSIS_STATUS)),

    // ---- medications (RxNorm) ----
    WARFARIN(Members.of(RxNorm.WARFARIN_CLINICAL_DRUGS.toArray(Code[]::new))
            .withIngredients(RxNorm.WARFARIN)
            .withNames("warfarin")),
    /** Systemic = oral or injectable; topical, ophthalmic, otic, nasal, inhaled and rectal forms never count. */
    GLUCOCORTICOID_SYSTEMIC(Members.of(RxNorm.GLUCOCORTICOID_SYSTEMIC_CLINICAL_DRUGS.toArray(Code[]::new))
            .withIngredients(RxNorm.GLUCOCORTICOID_INGREDIENTS.toArray(Code[]::new))
            .withExcluded(RxNorm.GLUCOCORTICOID_NON_SYSTEMIC.toArray(Code[]::new))
            .withNames("prednisone", "prednisolone", "methylprednisolone", "dexamethasone", "hydrocortisone")
            .withExcludedFormWords(Members.NON_SYSTEMIC_FORM_WORDS)),
    /** Never plain iron: ferrous sulfate, iron sucrose etc. do not count. */
    IRON_DEXTRAN(Members.of(RxNorm.IRON_DEXTRAN_50_MG_PER_ML_INJECTABLE)
            .withIngredients(RxNorm.IRON_DEXTRAN)
            .withNames("iron dextran", "iron-dextran")),
    ALBUMIN_INFUSION(Members.of()
            .withIngredients(RxNorm.ALBUMIN_HUMAN)
            .withNames("albumin human", "albumin (human)", "human albumin"));

    /** The concepts the rules read from Conditions (the "conditions" above). */
    public static final Set<Concept> CONDITIONS = java.util.Collections.unmodifiableSet(EnumSet.of(KIDNEY_FAILURE,
            HYPERCALCEMIA, HYPERPARATHYROIDISM, DIABETES, OBESITY, CROHNS, CALCIPHYLAXIS));

    /** Classifications remembered (see {@link #classify}); a sender inventing codes empties it, never grows it. */
    private static final int MAX_CLASSIFIED = 4096;
    private static final Map<Classified, EnumSet<Concept>> CLASSIFIED = new ConcurrentHashMap<>();

    private final Members members;

    Concept(Members members) {
        this.members = members;
    }

    /** Every code listed for this concept (explicit codes, prefixes as their category code, ingredients). */
    public List<Code> codes() {
        return members.all();
    }

    /**
     * Token search values ({@code code=a,b,...}) that match every CodeableConcept one of these concepts may match:
     * <ul>
     *   <li>each listed code other than ICD-10-CM's as a bare value, which matches it in any system;</li>
     *   <li>ICD-10-CM (its prefixes cannot be searched), and any system a concept takes whole, as {@code system|}, in
     *       every spelling {@link CodeSystems#canonical} reads as that system.</li>
     * </ul>
     * A superset, for a Subscription or a search that must miss nothing. It leaves out only a system or code with
     * spaces around it, or an OID in capitals, which the matching here still reads.
     */
    public static List<String> searchTokens(Set<Concept> concepts) {
        Set<String> tokens = new LinkedHashSet<>();
        Set<String> wholeSystems = new LinkedHashSet<>();
        for (Concept concept : concepts) {
            for (Code code : concept.codes()) {
                if (CodeSystems.ICD_10_CM.equals(code.system())) {
                    wholeSystems.add(CodeSystems.ICD_10_CM); // prefixes, dots and case: every code of the system
                } else {
                    tokens.add(code.code());
                }
            }
            wholeSystems.addAll(concept.members.anyCodeOfSystems());
        }
        for (String system : wholeSystems) {
            for (String spelling : CodeSystems.spellings(system)) {
                tokens.add(spelling + "|");
            }
        }
        return List.copyOf(tokens);
    }

    /** Whether one coding is in this value set (E83.59: only when the coding's own display names calciphylaxis). */
    public boolean matches(Coding coding) {
        if (coding == null) {
            return false;
        }
        CodeableConcept single = new CodeableConcept().addCoding(coding);
        return matches(single);
    }

    /** Whether a CodeableConcept is in this value set, by its codings and, for medications, by name. */
    public boolean matches(CodeableConcept concept) {
        return concept != null && members.matches(concept);
    }

    /**
     * Every concept the CodeableConcept is in, e.g. {KIDNEY_FAILURE} for SNOMED 714152005.
     *
     * <p>Remembered by what the matching reads (each coding's system, code and display, and the text): a patient's
     * record repeats the same few codes hundreds of times, and a screening classifies the whole record again at
     * every change. Bounded, like {@link CodeSystems#canonical}.
     */
    public static Set<Concept> classify(CodeableConcept concept) {
        if (concept == null) {
            return EnumSet.noneOf(Concept.class);
        }
        Classified key = Classified.of(concept);
        EnumSet<Concept> found = CLASSIFIED.get(key);
        if (found == null) {
            found = EnumSet.noneOf(Concept.class);
            for (Concept c : values()) {
                if (c.matches(concept)) {
                    found.add(c);
                }
            }
            if (CLASSIFIED.size() >= MAX_CLASSIFIED) {
                CLASSIFIED.clear();
            }
            CLASSIFIED.put(key, found);
        }
        return EnumSet.copyOf(found);
    }

    /** What {@link Members#matches} reads of a CodeableConcept, nothing more: equal keys classify alike. */
    private record Classified(String text, List<Read> codings) {

        record Read(String system, String code, boolean hasCode, String display) {}

        static Classified of(CodeableConcept concept) {
            List<Read> codings = new ArrayList<>(concept.getCoding().size());
            for (Coding coding : concept.getCoding()) {
                codings.add(new Read(coding.getSystem(), coding.getCode(), coding.hasCode(), coding.getDisplay()));
            }
            return new Classified(concept.getText(), codings);
        }
    }

    private static Code[] adultBmi30To45() {
        List<Code> codes = new ArrayList<>();
        for (int i = 30; i <= 39; i++) {
            codes.add(new Code(Icd10Cm.SYSTEM, "Z68." + i, "Body mass index [BMI] " + i + ".0-" + i + ".9, adult"));
        }
        codes.add(new Code(Icd10Cm.SYSTEM, "Z68.41", "Body mass index [BMI] 40.0-44.9, adult"));
        codes.add(new Code(Icd10Cm.SYSTEM, "Z68.42", "Body mass index [BMI] 45.0-49.9, adult"));
        codes.add(new Code(Icd10Cm.SYSTEM, "Z68.43", "Body mass index [BMI] 50.0-59.9, adult"));
        codes.add(new Code(Icd10Cm.SYSTEM, "Z68.44", "Body mass index [BMI] 60.0-69.9, adult"));
        codes.add(new Code(Icd10Cm.SYSTEM, "Z68.45", "Body mass index [BMI] 70 or greater, adult"));
        return codes.toArray(Code[]::new);
    }

    /** The members of one value set and how to match them. Immutable. */
    private record Members(List<Code> codes, List<Code> icd10Prefixes, List<Code> excluded, List<Code> ingredients,
                           List<Code> requiringMention, String mention, List<String> anyCodeOfSystems,
                           List<String> names, List<String> excludedFormWords) {

        /**
         * Dose-form words that make a glucocorticoid non-systemic (docs/screening-rules.md: topical, ophthalmic, otic,
         * nasal, inhaled and rectal forms do not count), with the RxNorm dose-form spellings of each.
         */
        static final List<String> NON_SYSTEMIC_FORM_WORDS = List.of(
                "topical", "cutaneous", "cream", "ointment", "lotion", "gel", "foam", "shampoo", "paste",
                "ophthalmic", "eye", "otic", "ear", "nasal", "inhal", "inhaler", "inhalation", "inhaled", "inhalant",
                "metered dose", "dry powder", "rectal", "enema", "suppository", "vaginal", "transdermal", "dental");

        static Members of(Code... codes) {
            return new Members(List.of(codes), List.of(), List.of(), List.of(), List.of(), "", List.of(), List.of(),
                    List.of());
        }

        Members withIcd10Prefixes(Code... categories) {
            return new Members(codes, List.of(categories), excluded, ingredients, requiringMention, mention,
                    anyCodeOfSystems, names, excludedFormWords);
        }

        Members withExcluded(Code... excludedCodes) {
            return new Members(codes, icd10Prefixes, List.of(excludedCodes), ingredients, requiringMention, mention,
                    anyCodeOfSystems, names, excludedFormWords);
        }

        Members withMoreCodes(Code... more) {
            return new Members(Stream.concat(codes.stream(), Stream.of(more)).toList(), icd10Prefixes, excluded,
                    ingredients, requiringMention, mention, anyCodeOfSystems, names, excludedFormWords);
        }

        Members withIngredients(Code... ingredientCodes) {
            return new Members(codes, icd10Prefixes, excluded, List.of(ingredientCodes), requiringMention, mention,
                    anyCodeOfSystems, names, excludedFormWords);
        }

        Members withCodeRequiringMention(Code code, String word) {
            return new Members(codes, icd10Prefixes, excluded, ingredients, List.of(code), word, anyCodeOfSystems,
                    names, excludedFormWords);
        }

        Members withAnyCodeOf(String... systems) {
            return new Members(codes, icd10Prefixes, excluded, ingredients, requiringMention, mention,
                    List.of(systems), names, excludedFormWords);
        }

        Members withNames(String... ingredientNames) {
            return new Members(codes, icd10Prefixes, excluded, ingredients, requiringMention, mention,
                    anyCodeOfSystems, List.of(ingredientNames), excludedFormWords);
        }

        Members withExcludedFormWords(List<String> words) {
            return new Members(codes, icd10Prefixes, excluded, ingredients, requiringMention, mention,
                    anyCodeOfSystems, names, List.copyOf(words));
        }

        List<Code> all() {
            Set<Code> all = new LinkedHashSet<>(codes);
            all.addAll(icd10Prefixes);
            all.addAll(ingredients);
            all.addAll(requiringMention);
            return List.copyOf(all);
        }

        boolean matches(CodeableConcept concept) {
            List<Coding> codings = concept.getCoding();
            for (Coding coding : codings) {
                if (isExcluded(coding)) {
                    return false;
                }
            }
            for (Coding coding : codings) {
                if (isListed(coding) || isMentioned(coding, concept)) {
                    return true;
                }
            }
            boolean nonSystemicNamed = namesAny(concept, excludedFormWords, true);
            for (Coding coding : codings) {
                if (!nonSystemicNamed && ingredients.stream().anyMatch(i -> i.matches(coding))) {
                    return true;
                }
            }
            return !names.isEmpty() && !nonSystemicNamed && namesAny(concept, names, false);
        }

        private boolean isExcluded(Coding coding) {
            for (Code code : excluded) {
                if (code.matches(coding)) {
                    return true;
                }
                if (CodeSystems.ICD_10_CM.equals(code.system()) && isIcd10(coding)
                        && Icd10Cm.normalise(coding.getCode()).startsWith(Icd10Cm.normalise(code.code()))) {
                    return true;
                }
            }
            return false;
        }

        private boolean isListed(Coding coding) {
            for (Code code : codes) {
                if (code.matches(coding)) {
                    return true;
                }
            }
            if (isIcd10(coding)) {
                String normalised = Icd10Cm.normalise(coding.getCode());
                for (Code category : icd10Prefixes) {
                    if (normalised.startsWith(Icd10Cm.normalise(category.code()))) {
                        return true;
                    }
                }
            }
            if (coding.hasCode()) {
                for (String system : anyCodeOfSystems) {
                    if (CodeSystems.same(system, coding.getSystem())) {
                        return true;
                    }
                }
            }
            return false;
        }

        private boolean isMentioned(Coding coding, CodeableConcept concept) {
            for (Code code : requiringMention) {
                if (code.matches(coding)
                        && (containsWord(coding.getDisplay(), mention, false)
                        || containsWord(concept.getText(), mention, false))) {
                    return true;
                }
            }
            return false;
        }

        private static boolean isIcd10(Coding coding) {
            return coding.hasCode() && CodeSystems.same(CodeSystems.ICD_10_CM, coding.getSystem());
        }

        private static boolean namesAny(CodeableConcept concept, List<String> words, boolean prefixOk) {
            if (words.isEmpty()) {
                return false;
            }
            List<String> texts = new ArrayList<>();
            Optional.ofNullable(concept.getText()).ifPresent(texts::add);
            for (Coding coding : concept.getCoding()) {
                Optional.ofNullable(coding.getDisplay()).ifPresent(texts::add);
            }
            for (String text : texts) {
                for (String word : words) {
                    if (containsWord(text, word, prefixOk && word.equals("inhal"))) {
                        return true;
                    }
                }
            }
            return false;
        }

        /** Case-insensitive; the match may not continue a longer word ("prednisolone" is not in "methylprednisolone"). */
        static boolean containsWord(String text, String word, boolean asPrefix) {
            if (text == null || text.isEmpty()) {
                return false;
            }
            String t = text.toLowerCase(Locale.ROOT);
            String w = word.toLowerCase(Locale.ROOT);
            int from = 0;
            while (true) {
                int i = t.indexOf(w, from);
                if (i < 0) {
                    return false;
                }
                int end = i + w.length();
                boolean startOk = i == 0 || !Character.isLetter(t.charAt(i - 1));
                boolean endOk = asPrefix || end == t.length() || !Character.isLetter(t.charAt(end));
                if (startOk && endOk) {
                    return true;
                }
                from = i + 1;
            }
        }
    }
}
