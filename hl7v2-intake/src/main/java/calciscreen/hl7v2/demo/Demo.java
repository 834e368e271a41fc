package calciscreen.hl7v2.demo;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import ca.uhn.fhir.rest.client.interceptor.BearerTokenAuthInterceptor;
import calciscreen.hl7v2.mllp.MllpClient;
import calciscreen.model.CanonicalUrls;
import java.time.Duration;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Flag;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.RiskAssessment;

/**
 * {@code ./calciscreen demo --hl7}: sends the shipped example messages to the intake over MLLP, one connection, each
 * ACK awaited, and prints each ACK and, for messages with a patient, that patient's Flag once the screening has
 * seen the message. Results are dated yesterday; patients are those of the examples, so a second run on the same day
 * is answered from the receipts (the same ACKs, nothing stored twice).
 * <pre>
 *   --mllp=HOST:PORT  the intake (default localhost:2575)
 *   --fhir=URL        the FHIR server, for the Flags (default http://localhost:8080/fhir)
 *   --token=TOKEN     an access token that may read Patient and Flag
 * </pre>
 */
public final class Demo {

    private static final Pattern MRN = Pattern.compile("\\rPID\\|[^|]*\\|[^|]*\\|([^^|]+)\\^\\^\\^([^^|&]+)");
    private static final String FLAG_PRIORITY = CanonicalUrls.FLAG_PRIORITY_EXTENSION;

    private Demo() {}

    public static void main(String[] args) throws Exception {
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
                .setLevel(ch.qos.logback.classic.Level.WARN); // standard output: the ACKs and Flags
        Map<String, String> options = new HashMap<>();
        for (String arg : args) {
            if (!arg.startsWith("--") || !arg.contains("=")) {
                System.err.println("calciscreen demo --hl7: unexpected argument " + arg);
                System.exit(2);
            }
            options.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
        }
        String[] mllp = options.getOrDefault("mllp", "localhost:2575").split(":");
        FhirContext fhir = FhirContext.forR4Cached();
        fhir.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
        IGenericClient client = fhir.newRestfulGenericClient(options.getOrDefault("fhir", "http://localhost:8080/fhir"));
        if (options.containsKey("token")) {
            client.registerInterceptor(new BearerTokenAuthInterceptor(options.get("token")));
        }
        LocalDate yesterday = LocalDate.now().minusDays(1);
        try (MllpClient sender = new MllpClient(mllp[0], Integer.parseInt(mllp[1]), Duration.ofSeconds(60))) {
            for (String name : Examples.NAMES) {
                for (String message : Examples.load(name, yesterday, "")) {
                    String before = flagState(client, message);
                    String ack = sender.send(message);
                    System.out.println(name + ".hl7  " + message.substring(0, message.indexOf('\r')).split("\\|")[8]
                            + " " + message.split("\\|")[9]);
                    System.out.println("  ACK  " + ack.replace("\r", "\n       ").trim());
                    if (MRN.matcher(message).find()) {
                        System.out.println("  " + awaitFlag(client, message, before));
                    }
                }
            }
        }
    }

    /** The patient's Flag once it changed from {@code before}, or as it is after a few seconds. */
    private static String awaitFlag(IGenericClient client, String message, String before) throws InterruptedException {
        String now = flagState(client, message);
        for (int i = 0; i < 25 && now.equals(before); i++) {
            Thread.sleep(200);
            now = flagState(client, message);
        }
        return now;
    }

    private static String flagState(IGenericClient client, String message) {
        Matcher mrn = MRN.matcher(message);
        if (!mrn.find()) {
            return "";
        }
        Bundle patients = client.search().forResource(Patient.class)
                .where(Patient.IDENTIFIER.exactly().systemAndIdentifier(
                        calciscreen.hl7v2.mapping.PatientMapper.PATIENT_IDENTIFIER_BASE + "/" + mrn.group(2), mrn.group(1)))
                .returnBundle(Bundle.class).execute();
        if (patients.getEntry().isEmpty()) {
            return "Patient MRN " + mrn.group(1) + " not on the server";
        }
        String patient = patients.getEntryFirstRep().getResource().getIdElement().toUnqualifiedVersionless().getValue();
        Bundle flags = client.search().forResource(Flag.class).where(Flag.SUBJECT.hasId(patient))
                .returnBundle(Bundle.class).execute();
        Optional<Flag> flag = flags.getEntry().stream().map(e -> (Flag) e.getResource()).findFirst();
        Bundle assessments = client.search().forResource(RiskAssessment.class)
                .where(RiskAssessment.SUBJECT.hasId(patient)).returnBundle(Bundle.class).execute();
        String score = assessments.getEntry().stream().map(e -> (RiskAssessment) e.getResource())
                .map(a -> a.getPredictionFirstRep().getExtensionByUrl(CanonicalUrls.RISK_SCORE_EXTENSION))
                .filter(java.util.Objects::nonNull).map(e -> ", score " + e.getValue().primitiveValue()).findFirst()
                .orElse("");
        return patient + ": " + flag.map(f -> "Flag/" + f.getIdElement().getIdPart() + " " + (f.getStatus()
                == Flag.FlagStatus.ACTIVE ? priority(f).map(p -> p.equals("PH") ? "high (PH)" : "moderate (PM)")
                .orElse("active") : f.getStatus().toCode()) + score + " (Flag version " + f.getMeta().getVersionId()
                + ")").orElse("no Flag (low)" + score);
    }

    private static Optional<String> priority(Flag flag) {
        List<Extension> found = flag.getExtensionsByUrl(FLAG_PRIORITY);
        return found.isEmpty() ? Optional.empty() : Optional.of(
                ((org.hl7.fhir.r4.model.CodeableConcept) found.get(0).getValue()).getCodingFirstRep().getCode());
    }
}
