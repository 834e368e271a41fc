package calciscreen.screening.audit;

import calciscreen.model.resources.ActingPerson;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Collection;
import java.util.Date;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAction;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventOutcome;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who read which patient's data, as AuditEvents in the FHIR server's audit trail, beside the server's own records
 * of every write (IHE Basic Audit Log Patterns: a RESTful {@code read} of a patient, a {@code search-type} query
 * naming the patients it returned). Each names the person (their {@code fhirUser}, or the issuer's identifier for
 * them) and the client they came through (its OAuth client id); the screening writes them with its own client,
 * the one holding {@code system/AuditEvent.c}, and the server stamps it as the observer.
 */
public final class ReadAudits {

    private static final Logger log = LoggerFactory.getLogger(ReadAudits.class);
    static final String INTERACTION = "http://hl7.org/fhir/restful-interaction";
    static final String DCM = "http://dicom.nema.org/resources/ontology/DCM";
    static final String USER_AGENT_TYPES = "https://profiles.ihe.net/ITI/BALP/CodeSystem/UserAgentTypes";
    /** The system of the identifier that names a client by its OAuth client id (or a CDS client by its issuer). */
    public static final String CLIENT_ID_SYSTEM = "urn:ietf:params:oauth:client-id";

    private final IGenericClient client;
    private final String fhirBase;
    private final Clock clock;

    /** The person who read, and the client (application) they read through. */
    public record Reader(ActingPerson person, String userId, String clientId) {}

    /**
     * The person as an audit record names them: by identifier and display only, never a literal reference, so that a
     * record neither needs their Practitioner on this server nor blocks its delete ({@code fhirUser}
     * {@code Practitioner/7} becomes identifier {@code <fhir base>}|{@code Practitioner/7}).
     */
    Reference who(ActingPerson person) {
        Reference who = new Reference().setDisplay(person.shown());
        if (person.reference().isPresent()) {
            who.setIdentifier(new Identifier().setSystem(fhirBase).setValue(person.reference().get()));
        } else {
            who.setIdentifier(new Identifier().setSystem(person.identifierSystem().orElse(null))
                    .setValue(person.identifierValue().orElseThrow()));
        }
        return who;
    }

    public ReadAudits(IGenericClient client, String fhirBase, Clock clock) {
        this.client = client;
        this.fhirBase = fhirBase.replaceAll("/+$", "");
        this.clock = clock;
    }

    /** One patient's data shown (the patient view, a CDS card). */
    public void read(Reader reader, String patientId, String what) {
        AuditEvent event = event(reader, "read", AuditEventAction.R, what);
        patient(event, patientId);
        write(event, "read");
    }

    /** A search shown (the worklist): the query, and each patient it returned. */
    public void query(Reader reader, String query, Collection<String> patientIds, String what) {
        AuditEvent event = event(reader, "search-type", AuditEventAction.E, what);
        event.addEntity()
                .setType(new Coding("http://terminology.hl7.org/CodeSystem/audit-entity-type", "2", "System Object"))
                .setRole(new Coding("http://terminology.hl7.org/CodeSystem/object-role", "24", "Query"))
                .setQuery(query.getBytes(StandardCharsets.UTF_8))
                .setDescription(what);
        patientIds.forEach(id -> patient(event, id));
        write(event, "search-type");
    }

    private AuditEvent event(Reader reader, String interaction, AuditEventAction action, String what) {
        AuditEvent event = new AuditEvent();
        event.setType(new Coding("http://terminology.hl7.org/CodeSystem/audit-event-type", "rest", "RESTful Operation"));
        event.addSubtype(new Coding(INTERACTION, interaction, interaction));
        event.setAction(action);
        event.setRecorded(Date.from(clock.instant()));
        event.setOutcome(AuditEventOutcome._0);
        event.setOutcomeDesc(what);
        event.addAgent()
                .setType(new CodeableConcept(new Coding(USER_AGENT_TYPES, "UserOauthAgent", "User OAuth Agent")))
                .setWho(who(reader.person()))
                .setAltId(reader.userId())
                .setName(reader.person().shown())
                .setRequestor(true);
        event.addAgent()
                .setType(new CodeableConcept(new Coding(DCM, "110150", "Application")))
                .setWho(new Reference().setIdentifier(new Identifier().setSystem(CLIENT_ID_SYSTEM)
                        .setValue(reader.clientId())).setDisplay(reader.clientId()))
                .setRequestor(false);
        event.getSource().setObserver(new Reference().setDisplay("calciscreen-screening"))
                .addType(new Coding("http://terminology.hl7.org/CodeSystem/security-source-type", "4",
                        "Application Server"));
        return event;
    }

    /** Named by identifier (as the server's write records are), so a record never blocks the patient's delete. */
    private void patient(AuditEvent event, String patientId) {
        String id = "Patient/" + patientId;
        event.addEntity()
                .setWhat(new Reference().setType("Patient").setDisplay(id)
                        .setIdentifier(new Identifier().setSystem(fhirBase).setValue(id)))
                .setType(new Coding("http://terminology.hl7.org/CodeSystem/audit-entity-type", "1", "Person"))
                .setRole(new Coding("http://terminology.hl7.org/CodeSystem/object-role", "1", "Patient"));
    }

    private void write(AuditEvent event, String interaction) {
        try {
            client.create().resource(event).execute();
        } catch (RuntimeException e) {
            log.warn("event=read_audit_failed interaction={} error={}", interaction, e.getClass().getSimpleName());
            throw new NotAudited(e);
        }
    }

    /** The audit record could not be written: the read is not shown (every access is attributable). */
    public static final class NotAudited extends RuntimeException {
        NotAudited(Throwable cause) {
            super("the read could not be audited", cause);
        }
    }
}
