package calciscreen.model.terminology;

import calciscreen.model.CanonicalUrls;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The code systems the rules read, and the one place that knows their aliases.
 *
 * <p>Codings are compared by system and code, never by concatenating strings. A system is
 * normalised first: the HL7 OIDs of LOINC, SNOMED CT, ICD-10-CM and RxNorm (as {@code urn:oid:})
 * and a trailing slash or {@code https} are accepted as the canonical URL (terminology.hl7.org lists
 * these OIDs for each code system).
 */
public final class CodeSystems {

    public static final String LOINC = "http://loinc.org";
    public static final String SNOMED_CT = "http://snomed.info/sct";
    public static final String ICD_10_CM = "http://hl7.org/fhir/sid/icd-10-cm";
    public static final String RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm";
    public static final String UCUM = "http://unitsofmeasure.org";
    public static final String DIALYSIS_STATUS = CanonicalUrls.DIALYSIS_STATUS_SYSTEM;
    /** HL7 v2 table 0136 (Y/N indicator), used by some senders for yes/no answers. */
    public static final String V2_YES_NO = "http://terminology.hl7.org/CodeSystem/v2-0136";

    private static final Map<String, String> ALIASES = Map.ofEntries(
            Map.entry("urn:oid:2.16.840.1.113883.6.1", LOINC),
            Map.entry("urn:oid:2.16.840.1.113883.6.96", SNOMED_CT),
            Map.entry("urn:oid:2.16.840.1.113883.6.90", ICD_10_CM),
            Map.entry("urn:oid:2.16.840.1.113883.6.88", RXNORM),
            Map.entry("urn:oid:2.16.840.1.113883.6.8", UCUM));

    private CodeSystems() {
    }

    /**
     * Systems already made canonical. A record names a handful of systems thousands of times; a screening compares
     * each of its codings with every listed code, so this is asked millions of times for a few dozen strings. Bounded:
     * a sender inventing systems empties it, never grows it without end.
     */
    private static final int MAX_REMEMBERED = 1024;
    private static final Map<String, Optional<String>> CANONICAL = new ConcurrentHashMap<>();

    /** The canonical URL of a system, or the system itself (trimmed) when it is not one we know an alias of. */
    public static Optional<String> canonical(String system) {
        if (system == null) {
            return Optional.empty();
        }
        Optional<String> known = CANONICAL.get(system);
        if (known != null) {
            return known;
        }
        if (CANONICAL.size() >= MAX_REMEMBERED) {
            CANONICAL.clear();
        }
        Optional<String> canonical = canonicalOf(system);
        CANONICAL.put(system, canonical);
        return canonical;
    }

    private static Optional<String> canonicalOf(String system) {
        if (system.isBlank()) {
            return Optional.empty();
        }
        String s = system.trim();
        String alias = ALIASES.get(s.toLowerCase(java.util.Locale.ROOT));
        if (alias != null) {
            return Optional.of(alias);
        }
        if (s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        if (s.startsWith("https://")) {
            String http = "http://" + s.substring("https://".length());
            if (isKnown(http)) {
                return Optional.of(http);
            }
        }
        return Optional.of(s);
    }

    /**
     * The spellings of a system that {@link #canonical} reads as it: itself, with a trailing slash, in {@code https}
     * (for the systems it knows) with and without the slash, and its OIDs.
     */
    public static List<String> spellings(String system) {
        Set<String> spellings = new LinkedHashSet<>(List.of(system, system + "/"));
        if (isKnown(system) && system.startsWith("http://")) {
            String https = "https://" + system.substring("http://".length());
            spellings.add(https);
            spellings.add(https + "/");
        }
        ALIASES.forEach((oid, canonical) -> {
            if (canonical.equals(system)) {
                spellings.add(oid);
            }
        });
        return List.copyOf(spellings);
    }

    /** True when both name the same code system (after {@link #canonical(String)}). */
    public static boolean same(String a, String b) {
        if (a != null && a.equals(b)) {
            return !a.isBlank(); // the usual case: a coding spelling the system as we do
        }
        Optional<String> ca = canonical(a);
        return ca.isPresent() && ca.equals(canonical(b));
    }

    private static boolean isKnown(String url) {
        return url.equals(LOINC) || url.equals(SNOMED_CT) || url.equals(ICD_10_CM) || url.equals(RXNORM)
                || url.equals(UCUM) || url.equals(DIALYSIS_STATUS);
    }
}
