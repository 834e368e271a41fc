package calciscreen.hl7v2.mapping;

import ca.uhn.hl7v2.ErrorCode;
import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.Location;

/**
 * A message that can never be stored as sent (AR): what is wrong, where (segment, its occurrence in the message,
 * field, component) and the HL7 error code (table 0357), so that the ACK's ERR segment points the lab at it.
 */
public final class Rejection extends RuntimeException {

    private final String segment;
    private final int occurrence;
    private final int field;
    private final int component;
    private final ErrorCode code;

    public Rejection(String segment, int occurrence, int field, int component, ErrorCode code, String reason) {
        super(reason);
        this.segment = segment;
        this.occurrence = occurrence;
        this.field = field;
        this.component = component;
        this.code = code;
    }

    public static Rejection at(String segment, int occurrence, int field, ErrorCode code, String reason) {
        return new Rejection(segment, occurrence, field, 0, code, reason);
    }

    /** "OBX[2]-5" */
    public String where() {
        return segment + (occurrence > 1 ? "[" + occurrence + "]" : "") + (field > 0 ? "-" + field : "")
                + (component > 0 ? "." + component : "");
    }

    public ErrorCode code() {
        return code;
    }

    /** The exception HAPI fills an ACK's ERR segment from (ERR-2 location, ERR-3 code and text). */
    public HL7Exception toHl7Exception() {
        HL7Exception e = new HL7Exception(getMessage(), code);
        Location location = new Location().withSegmentName(segment).withSegmentRepetition(Math.max(1, occurrence));
        if (field > 0) {
            location.withField(field).withFieldRepetition(1);
        }
        if (component > 0) {
            location.withComponent(component);
        }
        e.setLocation(location);
        return e;
    }
}
