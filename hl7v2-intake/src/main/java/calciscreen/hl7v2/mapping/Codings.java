package calciscreen.hl7v2.mapping;

import calciscreen.model.CanonicalUrls;
import calciscreen.model.terminology.CodeSystems;
import calciscreen.model.units.Ucum;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;

/**
 * Coded elements (CE/CWE: code^text^system^alternate code^alternate text^alternate system) as CodeableConcepts:
 * each triplet that has a code becomes a Coding, its system named by HL7 table 0396 ({@code LN} is LOINC). A code
 * from a local system is kept as sent, under a system of this facility's, and when the facility's {@code local-codes}
 * map names a LOINC code for it and no LOINC code was sent, that LOINC coding is added.
 */
public final class Codings {

    /** Local code systems of a facility: {@code <this>/<MSH-4>[/<name of coding system>]}. */
    public static final String LOCAL_SYSTEM_BASE = CanonicalUrls.BASE + "/CodeSystem/hl7v2-local";

    private static final Map<String, String> TABLE_0396 = Map.of(
            "LN", CodeSystems.LOINC,
            "LOINC", CodeSystems.LOINC,
            "SCT", CodeSystems.SNOMED_CT,
            "SNM", CodeSystems.SNOMED_CT,
            "UCUM", Ucum.SYSTEM,
            "I10", "http://hl7.org/fhir/sid/icd-10",
            "I10C", CodeSystems.ICD_10_CM);

    private Codings() {}

    /** The FHIR system of a coding system name (table 0396), or this facility's local system for any other. */
    public static String system(String name, String facility) {
        String known = name == null ? null : TABLE_0396.get(name.trim().toUpperCase(Locale.ROOT));
        if (known != null) {
            return known;
        }
        String local = LOCAL_SYSTEM_BASE + "/" + segment(facility);
        return name == null || name.isBlank() ? local : local + "/" + segment(name.trim());
    }

    /**
     * @param triplets code, text, system, alternate code, alternate text, alternate system (missing ones empty)
     * @return the concept; empty when no triplet carries a code
     */
    public static java.util.Optional<CodeableConcept> concept(String[] triplets, String facility,
                                                             Map<String, String> localCodes) {
        CodeableConcept concept = new CodeableConcept();
        boolean loinc = false;
        for (int i = 0; i + 2 < triplets.length && i <= 3; i += 3) {
            String code = triplets[i].trim();
            if (code.isEmpty()) {
                continue;
            }
            Coding coding = concept.addCoding().setSystem(system(triplets[i + 2], facility)).setCode(code);
            if (!triplets[i + 1].isBlank()) {
                coding.setDisplay(triplets[i + 1].trim());
            }
            loinc |= CodeSystems.LOINC.equals(coding.getSystem());
        }
        if (!concept.hasCoding()) {
            return java.util.Optional.empty();
        }
        if (!loinc) {
            for (Coding sent : java.util.List.copyOf(concept.getCoding())) {
                String mapped = localCodes.get(sent.getCode());
                if (mapped != null) {
                    concept.addCoding().setSystem(CodeSystems.LOINC).setCode(mapped);
                    break;
                }
            }
        }
        String text = !triplets[1].isBlank() ? triplets[1] : triplets.length > 4 ? triplets[4] : "";
        if (!text.isBlank()) {
            concept.setText(text.trim());
        }
        return java.util.Optional.of(concept);
    }

    /** A path segment of a URL we own, safe whatever the lab sent. */
    public static String segment(String text) {
        return URLEncoder.encode(text == null || text.isBlank() ? "unknown" : text.trim(), StandardCharsets.UTF_8);
    }
}
