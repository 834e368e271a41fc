package calciscreen.hl7v2.delivery;

import calciscreen.hl7v2.mapping.MessageFacts;
import calciscreen.model.CanonicalUrls;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.r4.model.Attachment;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Communication;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;

/**
 * The durable record that a message was stored and how it was answered: a {@code Communication} with the message's
 * identifier ({@code <sender>|<MSH-10>}), written in the same transaction as the message's results and created only
 * if none with that identifier exists. "Stored once" and "acknowledged once" are so one fact in the server's
 * database: a resend, after a restart as well, finds it and is answered with the ACK it holds.
 *
 * <p>It names every resource the message wrote ({@code about}) and keeps the message as received and the ACK sent
 * ({@code payload}, as {@code x-application/hl7-v2+er7} attachments), so the original is kept beside what it became.
 */
public final class Receipt {

    public static final String CATEGORY_SYSTEM = CanonicalUrls.BASE + "/CodeSystem/hl7v2-intake";
    public static final String CATEGORY_CODE = "hl7v2-message";
    public static final String ER7 = "x-application/hl7-v2+er7";
    static final String MESSAGE_TITLE = "message";
    static final String ACK_TITLE = "acknowledgement";

    private Receipt() {}

    public static Identifier identifier(MessageFacts facts) {
        return new Identifier().setSystem(facts.identifierSystem()).setValue(facts.controlId());
    }

    public static Communication of(MessageFacts facts, String message, String ack, List<Reference> written,
                                   Reference patient) {
        Communication receipt = new Communication();
        receipt.addIdentifier(identifier(facts));
        receipt.setStatus(Communication.CommunicationStatus.COMPLETED);
        receipt.addCategory(new CodeableConcept().addCoding(new Coding(CATEGORY_SYSTEM, CATEGORY_CODE,
                "HL7 v2 message received")));
        receipt.setSubject(patient);
        receipt.setReceived(new Date());
        receipt.setAbout(written);
        receipt.addPayload().setContent(attachment(message, MESSAGE_TITLE + " " + facts.typeAndEvent()));
        receipt.addPayload().setContent(attachment(ack, ACK_TITLE));
        return receipt;
    }

    /** The ACK a stored receipt holds. */
    public static Optional<String> ack(Communication receipt) {
        return receipt.getPayload().stream()
                .filter(p -> p.hasContentAttachment() && ACK_TITLE.equals(p.getContentAttachment().getTitle()))
                .map(p -> new String(p.getContentAttachment().getData(), StandardCharsets.UTF_8)).findFirst();
    }

    private static Attachment attachment(String er7, String title) {
        return new Attachment().setContentType(ER7).setTitle(title).setData(er7.getBytes(StandardCharsets.UTF_8));
    }
}
