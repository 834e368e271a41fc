package calciscreen.screening.context;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;

/** A search's every page, followed by its {@code next} links. */
public final class SearchPages {

    private SearchPages() {
    }

    /** Every resource of every page of {@code query} (a search URL relative to the client's base). */
    public static List<Resource> all(IGenericClient client, String query) {
        List<Resource> all = new ArrayList<>();
        Bundle page = client.search().byUrl(query).returnBundle(Bundle.class).execute();
        while (true) {
            for (Bundle.BundleEntryComponent e : page.getEntry()) {
                if (e.hasResource()) {
                    all.add(e.getResource());
                }
            }
            if (page.getLink(Bundle.LINK_NEXT) == null) {
                return all;
            }
            page = client.loadPage().next(page).execute();
        }
    }
}
