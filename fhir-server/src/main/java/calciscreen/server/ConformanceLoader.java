package calciscreen.server;

import calciscreen.model.resources.Conformance;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.util.ISearchParamRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.ContextRefreshedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Loads the conformance resources calciscreen owns at every start, each by its fixed id (an update that changes
 * nothing makes no new version): fhir-model's CodeSystems and profiles, so {@code $validate} against our Flag and
 * RiskAssessment profiles works, and the server's own SearchParameters.
 */
@Component
public class ConformanceLoader {

    private static final Logger log = LoggerFactory.getLogger(ConformanceLoader.class);
    static final List<String> SERVER_RESOURCES = List.of("conformance/SearchParameter-flag-status.json",
            "conformance/SearchParameter-auditevent-entity-id.json");

    private final FhirContext fhir;
    private final DaoRegistry daos;
    private final ISearchParamRegistry searchParams;

    public ConformanceLoader(FhirContext fhir, DaoRegistry daos, ISearchParamRegistry searchParams) {
        this.fhir = fhir;
        this.daos = daos;
        this.searchParams = searchParams;
    }

    @EventListener(ContextRefreshedEvent.class)
    public void load() {
        List<IBaseResource> resources = new ArrayList<>(Conformance.load(fhir));
        for (String path : SERVER_RESOURCES) {
            resources.add(read(path));
        }
        for (IBaseResource resource : resources) {
            @SuppressWarnings("unchecked")
            IFhirResourceDao<IBaseResource> dao = (IFhirResourceDao<IBaseResource>) daos.getResourceDao(resource.getClass());
            dao.update(resource, new SystemRequestDetails());
            log.info("event=conformance_loaded resource={}/{}", fhir.getResourceType(resource),
                    resource.getIdElement().getIdPart());
        }
        searchParams.forceRefresh();
    }

    private IBaseResource read(String path) {
        try (InputStream in = ConformanceLoader.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing " + path);
            }
            return fhir.newJsonParser().parseResource(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
