package calciscreen.server.security;

import calciscreen.model.CanonicalUrls;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Flag;
import org.hl7.fhir.r4.model.RiskAssessment;

/**
 * The calciphylaxis risk Flags and RiskAssessments are what the screening computed: only the screening client
 * creates, changes or deletes them, so a clinician's or an operator's edit (a high Flag set inactive) cannot stand in
 * for the rules. Clinicians act on a Flag beside it (a Task), never by editing it. A Flag or RiskAssessment is the
 * screening's when it carries the screening's identifier or Flag code, before or after the change. At the storage
 * layer, so that a transaction entry, a conditional write or a PATCH is held to the same rule.
 */
@Interceptor
public final class ScreeningResults {

    private final String screeningClientId;

    public ScreeningResults(String screeningClientId) {
        this.screeningClientId = screeningClientId;
    }

    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_CREATED)
    public void created(IBaseResource resource, RequestDetails request) {
        requireScreening(request, resource);
    }

    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_UPDATED)
    public void updated(IBaseResource previous, IBaseResource resource, RequestDetails request) {
        requireScreening(request, previous, resource);
    }

    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_DELETED)
    public void deleted(IBaseResource resource, RequestDetails request) {
        requireScreening(request, resource);
    }

    private void requireScreening(RequestDetails request, IBaseResource... versions) {
        if (!AppendOnlyAuditTrail.byClient(request)) {
            return;
        }
        for (IBaseResource version : versions) {
            if (screenings(version) && !screeningClientId.equals(ClientIdentity.of(request).clientId())) {
                throw new ForbiddenOperationException("this " + version.fhirType() + " is the screening's result: only "
                        + "the client " + screeningClientId + " writes it (clinicians act on a Flag with a Task)");
            }
        }
    }

    static boolean screenings(IBaseResource resource) {
        if (resource instanceof Flag flag) {
            return flag.getIdentifier().stream().anyMatch(id -> CanonicalUrls.SCREENING_IDENTIFIER_SYSTEM.equals(id.getSystem()))
                    || flag.getCode().getCoding().stream()
                            .anyMatch(code -> CanonicalUrls.SCREENING_FLAG_SYSTEM.equals(code.getSystem()));
        }
        return resource instanceof RiskAssessment assessment && assessment.getIdentifier().stream()
                .anyMatch(id -> CanonicalUrls.SCREENING_IDENTIFIER_SYSTEM.equals(id.getSystem()));
    }
}
