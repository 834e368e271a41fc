package calciscreen.screening.cds;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.parser.IParser;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Resource;

/** Reads one prefetch value into HAPI resources, checking that it holds what its template asks for. */
final class PrefetchReader {

    private final FhirContext fhir;

    PrefetchReader(FhirContext fhir) {
        this.fhir = fhir;
    }

    List<Resource> read(Prefetch key, JsonNode value) {
        IParser parser = fhir.newJsonParser();
        Resource resource;
        try {
            resource = (Resource) parser.parseResource(value.toString());
        } catch (DataFormatException | ClassCastException e) {
            throw CdsException.badRequest("prefetch `" + key.key() + "` is not a readable FHIR R4 resource: "
                    + firstLine(e.getMessage()));
        }
        if (key.isRead()) {
            return List.of(resource);
        }
        Bundle bundle = (Bundle) resource;
        List<Resource> found = new ArrayList<>();
        for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
            Resource r = entry.getResource();
            if (r == null || r instanceof OperationOutcome) {
                continue;
            }
            if (!key.types().contains(r.fhirType())) {
                throw CdsException.badRequest("prefetch `" + key.key() + "` holds a " + r.fhirType() + "; its template `"
                        + key.template() + "` returns " + String.join(" and ", key.types().stream().sorted().toList()));
            }
            found.add(r);
        }
        return found;
    }

    static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        String line = message.lines().findFirst().orElse("");
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }
}
