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
 * Stores a message's transaction through the FHIR server's REST API, once: with the patients' locks held, it first
 * looks for the message's receipt (a resend is answered with the ACK that receipt holds, and writes nothing), then
 * sends the transaction, whose last entry creates the receipt only if none exists. Two resends that race past the
 * look-up (from two connections or two intakes) meet in the server: one transaction creates the receipt; the other
 * either finds it (its conditional entries then change nothing that the first did not already write) or is refused
 * with 409 by the server's uniqueness of conditional creates, and looks again.
 */
public final class FhirDelivery {

    /** Statuses after which the same message may be stored on a later try (the sender resends). */
    private static final Set<Integer> MAY_PASS = Set.of(401, 403, 408, 409, 412, 423, 429);

    private final IGenericClient client;
    private final PatientLocks locks;

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
            for (int attempt = 1; ; attempt++) {
                try {
                    Optional<Communication> earlier = find(receipt);
                    if (earlier.isPresent()) {
                        return duplicate(earlier.get());
                    }
                    Bundle response = client.transaction().withBundle(transaction.bundle()).execute();
                    String status = response.getEntry().get(response.getEntry().size() - 1).getResponse().getStatus();
                    if (status != null && status.startsWith("201")) {
                        return new Outcome.Stored();
                    }
                    // the receipt already existed: another copy of this message committed first
                    return find(receipt).map(this::duplicate).orElse(new Outcome.NotStored(true,
                            "the FHIR server answered " + status + " for the message receipt"));
                } catch (FhirClientConnectionException e) {
                    return new Outcome.NotStored(true, "the FHIR server could not be reached: " + brief(e.getMessage()));
                } catch (BaseServerResponseException e) {
                    int code = e.getStatusCode();
                    if ((code == 409 || code == 412) && attempt == 1) {
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
