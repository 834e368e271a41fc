package calciscreen.model.resources;

import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TimeZone;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Narrative;
import org.hl7.fhir.r4.model.Reference;

/** Small helpers the builders share: argument checks, references, times in UTC, escaped narrative. */
final class Fhir {

    private static final TimeZone UTC = TimeZone.getTimeZone("UTC");

    private Fhir() {
    }

    static String require(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(what + " is required");
        }
        return value.trim();
    }

    static <T> T require(T value, String what) {
        if (value == null) {
            throw new IllegalArgumentException(what + " is required");
        }
        return value;
    }

    /** A Reference with exactly the given reference string ("Observation/12", an absolute URL, a urn:uuid). */
    static Reference reference(String reference) {
        return new Reference(require(reference, "a reference"));
    }

    /** The references in first-seen order, trimmed, without duplicates; a blank one is rejected. */
    static List<String> distinct(Collection<String> references, String what) {
        Objects.requireNonNull(references, what);
        Set<String> seen = new LinkedHashSet<>();
        for (String reference : references) {
            seen.add(require(reference, what + " (an element)"));
        }
        return List.copyOf(seen);
    }

    /**
     * A reference as compared by the semantic states: {@code Type/id} without base or version when it names a
     * resource type and an id ({@code http://h/fhir/Observation/12/_history/3} and {@code Observation/12} are the
     * same evidence); anything else (a urn:uuid) as written.
     */
    static String normalise(String reference) {
        if (reference == null || reference.isBlank()) {
            return "";
        }
        String trimmed = reference.trim();
        if (trimmed.startsWith("urn:") || trimmed.startsWith("#")) {
            return trimmed;
        }
        IdType id = new IdType(trimmed);
        if (id.hasResourceType() && id.hasIdPart()) {
            return id.getResourceType() + "/" + id.getIdPart();
        }
        return trimmed;
    }

    static List<String> normalisedSorted(Collection<String> references) {
        List<String> out = new ArrayList<>(new LinkedHashSet<>(references.stream().map(Fhir::normalise)
                .filter(s -> !s.isEmpty()).toList()));
        out.sort(null);
        return List.copyOf(out);
    }

    static boolean isOfType(String reference, String resourceType) {
        return normalise(reference).startsWith(resourceType + "/");
    }

    /** A dateTime in UTC with millisecond precision, e.g. {@code 2025-03-01T10:15:30.000Z}. */
    static DateTimeType dateTime(Instant at) {
        DateTimeType dateTime = new DateTimeType(Date.from(require(at, "a time")), TemporalPrecisionEnum.MILLI, UTC);
        dateTime.setTimeZoneZulu(true);
        return dateTime;
    }

    static Instant instant(DateTimeType dateTime) {
        return dateTime == null || dateTime.getValue() == null ? null : dateTime.getValue().toInstant();
    }

    /** A generated narrative around the given XHTML body (the caller escapes every text it puts in). */
    static Narrative narrative(String xhtmlBody) {
        Narrative narrative = new Narrative();
        narrative.setStatus(Narrative.NarrativeStatus.GENERATED);
        narrative.setDivAsString("<div xmlns=\"http://www.w3.org/1999/xhtml\">" + xhtmlBody + "</div>");
        return narrative;
    }

    /** Text made safe for XHTML content and attributes; control characters other than tab and newline dropped. */
    static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> {
                    if (c >= 0x20 || c == '\t' || c == '\n') {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }
}
