package calciscreen.hl7v2.mllp;

import ca.uhn.hl7v2.AcknowledgmentCode;
import ca.uhn.hl7v2.ErrorCode;
import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.model.Segment;
import ca.uhn.hl7v2.model.v251.message.ACK;
import ca.uhn.hl7v2.model.v251.message.ADT_A01;
import ca.uhn.hl7v2.model.v251.message.ORU_R01;
import ca.uhn.hl7v2.parser.Parser;
import ca.uhn.hl7v2.protocol.ReceivingApplication;
import ca.uhn.hl7v2.protocol.ReceivingApplicationExceptionHandler;
import ca.uhn.hl7v2.protocol.impl.ApplicationRouterImpl;
import ca.uhn.hl7v2.util.DeepCopy;
import calciscreen.hl7v2.IntakeProperties;
import calciscreen.hl7v2.delivery.FhirDelivery;
import calciscreen.hl7v2.delivery.IntakeMetrics;
import calciscreen.hl7v2.delivery.Receipt;
import calciscreen.hl7v2.mapping.AdtMapper;
import calciscreen.hl7v2.mapping.MessageFacts;
import calciscreen.hl7v2.mapping.OruMapper;
import calciscreen.hl7v2.mapping.Rejection;
import calciscreen.hl7v2.mapping.Transaction;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the listener does with each message: maps it (ORU^R01; ADT^A01/A04/A08), stores it as one FHIR transaction
 * and answers. AA once the transaction committed (or, for a resend, the ACK the message was answered with then); AE
 * with an ERR segment when it was not stored for a reason that may pass (the FHIR server down, slow, refusing for a
 * while): the sender resends; AR with an ERR naming the segment and field for a message that can never be stored as
 * sent (not parseable, an unsupported version or event, no patient identifier, no observation code, ...).
 *
 * <p>Logs name the message (type, sender, control id) and where a message is wrong, never its content.
 */
