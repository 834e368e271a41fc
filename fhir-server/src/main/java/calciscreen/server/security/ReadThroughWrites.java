package calciscreen.server.security;

import calciscreen.server.security.SmartScopes.Interaction;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.ResponseDetails;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import java.util.Set;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.IdType;

/**
 * A client that may write a type but not read it never reads it through a write. HAPI answers a create, an update
 * and a PATCH with the stored resource ({@code Prefer: return=representation}, its default) and a conditional one
 * with whatever matched, which HAPI's {@code AuthorizationInterceptor} does not check (it treats a write's answer as
 * input, not output):
 * <ul>
 *   <li>a create or update (conditional ones included) by a client without read on the type is answered with its
 *       status and Location only: {@code return=representation} and {@code return=OperationOutcome} are answered as
 *       {@code return=minimal}; inside a transaction or batch, the entries of such types lose their resource and
 *       outcome (their status and location stay);</li>
 *   <li>PATCH needs read and update on the type: it answers the whole resource, and a {@code test} operation probes
 *       the stored content without writing anything (no new version, no AuditEvent).</li>
 * </ul>
 */
@Interceptor
public final class ReadThroughWrites {

    private static final Set<RestOperationTypeEnum> WRITES = Set.of(RestOperationTypeEnum.CREATE,
            RestOperationTypeEnum.UPDATE, RestOperationTypeEnum.PATCH);

    @Hook(Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLED)
    public void patchNeedsReadAndUpdate(RequestDetails request, RestOperationTypeEnum operation) {
        if (operation == RestOperationTypeEnum.PATCH) {
            requireReadAndUpdate(request.getResourceName());
        } else if ((operation == RestOperationTypeEnum.TRANSACTION || operation == RestOperationTypeEnum.BATCH)
                && request.getResource() instanceof Bundle bundle) {
            for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
                if (entry.getRequest().getMethod() == Bundle.HTTPVerb.PATCH) {
                    requireReadAndUpdate(calciscreen.server.SearchesOfARequest.typeOf(entry.getRequest().getUrl()));
                }
            }
        }
    }

    /** Runs before HAPI's authorization check of the answer, so that what is removed here is never refused there. */
    @Hook(value = Pointcut.SERVER_OUTGOING_RESPONSE, order = -100)
    public boolean noContentWithoutRead(RequestDetails request, ResponseDetails response) {
        IBaseResource answer = response.getResponseResource();
        if (answer == null) {
            return true;
        }
        SmartScopes scopes = ScopeAuthorizationInterceptor.callerScopes();
        RestOperationTypeEnum operation = request.getRestOperationType();
        if (WRITES.contains(operation) && !scopes.grants(request.getResourceName(), Interaction.READ)) {
            response.setResponseResource(null);
        } else if (answer instanceof Bundle bundle && bundle.getType() != null
                && Set.of(Bundle.BundleType.TRANSACTIONRESPONSE, Bundle.BundleType.BATCHRESPONSE).contains(bundle.getType())) {
            for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
                String location = entry.getResponse().getLocation();
                String type = entry.hasResource() ? entry.getResource().fhirType()
                        : location == null ? null : new IdType(location).getResourceType();
                if (type != null && !"Bundle".equals(type) && !scopes.grants(type, Interaction.READ)) {
                    entry.setResource(null);
                    entry.getResponse().setOutcome(null);
                }
            }
        }
        return true;
    }

    private static void requireReadAndUpdate(String type) {
        SmartScopes scopes = ScopeAuthorizationInterceptor.callerScopes();
        if (type == null || !scopes.grants(type, Interaction.READ) || !scopes.grants(type, Interaction.UPDATE)) {
            throw new ForbiddenOperationException("PATCH of " + (type == null ? "this resource" : type)
                    + " needs read and update on the type (system/" + type + ".ru): a patch answers the resource");
        }
    }
}
