package calciscreen.hl7v2.mapping;

import ca.uhn.hl7v2.ErrorCode;
import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.model.v251.segment.MSH;
import calciscreen.model.CanonicalUrls;
import java.util.Set;

/**
 * What the intake needs from MSH: who sent the message (MSH-3 application, MSH-4 facility), its control id (MSH-10),
 * its type and event (MSH-9), its version (MSH-12) and time (MSH-7).
 */
public record MessageFacts(String application, String facility, String controlId, String type, String event,
                           String version, String time) {

    /** The versions labs send that are read (into the v2.5.1 structures). */
    public static final Set<String> SUPPORTED_VERSIONS = Set.of("2.3", "2.3.1", "2.4", "2.5", "2.5.1");

    /** Identifier systems of received messages: {@code <this>/<MSH-3>/<MSH-4>}, value MSH-10. */
    public static final String MESSAGE_IDENTIFIER_BASE = CanonicalUrls.BASE + "/sid/hl7v2-message";

    public static MessageFacts of(Message message) throws HL7Exception {
        MSH msh = (MSH) message.get("MSH");
        return new MessageFacts(Fields.text(msh.getSendingApplication().getNamespaceID()),
                Fields.text(msh.getSendingFacility().getNamespaceID()), Fields.text(msh.getMessageControlID()),
                Fields.text(msh.getMessageType().getMessageCode()), Fields.text(msh.getMessageType().getTriggerEvent()),
                Fields.text(msh.getVersionID().getVersionID()), Fields.time(msh.getDateTimeOfMessage()));
    }

    /** Refuses what can never be stored whatever its content: an unsupported version, no control id. */
    public void requireSupported() {
        if (!SUPPORTED_VERSIONS.contains(version)) {
            throw Rejection.at("MSH", 1, 12, ErrorCode.UNSUPPORTED_VERSION_ID, "HL7 version '" + version
                    + "' is not read here; versions read: 2.3, 2.3.1, 2.4, 2.5, 2.5.1");
        }
        if (controlId.isEmpty()) {
            throw Rejection.at("MSH", 1, 10, ErrorCode.REQUIRED_FIELD_MISSING,
                    "no message control id: a resend could not be recognised");
        }
    }

    /** {@code ORU^R01} */
    public String typeAndEvent() {
        return type + "^" + event;
    }

    /** The identifier of this message as received from its sender (the durable duplicate check). */
    public String identifierSystem() {
        return MESSAGE_IDENTIFIER_BASE + "/" + Codings.segment(application) + "/" + Codings.segment(facility);
    }
}
