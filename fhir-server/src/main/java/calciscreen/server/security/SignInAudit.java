package calciscreen.server.security;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import java.util.Date;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAction;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventOutcome;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Each sign-in at the embedded server, successful or not, leaves a log line with the username (staff, not a
 * patient; never the password) and an {@code AuditEvent} (DICOM "User Authentication", subtype "Login", outcome
 * success or minor failure) naming the person who tried and the client they were signing in to, in the same store
 * as the write AuditEvents. A failed attempt names the username as typed (at most 64 characters).
 */
final class SignInAudit {

    private static final Logger log = LoggerFactory.getLogger(SignInAudit.class);
    private static final int LONGEST_USERNAME = 64;

    private final DaoRegistry daos;
    private final String issuer;

    SignInAudit(DaoRegistry daos, String issuer) {
        this.daos = daos;
        this.issuer = issuer;
    }

    /**
     * @param person   who has this username, null when nobody has
     * @param clientId the client the sign-in is for, null when the form was opened directly
     */
    void record(String username, ClientIdentity.Person person, String clientId, String address, boolean success) {
        String typed = username == null ? "" : username.length() > LONGEST_USERNAME
                ? username.substring(0, LONGEST_USERNAME) : username;
        if (success) {
            log.info("event=person_signed_in username={} client={}", typed, clientId);
        } else {
            log.info("event=person_sign_in_failed username={} client={} known_user={}", typed, clientId, person != null);
        }
        AuditEvent event = new AuditEvent();
        event.setType(new Coding(AuditAgents.DCM, "110114", "User Authentication"));
        event.addSubtype(new Coding(AuditAgents.DCM, "110122", "Login"));
        event.setAction(AuditEventAction.E);
        event.setRecorded(new Date());
        event.setOutcome(success ? AuditEventOutcome._0 : AuditEventOutcome._4);
        if (!success) {
            event.setOutcomeDesc(person == null ? "unknown username" : "wrong password");
        }
        event.addAgent(AuditAgents.from(AuditAgents.person(issuer,
                person != null ? person : new ClientIdentity.Person(typed, typed, "")), address));
        if (clientId != null) {
            event.addAgent(AuditAgents.client(issuer, clientId, false));
        }
        event.getSource().setObserver(new Reference().setDisplay(ClientIdentity.SERVER))
                .addType(new Coding("http://terminology.hl7.org/CodeSystem/security-source-type", "4",
                        "Application Server"));
        @SuppressWarnings("unchecked")
        IFhirResourceDao<AuditEvent> auditEvents = daos.getResourceDao("AuditEvent");
        try {
            auditEvents.create(event, new SystemRequestDetails());
        } catch (RuntimeException e) {
            // the sign-in itself is decided; an audit store that is down must be seen, not stop people signing in
            log.error("event=sign_in_audit_failed username={} error={}", typed, e.toString());
        }
    }
}
