package calciscreen.server.security;

import org.hl7.fhir.r4.model.AuditEvent.AuditEventAgentComponent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAgentNetworkType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;

/**
 * The agents of the server's AuditEvents, one shape wherever they are written: a client by its client id
 * (identifier system = the issuer, searchable with {@code agent-name}), a person by username (identifier system
 * {@code {issuer}/people}, their name as display, their {@code fhirUser} as reference when they have one).
 */
final class AuditAgents {

    static final String DCM = "http://dicom.nema.org/resources/ontology/DCM";

    private AuditAgents() {}

    static String peopleSystem(String issuer) {
        return issuer + "/people";
    }

    static AuditEventAgentComponent client(String issuer, String clientId, boolean requestor) {
        return new AuditEventAgentComponent()
                .setType(new CodeableConcept(requestor ? new Coding(DCM, "110153", "Source Role ID")
                        : new Coding(DCM, "110150", "Application")))
                .setWho(new Reference().setIdentifier(new Identifier().setSystem(issuer).setValue(clientId))
                        .setDisplay(clientId))
                .setAltId(clientId)
                .setName(clientId)
                .setRequestor(requestor);
    }

    static AuditEventAgentComponent person(String issuer, ClientIdentity.Person person) {
        Reference who = new Reference()
                .setIdentifier(new Identifier().setSystem(peopleSystem(issuer)).setValue(person.username()))
                .setDisplay(person.name());
        if (!person.fhirUser().isBlank()) {
            who.setReference(person.fhirUser());
        }
        return new AuditEventAgentComponent()
                .setType(new CodeableConcept(new Coding(
                        "http://terminology.hl7.org/CodeSystem/extra-security-role-type", "humanuser", "human user")))
                .setWho(who)
                .setAltId(person.username())
                .setName(person.username())
                .setRequestor(true);
    }

    /** Where the request came from, on the agent that made it. */
    static AuditEventAgentComponent from(AuditEventAgentComponent agent, String address) {
        if (address != null) {
            agent.getNetwork().setAddress(address).setType(AuditEventAgentNetworkType._2);
        }
        return agent;
    }
}