public final class LabMessages implements ReceivingApplication<Message>, ReceivingApplicationExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(LabMessages.class);
    private static final Set<String> ADT_EVENTS = Set.of("A01", "A04", "A08");

    private final IntakeProperties properties;
    private final FhirDelivery delivery;
    private final IntakeMetrics metrics;
    private final Parser parser;

    public LabMessages(IntakeProperties properties, FhirDelivery delivery, IntakeMetrics metrics, Parser parser) {
        this.properties = properties;
        this.delivery = delivery;
        this.metrics = metrics;
        this.parser = parser;
    }

    @Override
    public boolean canProcess(Message message) {
        return true;
    }

    @Override
    public Message processMessage(Message message, Map<String, Object> metadata) throws HL7Exception {
        long started = System.nanoTime();
        metrics.received();
        MessageFacts facts = MessageFacts.of(message);
        try {
            facts.requireSupported();
            Transaction.Builder tx = new Transaction.Builder();
            IntakeProperties.Facility facility = properties.facility(facts.facility());
            if (facts.typeAndEvent().equals("ORU^R01") && message instanceof ORU_R01 oru) {
                OruMapper.map(oru, facts, facility, tx);
            } else if (facts.type().equals("ADT") && ADT_EVENTS.contains(facts.event()) && message instanceof ADT_A01 adt) {
                AdtMapper.map(adt, facts, facility, tx);
            } else {
                boolean knownType = facts.type().equals("ORU") || facts.type().equals("ADT");
                throw Rejection.at("MSH", 1, 9, knownType ? ErrorCode.UNSUPPORTED_EVENT_CODE
                        : ErrorCode.UNSUPPORTED_MESSAGE_TYPE, "message " + facts.typeAndEvent()
                        + " is not read here (ORU^R01, ADT^A01, ADT^A04, ADT^A08 are)");
            }
            Message ack = ack(message, AcknowledgmentCode.AA, null);
            String raw = String.valueOf(metadata.get(ApplicationRouterImpl.RAW_MESSAGE_KEY));
            var written = tx.written();
            tx.createOnce(Receipt.of(facts, raw, ack.encode(), written, written.get(0)), Receipt.identifier(facts));
            Transaction transaction = tx.build();
            FhirDelivery.Outcome outcome = delivery.deliver(transaction, Receipt.identifier(facts));
            if (outcome instanceof FhirDelivery.Outcome.Stored) {
                return answered(facts, ack, "AA", false, started, "results=" + transaction.results());
            }
            if (outcome instanceof FhirDelivery.Outcome.Duplicate duplicate) {
                return answered(facts, parser.parse(duplicate.originalAck()), "AA", true, started, "duplicate=true");
            }
            FhirDelivery.Outcome.NotStored failed = (FhirDelivery.Outcome.NotStored) outcome;
            AcknowledgmentCode code = failed.mayPass() ? AcknowledgmentCode.AE : AcknowledgmentCode.AR;
            log.warn("event=hl7v2_not_stored type={} sender={} control_id={} ack={} reason=\"{}\"", facts.typeAndEvent(),
                    sender(facts), safe(facts.controlId()), code, safe(failed.reason()));
            return answered(facts, ack(message, code, new HL7Exception(failed.reason(),
                    ErrorCode.APPLICATION_INTERNAL_ERROR)), code.name(), false, started, "");
        } catch (Rejection rejection) {
            return answered(facts, ack(message, AcknowledgmentCode.AR, rejection.toHl7Exception()), "AR", false,
                    started, "where=" + safe(rejection.where()) + " error=" + rejection.code().getCode());
        } catch (HL7Exception | RuntimeException e) {
            log.error("event=hl7v2_failed type={} sender={} control_id={}", facts.typeAndEvent(), sender(facts),
                    safe(facts.controlId()), e);
            return answered(facts, ack(message, AcknowledgmentCode.AE, new HL7Exception(
                    "the message could not be processed: " + e.getClass().getSimpleName(),
                    ErrorCode.APPLICATION_INTERNAL_ERROR)), "AE", false, started, "");
        }
    }

    /** HAPI's ACK of {@code message} (MSH echoed, MSA, ERR from {@code error}). */
    private static Message ack(Message message, AcknowledgmentCode code, HL7Exception error) throws HL7Exception {
        try {
            return message.generateACK(code, error);
        } catch (java.io.IOException e) {
            throw new HL7Exception("cannot build the ACK: " + e.getMessage(), e);
        }
    }

    /** A message HAPI could not parse (or an unexpected failure): AR, with what HAPI found wrong. */
    @Override
    public String processException(String incoming, Map<String, Object> metadata, String outgoing, Exception e) {
        metrics.received();
        long started = System.nanoTime();
        HL7Exception error = e instanceof HL7Exception h ? h : new HL7Exception(String.valueOf(e.getMessage()), e);
        String ack;
        try {
            Segment critical = parser.getCriticalResponseData(incoming);
            Message in = critical.getMessage();
            DeepCopy.copy(critical, (Segment) in.get("MSH"));
            ack = in.generateACK(AcknowledgmentCode.AR, error).encode();
        } catch (Exception noHeader) {
            ack = bareAck(error);
        }
        metrics.answered('R', false, Duration.ofNanos(System.nanoTime() - started));
        log.info("event=hl7v2_answered ack=AR parseable=false error={}", error.getError().getCode());
        return ack;
    }

    /** An AR for a message with no readable MSH: nothing to echo, the error says why. */
    private String bareAck(HL7Exception error) {
        try {
            ACK ack = new ACK();
            ack.setParser(parser);
            ack.initQuickstart("ACK", null, "P");
            ack.getMSA().getAcknowledgmentCode().setValue("AR");
            error.populateResponse(ack, AcknowledgmentCode.AR, 0);
            return ack.encode();
        } catch (Exception e) {
            return "MSH|^~\\&|||||||ACK|" + System.currentTimeMillis() + "|P|2.5.1\rMSA|AR|\r";
        }
    }

    private Message answered(MessageFacts facts, Message ack, String code, boolean duplicate, long started,
                             String detail) {
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        metrics.answered(code.charAt(1), duplicate, took);
        log.info("event=hl7v2_answered type={} sender={} control_id={} ack={} ms={} {}", facts.typeAndEvent(),
                sender(facts), safe(facts.controlId()), code, took.toMillis(), detail);
        return ack;
    }

    private static String sender(MessageFacts facts) {
        return safe(facts.application() + "/" + facts.facility());
    }

    /** What a sender chose, fit for one log field: printable ASCII without spaces or quotes, at most 64 chars. */
    static String safe(String text) {
        String cleaned = text == null ? "" : text.replaceAll("[^\\x21-\\x7e]|[\"\\\\=]", "_");
        return cleaned.length() <= 64 ? cleaned : cleaned.substring(0, 64) + "...";
    }
}
