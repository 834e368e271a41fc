package calciscreen.screening.demo;

import calciscreen.model.CanonicalUrls;
import calciscreen.screening.context.PatientRecord;
import calciscreen.screening.context.PatientRecordLoader;
import calciscreen.screening.rules.Assessment;
import calciscreen.screening.rules.PatientContext;
import calciscreen.screening.rules.RuleConfig;
import calciscreen.screening.rules.RuleResult;
import calciscreen.screening.rules.RuleSet;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Flag;
import org.hl7.fhir.r4.model.IdType;

/**
 * {@code ./calciscreen demo}: posts the shipped example patients (one per tier, one in molar units) to a running
 * stack, waits for the screening to write their Flags, and prints each patient's tier with the rules that fired.
 * Lab dates in the examples are relative ({@code ${daysAgo:3}}) so they always fall inside the lookback.
 */
public final class Demo {

    static final List<String> EXAMPLES = List.of("1-high.json", "2-moderate-molar-units.json",
            "3-moderate-corrected-calcium.json", "4-low.json");
    private static final Pattern DAYS_AGO = Pattern.compile("\\$\\{daysAgo:(\\d+)}");

    public static void main(String[] args) throws Exception {
        String base = "http://localhost:8080/fhir";
        String token = null;
        for (String arg : args) {
            if (arg.startsWith("--fhir=")) {
                base = arg.substring("--fhir=".length());
            } else if (arg.startsWith("--token=")) {
                token = arg.substring("--token=".length());
            }
        }
        // a command-line tool: only warnings from the libraries, our own output on stdout
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
                .setLevel(ch.qos.logback.classic.Level.WARN);
        FhirContext fhir = FhirContext.forR4Cached();
        fhir.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
        IGenericClient client = fhir.newRestfulGenericClient(base);
        if (token != null && !token.isBlank()) {
            client.registerInterceptor(new ca.uhn.fhir.rest.client.interceptor.BearerTokenAuthInterceptor(token));
        }
        RuleSet rules = new RuleSet(RuleConfig.v1());
        PatientRecordLoader loader = new PatientRecordLoader(client);

        System.out.println("Posting the example patients to " + base + " ...");
        for (String example : EXAMPLES) {
            Bundle transaction = fhir.newJsonParser().parseResource(Bundle.class, load(example));
            String expected = transaction.getMeta().getTagFirstRep().getDisplay();
            Bundle response = client.transaction().withBundle(transaction).execute();
            String patientId = new IdType(response.getEntryFirstRep().getResponse().getLocation()).getIdPart();

            Optional<Flag> flag = awaitFlag(client, patientId, expected.contains("no Flag") ? 5 : 30);
            PatientRecord record = loader.load(patientId, Instant.now(), RuleConfig.v1().lookback());
            Assessment assessment = rules.evaluate(
                    PatientContext.from(record.patient().orElse(null), record.clinicalData()), Instant.now());

            System.out.printf("%nPatient/%s  (%s)%n", patientId, example);
            System.out.printf("  Flag on the server: %s%n", flag.map(Demo::describe).orElse("none"));
            System.out.printf("  tier %s, score %d%n", assessment.tier().name().toLowerCase(), assessment.score());
            for (RuleResult result : assessment.results()) {
                if (result.fired()) {
                    System.out.println("    " + result.describe());
                }
            }
            System.out.println("  " + expected);
        }
        System.out.printf("%nActive Flags: %s/Flag?status=active%n", base);
    }

    private static Optional<Flag> awaitFlag(IGenericClient client, String patientId, int seconds) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(seconds);
        while (Instant.now().isBefore(deadline)) {
            Bundle found = client.search().forResource(Flag.class)
                    .where(Flag.IDENTIFIER.exactly().systemAndIdentifier(CanonicalUrls.SCREENING_IDENTIFIER_SYSTEM,
                            CanonicalUrls.screeningIdentifierValue(patientId)))
                    .returnBundle(Bundle.class).execute();
            if (!found.getEntry().isEmpty()) {
                return Optional.of((Flag) found.getEntryFirstRep().getResource());
            }
            Thread.sleep(250);
        }
        return Optional.empty();
    }

    private static String describe(Flag flag) {
        Extension priority = flag.getExtensionByUrl(CanonicalUrls.FLAG_PRIORITY_EXTENSION);
        String code = priority == null ? "-"
                : ((org.hl7.fhir.r4.model.CodeableConcept) priority.getValue()).getCodingFirstRep().getCode();
        return "Flag/" + flag.getIdElement().getIdPart() + " " + flag.getStatus().toCode() + " priority " + code
                + ", " + flag.getExtensionsByUrl(CanonicalUrls.FLAG_DETAIL_EXTENSION).size() + " evidence references";
    }

    static String load(String example) throws IOException {
        try (InputStream in = Demo.class.getResourceAsStream("/demo/" + example)) {
            if (in == null) {
                throw new IllegalStateException("missing demo/" + example);
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .replace("urn:uuid:PATIENT", "urn:uuid:" + UUID.randomUUID());
            Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            Matcher matcher = DAYS_AGO.matcher(text);
            StringBuilder out = new StringBuilder();
            while (matcher.find()) {
                matcher.appendReplacement(out, now.minus(Long.parseLong(matcher.group(1)), ChronoUnit.DAYS).toString());
            }
            matcher.appendTail(out);
            return out.toString();
        }
    }
}
