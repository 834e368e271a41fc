package calciscreen.hl7v2.delivery;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.exceptions.FhirClientConnectionException;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import calciscreen.hl7v2.mapping.Transaction;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.instance.model.api.IBaseOperationOutcome;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Communication;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.OperationOutcome;

/**
 * Stores a message's transaction through the FHIR server's REST API, once, with the patients' locks held.
 *
 * <p>A result message is first sent without looking for its receipt, its DiagnosticReports as creates only
 * ({@link Transaction#firstWrites}): every copy of the message stored before wrote them, so a transaction that commits
 * proves the message new, and one that finds any of them (a resend; or a later message of an order stored before: a
 * final after a preliminary, a correction) is refused with 409 and writes nothing. Then, and for every message without
 * first writes (ADT), the intake looks for the message's receipt (a resend is answered with the ACK that receipt
 * holds, and writes nothing) and sends the transaction with plain PUTs, whose last entry creates the receipt only if
 * none exists. Two resends that race past the look-up (from two connections or two intakes) meet in the server: one
 * transaction creates the receipt; the other either finds it (its conditional entries then change nothing that the
 * first did not already write) or is refused with 409 by the server's uniqueness of conditional creates, and looks
 * again. Orders this intake has stored lately go straight to the look-up (a bounded record in memory: it only saves a
 * refused try; the server's state decides).
 */
public final class FhirDelivery {

    /** Statuses after which the same message may be stored on a later try (the sender resends). */
    private static final Set<Integer> MAY_PASS = Set.of(401, 403, 408, 409, 412, 423, 429);

    /** How many first writes (orders) stored lately are remembered, so that their next message skips the refused try. */
    static final int KNOWN_FIRST_WRITES = 20_000;

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(FhirDelivery.class);

    private final IGenericClient client;
    private final PatientLocks locks;
    private final Set<String> known = java.util.Collections.newSetFromMap(java.util.Collections.synchronizedMap(
            new java.util.LinkedHashMap<>(1024, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(java.util.Map.Entry<String, Boolean> eldest) {
                    return size() > KNOWN_FIRST_WRITES;
                }
            }));

    public FhirDelivery(IGenericClient client, PatientLocks locks) {
        this.client = client;
        this.locks = locks;
    }

    /** What became of a message. */
    public sealed interface Outcome {
        /** Committed now; answer the ACK the receipt holds (the one prepared for it). */
        record Stored() implements Outcome {}

        /** Stored before: answer with the ACK it was answered with then. */
        record Duplicate(String originalAck) implements Outcome {}

        /** Not stored; {@code mayPass}: a resend may succeed (AE), otherwise it never will (AR). */
        record NotStored(boolean mayPass, String reason) implements Outcome {}
    }

    public Outcome deliver(Transaction transaction, Identifier receipt) {
        Optional<PatientLocks.Held> held;
        try {
            held = locks.lock(transaction.patientKeys());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome.NotStored(true, "the intake is stopping");
        }
        if (held.isEmpty()) {
            return new Outcome.NotStored(true, "earlier messages for this patient are still being stored");
        }
        try (PatientLocks.Held ignored = held.get()) {
            boolean firstTry = !transaction.firstWrites().isEmpty()
                    && transaction.firstWrites().stream().noneMatch(known::contains);
            boolean raced = false;
            while (true) {
                boolean createOnly = firstTry;
                firstTry = false;
                try {
                    if (!createOnly) {
                        Optional<Communication> earlier = find(receipt);
                        if (earlier.isPresent()) {
                            return duplicate(earlier.get());
                        }
                    }
                    Bundle response = client.transaction().withBundle(transaction.firstWrites(createOnly)).execute();
                    known.addAll(transaction.firstWrites());
                    String status = response.getEntry().get(response.getEntry().size() - 1).getResponse().getStatus();
                    if (status != null && status.startsWith("201")) {
                        return new Outcome.Stored();
                    }
                    if (createOnly) {
                        // its orders were new, and yet a receipt had its control id: the sender used the id again
                        // for another message, which is now stored; answered with the id's first ACK
                        log.warn("event=hl7v2_control_id_reused receipt_status=\"{}\"", status);
                    }
                    // the receipt already existed: another copy of this message committed first
                    return find(receipt).map(this::duplicate).orElse(new Outcome.NotStored(true,
                            "the FHIR server answered " + status + " for the message receipt"));
                } catch (FhirClientConnectionException e) {
                    return new Outcome.NotStored(true, "the FHIR server could not be reached: " + brief(e.getMessage()));
                } catch (BaseServerResponseException e) {
                    int code = e.getStatusCode();
                    if (createOnly) {
                        // 409: one of its orders exists (a resend, a later message of the order) or a race; any
                        // other refusal of the first try is left to the second way to answer, as before it
                        continue;
                    }
                    if ((code == 409 || code == 412) && !raced) {
                        raced = true;
                        continue; // a race with another copy of this message (or of this patient): look again
                    }
                    String reason = "the FHIR server answered " + code + ": " + diagnostics(e);
                    return new Outcome.NotStored(code >= 500 || MAY_PASS.contains(code), reason);
                } catch (RuntimeException e) {
                    return new Outcome.NotStored(true, "the FHIR transaction failed: " + brief(String.valueOf(e)));
                }
            }
        }
    }

    private Outcome duplicate(Communication earlier) {
        return Receipt.ack(earlier).<Outcome>map(Outcome.Duplicate::new)
                .orElse(new Outcome.NotStored(false, "the receipt of this message holds no ACK"));
    }

    private Optional<Communication> find(Identifier receipt) {
        Bundle found = client.search().byUrl(Transaction.match("Communication", receipt))
                .returnBundle(Bundle.class).execute();
        return found.getEntry().stream().map(Bundle.BundleEntryComponent::getResource)
                .filter(Communication.class::isInstance).map(Communication.class::cast).findFirst();
    }

    private static String diagnostics(BaseServerResponseException e) {
        IBaseOperationOutcome outcome = e.getOperationOutcome();
        if (outcome instanceof OperationOutcome oo && oo.hasIssue() && oo.getIssueFirstRep().hasDiagnostics()) {
            return brief(oo.getIssueFirstRep().getDiagnostics());
        }
        return brief(e.getMessage());
    }

    private static String brief(String text) {
        String flat = text == null ? "" : text.replaceAll("[\\r\\n|^~\\\\&]+", " ").trim();
        return flat.length() <= 200 ? flat : flat.substring(0, 200) + "...";
    }
}
