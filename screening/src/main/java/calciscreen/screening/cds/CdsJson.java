package calciscreen.screening.cds;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * The JSON shapes of CDS Hooks 2.0 this service answers with, field for field as the specification names them
 * (https://cds-hooks.hl7.org/2.0/). Absent optional fields are left out, never sent as null.
 */
public final class CdsJson {

    private CdsJson() {
    }

    /** {@code GET /cds-services}. */
    public record Discovery(List<Service> services) {}

    /** One service of the discovery response: hook, description and id are required; title and prefetch optional. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Service(String hook, String title, String description, String id, Map<String, String> prefetch,
                          String usageRequirements) {}

    /** A CDS service response: {@code {"cards": [...]}}. */
    public record Response(List<Card> cards) {
        public static Response none() {
            return new Response(List.of());
        }
    }

    /**
     * A card: summary (under 140 characters), indicator (info, warning, critical) and source are required;
     * {@code overrideReasons} are the codings the EHR may send back in its feedback.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Card(String uuid, String summary, String detail, String indicator, Source source,
                       List<Link> links, List<Coding> overrideReasons) {}

    /** Who the card comes from; label required, url and topic optional. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Source(String label, String url, Coding topic) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Coding(String system, String code, String display) {}

    /** A link: label, url and type ({@code absolute} or {@code smart}) required. */
    public record Link(String label, String url, String type) {}

    /** What the service answers on a refused call (not a CDS Hooks shape: the spec leaves errors to HTTP). */
    public record Error(String error, String message) {}
}
