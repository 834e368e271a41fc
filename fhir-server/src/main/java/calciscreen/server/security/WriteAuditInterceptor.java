package calciscreen.server.security;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import java.util.ArrayList;
import java.util.Date;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAction;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventOutcome;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Every create, update and delete leaves an {@code AuditEvent} naming the client that made it (from its token),
 * shaped after IHE's Basic Audit Log Patterns: type {@code rest}, subtype the interaction, the client as the
 * requesting agent ({@code agent.name} and {@code agent.altId} = client id, searchable with {@code agent-name}; for a
 * signed-in person's token the person is the requesting agent, by username, and the client a second agent), and
 * one entity per resource written, named by identifier ({@code Observation/123}, searchable with {@code entity-id}).
 * The entities are identifiers, not references: an audit record must not stop the resource it names from being
 * deleted, must be writable for a resource that was just deleted, and costs no index link per resource. The AuditEvents are written in the same database
 * transaction as the change, just before it commits: a change is never stored without its audit record. The writes
 * of one request are grouped: a transaction Bundle of 200 creates gives one AuditEvent with 200 entities, not 200.
 * Reads are not audited. An AuditEvent a client submits ({@link AppendOnlyAuditTrail}) is audited like any write;
 * the server's own are not (they would audit themselves without end).
 */
@Interceptor
public class WriteAuditInterceptor {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(WriteAuditInterceptor.class);

    static final String SUBTYPE_SYSTEM = "http://hl7.org/fhir/restful-interaction";
    private static final Object KEY = new Object();

    private final DaoRegistry daos;
    private final jakarta.persistence.EntityManager entityManager;
    private final String issuer;
    private final String fhirBase;

    /**
     * @param issuer   the system of the client identifiers (whose client ids they are)
     * @param fhirBase the system of the entity identifiers (whose resource ids they are)
     */
    public WriteAuditInterceptor(DaoRegistry daos, jakarta.persistence.EntityManager entityManager, String issuer,
                                 String fhirBase) {
        this.daos = daos;
        this.entityManager = entityManager;
        this.issuer = issuer;
        this.fhirBase = fhirBase;
    }

    @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_CREATED)
    public void created(IBaseResource resource, RequestDetails request) {
        record(AuditEventAction.C, resource, request);
    }

    @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_UPDATED)
    public void updated(IBaseResource previous, IBaseResource resource, RequestDetails request) {
        record(AuditEventAction.U, resource, request);
    }

    @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_DELETED)
    public void deleted(IBaseResource resource, RequestDetails request) {
        record(AuditEventAction.D, resource, request);
    }

    private void record(AuditEventAction action, IBaseResource resource, RequestDetails request) {
        IIdType id = resource.getIdElement();
        if ("AuditEvent".equals(id.getResourceType()) && !AppendOnlyAuditTrail.byClient(request)) {
            return; // the server's own audit records; one a client submits is attributable like any other write
        }
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            // HAPI writes inside a transaction; should that ever change, say so rather than lose the record quietly
            log.error("event=audit_not_recorded reason=no_transaction action={} resource={}", action,
                    id.toUnqualifiedVersionless().getValue());
            return;
        }
        Writes writes = (Writes) TransactionSynchronizationManager.getResource(KEY);
        if (writes == null) {
            writes = new Writes(ClientIdentity.of(request));
            TransactionSynchronizationManager.bindResource(KEY, writes);
            TransactionSynchronizationManager.registerSynchronization(writes);
        }
        writes.add(action, id);
    }

    private AuditEvent auditEvent(ClientIdentity client, AuditEventAction action, List<IIdType> resources) {
        AuditEvent event = new AuditEvent();
        event.setType(new Coding("http://terminology.hl7.org/CodeSystem/audit-event-type", "rest", "RESTful Operation"));
        String interaction = action == AuditEventAction.C ? "create" : action == AuditEventAction.U ? "update" : "delete";
        event.addSubtype(new Coding(SUBTYPE_SYSTEM, interaction, interaction));
        event.setAction(action);
        event.setRecorded(new Date());
        event.setOutcome(AuditEventOutcome._0);

        if (client.person() != null) {
            event.addAgent(AuditAgents.from(AuditAgents.person(issuer, client.person()), client.address()));
            event.addAgent(AuditAgents.client(issuer, client.clientId(), false));
        } else {
            event.addAgent(AuditAgents.from(AuditAgents.client(issuer, client.clientId(), true), client.address()));
        }
        event.addAgent()
                .setType(new CodeableConcept(new Coding("http://dicom.nema.org/resources/ontology/DCM", "110152",
                        "Destination Role ID")))
                .setWho(new Reference().setDisplay(ClientIdentity.SERVER))
                .setRequestor(false);
        event.getSource().setObserver(new Reference().setDisplay(ClientIdentity.SERVER))
                .addType(new Coding("http://terminology.hl7.org/CodeSystem/security-source-type", "4",
                        "Application Server"));
        for (IIdType resource : resources) {
            String id = resource.toUnqualifiedVersionless().getValue();
            event.addEntity()
                    .setWhat(new Reference().setType(resource.getResourceType()).setDisplay(id)
                            .setIdentifier(new Identifier().setSystem(fhirBase).setValue(id)))
                    .setType(new Coding("http://terminology.hl7.org/CodeSystem/audit-entity-type", "2", "System Object"))
                    .addDetail().setType("version").setValue(new org.hl7.fhir.r4.model.StringType(
                            resource.getVersionIdPart() == null ? "" : resource.getVersionIdPart()));
        }
        return event;
    }

    /** The writes of one database transaction, audited just before it commits. */
    private final class Writes implements TransactionSynchronization {

        private final ClientIdentity client;
        private final Map<AuditEventAction, List<IIdType>> byAction = new EnumMap<>(AuditEventAction.class);

        Writes(ClientIdentity client) {
            this.client = client;
        }

        void add(AuditEventAction action, IIdType id) {
            byAction.computeIfAbsent(action, a -> new ArrayList<>()).add(id);
        }

        @Override
        public void beforeCommit(boolean readOnly) {
            TransactionSynchronizationManager.unbindResource(KEY);
            // the change itself is written first; the audit records are then a unit of their own in the same commit
            entityManager.flush();
            @SuppressWarnings("unchecked")
            IFhirResourceDao<AuditEvent> auditEvents = daos.getResourceDao("AuditEvent");
            byAction.forEach((action, resources) ->
                    auditEvents.create(auditEvent(client, action, resources), new SystemRequestDetails()));
        }

        @Override
        public void afterCompletion(int status) {
            TransactionSynchronizationManager.unbindResourceIfPossible(KEY);
        }
    }
}
