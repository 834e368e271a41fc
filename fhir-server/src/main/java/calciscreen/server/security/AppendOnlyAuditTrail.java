package calciscreen.server.security;

import calciscreen.server.security.SmartScopes.Interaction;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAgentComponent;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;

/**
 * The audit trail is append-only. At the storage layer, so that no path around it exists (a transaction entry, a
 * conditional delete, a PATCH): no client updates or deletes an {@code AuditEvent}, whatever its scopes; only the
 * server's own writes (the {@link WriteAuditInterceptor}) and clients holding the explicit scope
 * {@code system/AuditEvent.c} create them (no wildcard implies it: an operator's {@code system/*.cruds} does not).
 * What such a client submits is stamped with who submitted it, from its token: the client is the observer
 * ({@code source.observer}) and an agent, and no agent may claim to be another of this server's clients.
 */
@Interceptor
public final class AppendOnlyAuditTrail {

    static final String AUDIT_EVENT = "AuditEvent";
    private final String issuer;
    private final java.util.Set<String> clientIds;

    /**
     * @param issuer    the system of client identifiers, as the {@link WriteAuditInterceptor} writes them
     * @param clientIds the clients of this server by id: no agent a client submits may carry another's name
     */
    public AppendOnlyAuditTrail(String issuer, java.util.Set<String> clientIds) {
        this.issuer = issuer;
        this.clientIds = java.util.Set.copyOf(clientIds);
    }

    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_CREATED)
    public void created(IBaseResource resource, RequestDetails request) {
        if (!(resource instanceof AuditEvent event) || !byClient(request)) {
            return;
        }
        if (!ScopeAuthorizationInterceptor.callerScopes().grantsExplicitly(AUDIT_EVENT, Interaction.CREATE)) {
            throw new ForbiddenOperationException("creating an AuditEvent needs the scope system/AuditEvent.c "
                    + "(no wildcard scope grants it): the audit trail is written by the server");
        }
        stamp(event, ClientIdentity.of(request).clientId());
    }

    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_UPDATED)
    public void updated(IBaseResource previous, IBaseResource resource, RequestDetails request) {
        refuseChange(resource, request, "updated");
    }

    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_DELETED)
    public void deleted(IBaseResource resource, RequestDetails request) {
        refuseChange(resource, request, "deleted");
    }

    private static void refuseChange(IBaseResource resource, RequestDetails request, String how) {
        if (resource instanceof AuditEvent && byClient(request)) {
            throw new ForbiddenOperationException("AuditEvents are append-only: no client may have one " + how);
        }
    }

    /** A request that came over HTTP (a transaction's entries included), not one the server makes itself. */
    static boolean byClient(RequestDetails request) {
        return request instanceof ServletRequestDetails servlet && servlet.getServletRequest() != null;
    }

    private void stamp(AuditEvent event, String clientId) {
        event.getAgent().removeIf(agent -> agent.getWho().hasIdentifier()
                && issuer.equals(agent.getWho().getIdentifier().getSystem())
                && !clientId.equals(agent.getWho().getIdentifier().getValue()));
        // an agent without name or altId claims no client (Set.copyOf's contains(null) would throw)
        event.getAgent().removeIf(agent -> clientId.equals(agent.getName()) || clientId.equals(agent.getAltId())
                || (agent.hasName() && clientIds.contains(agent.getName()))
                || (agent.hasAltId() && clientIds.contains(agent.getAltId())));
        AuditEventAgentComponent submitter = new AuditEventAgentComponent()
                .setType(new CodeableConcept(new Coding("http://dicom.nema.org/resources/ontology/DCM", "110150",
                        "Application")))
                .setWho(new Reference().setIdentifier(new Identifier().setSystem(issuer).setValue(clientId))
                        .setDisplay(clientId))
                .setName(clientId)
                .setAltId(clientId)
                .setRequestor(event.getAgent().stream().noneMatch(AuditEventAgentComponent::getRequestor));
        event.getAgent().add(0, submitter);
        event.getSource().setObserver(new Reference().setIdentifier(new Identifier().setSystem(issuer).setValue(clientId))
                .setDisplay(clientId));
    }
}
