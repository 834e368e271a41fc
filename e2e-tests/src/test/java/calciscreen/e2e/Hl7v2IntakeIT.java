package calciscreen.e2e;

import static calciscreen.e2e.Hl7Intake.ackCode;
import static calciscreen.e2e.Hl7Intake.example;
import static calciscreen.e2e.Hl7Intake.field;
import static calciscreen.e2e.Hl7Intake.segment;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import calciscreen.hl7v2.mllp.MllpClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.Flag;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Quantity;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The hospital lab's HL7 v2 feed end to end: real MLLP over sockets into the intake process, the FHIR server and the
 * screening as processes, resources and Flags checked by FHIR search.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class Hl7v2IntakeIT extends EndToEndTest {

    static final Duration WAIT = Duration.ofSeconds(60);
    static final String RESULT_SYSTEM = "http://calciscreen.example/fhir/sid/hl7v2-result/CITYHOSP";
    static Hl7Intake intake;

    @BeforeAll
    static void startIntake() {
        intake = Hl7Intake.start(stack, "hl7v2-intake");
    }

    @AfterAll
    static void stopIntake() {
        if (intake != null) {
            intake.stop();
        }
    }

    @Test
    @Order(1)
    void theShippedMessagesAreStoredAndScreenedAndCorrectionsChangeTheObservationAndTheFlag() throws IOException {
        String run = Hl7Intake.newRun();
        try (MllpClient lab = intake.connect()) {
            assertThat(ackCode(lab.send(one("01-adt-a04-register", run)))).isEqualTo("AA");
            String patient = patientId(run + "01");
            assertThat(client.read().resource(Patient.class).withId(patient).execute().getGender())
                    .isEqualTo(AdministrativeGender.FEMALE);

            // Ca 10.8 (Payne 10.88 > 10.2) R2 2 + phosphate 6.2 R3 2 + product 67.5 R4 1 + female R8 1 = 6: moderate
            String panelAck = lab.send(one("02-oru-renal-panel", run));
            assertThat(ackCode(panelAck)).isEqualTo("AA");
            assertThat(field(segment(panelAck, "MSA"), 2)).isEqualTo("LAB-" + run + "-0001");
            flags.await(patient, f -> tier(f).equals("PM"), WAIT);
            Observation calcium = result("FL-" + run + "-5001^CITYLAB/17861-6/");
            assertThat(calcium.getValueQuantity().getValue()).isEqualByComparingTo("10.8");
            assertThat(calcium.getValueQuantity().getCode()).isEqualTo("mg/dL");
            assertThat(calcium.getStatus()).isEqualTo(Observation.ObservationStatus.FINAL);
            assertThat(calcium.getSubject().getReferenceElement().getIdPart()).isEqualTo(patient);
            assertThat(calcium.getSpecimen().hasReference()).as("SPM -> Specimen").isTrue();

            // + PTH 720 pg/mL R5 2 = 8: high
            assertThat(ackCode(lab.send(one("03-oru-pth-pg-ml", run)))).isEqualTo("AA");
            flags.await(patient, f -> tier(f).equals("PH"), WAIT);

            // ADT^A08: the patient is male now, R8 no longer fires: 7, moderate
            assertThat(ackCode(lab.send(one("04-adt-a08-sex-change", run)))).isEqualTo("AA");
            assertThat(client.read().resource(Patient.class).withId(patient).execute().getGender())
                    .isEqualTo(AdministrativeGender.MALE);
            flags.await(patient, f -> tier(f).equals("PM"), WAIT);

            // calcium corrected to 9.9: a new version of the same Observation, status corrected; R2 no longer fires
            assertThat(ackCode(lab.send(one("05-oru-corrected-result", run)))).isEqualTo("AA");
            Observation corrected = result("FL-" + run + "-5001^CITYLAB/17861-6/");
            assertThat(corrected.getIdElement().getIdPart()).isEqualTo(calcium.getIdElement().getIdPart());
            assertThat(corrected.getMeta().getVersionId()).isEqualTo("2");
            assertThat(corrected.getStatus()).isEqualTo(Observation.ObservationStatus.CORRECTED);
            assertThat(corrected.getValueQuantity().getValue()).isEqualByComparingTo("9.9");
            // R3 2 + R4 1 (Payne 9.98 x 6.2 = 61.9) + R5 2 = 5, still moderate
            awaitScore(patient, 5);

            // the PTH deleted (OBX-11 D): entered-in-error; 3 points, the Flag goes inactive
            assertThat(ackCode(lab.send(one("06-oru-deleted-result", run)))).isEqualTo("AA");
            assertThat(result("FL-" + run + "-5002^CITYLAB/2731-8/").getStatus())
                    .isEqualTo(Observation.ObservationStatus.ENTEREDINERROR);
            flags.await(patient, f -> f.getStatus() == Flag.FlagStatus.INACTIVE, WAIT);

            // PTH 76.3 pmol/L (v2.3) R5 2 + ionized calcium 1.38 mmol/L (v2.4) R2 2 + phosphate final 6.3 R3 2 = 6
            for (String name : List.of("07-oru-pth-pmol-l-v23", "08-oru-ionized-calcium-v24")) {
                assertThat(ackCode(lab.send(one(name, run)))).as(name).isEqualTo("AA");
            }
            List<String> preliminaryThenFinal = example("09-oru-preliminary-then-final", run);
            assertThat(ackCode(lab.send(preliminaryThenFinal.get(0)))).isEqualTo("AA");
            String second = patientId(run + "02");
            assertThat(result("FL-" + run + "-5005^CITYLAB/2777-1/").getStatus())
                    .isEqualTo(Observation.ObservationStatus.PRELIMINARY);
            assertThat(ackCode(lab.send(preliminaryThenFinal.get(1)))).isEqualTo("AA");
            Observation phosphate = result("FL-" + run + "-5005^CITYLAB/2777-1/");
            assertThat(phosphate.getStatus()).isEqualTo(Observation.ObservationStatus.FINAL);
            assertThat(phosphate.getMeta().getVersionId()).isEqualTo("2");
            flags.await(second, f -> tier(f).equals("PM"), WAIT);

            // PTH >5000 is stored with its comparator; a local code with a LOINC alternate is read as LOINC
            assertThat(ackCode(lab.send(one("10-oru-greater-than-v24", run)))).isEqualTo("AA");
            Quantity above = result("FL-" + run + "-5006^CITYLAB/2731-8/").getValueQuantity();
            assertThat(above.getComparator()).isEqualTo(Quantity.QuantityComparator.GREATER_THAN);
            assertThat(above.getValue()).isEqualByComparingTo("5000");
            assertThat(ackCode(lab.send(one("11-oru-local-code-loinc-alternate", run)))).isEqualTo("AA");
            Observation local = result("FL-" + run + "-5007^CITYLAB/CA/");
            assertThat(local.getCode().getCoding()).extracting(c -> c.getSystem() + "|" + c.getCode())
                    .contains("http://loinc.org|17861-6");
            // Ca 11.4 R2 2 + phosphate 6.8 R3 2 + product R4 1 + female R8 1 = 6
            flags.await(patientId(run + "03"), f -> tier(f).equals("PM"), WAIT);

            // a result without a code: AR, the ERR segment names OBX[2]-3, and nothing of the message is stored
            String rejected = lab.send(one("12-oru-malformed", run));
            assertThat(ackCode(rejected)).isEqualTo("AR");
            assertThat(field(segment(rejected, "ERR"), 2)).startsWith("OBX^2^3");
            assertThat(search("Observation?identifier=" + RESULT_SYSTEM + "|" + java.net.URLEncoder.encode(
                    "FL-" + run + "-5008^CITYLAB/17861-6/", StandardCharsets.UTF_8))).isEmpty();
        }
    }

    @Test
    @Order(2)
    void aRenalPanelWithHighCalciumAndPhosphateForAnEskdPatientRaisesAHighFlag() {
        String run = Hl7Intake.newRun();
        assertThat(ackCode(intake.send(one("01-adt-a04-register", run)))).isEqualTo("AA");
        String patient = patientId(run + "01");
        Condition eskd = new Condition();
        eskd.getCode().addCoding().setSystem(ClinicalData.SNOMED).setCode("46177005").setDisplay("End-stage renal disease");
        eskd.setSubject(new org.hl7.fhir.r4.model.Reference("Patient/" + patient));
        client.create().resource(eskd).execute();
        // R1 3 + R2 2 + R3 2 + R4 1 + R8 1 = 9
        assertThat(ackCode(intake.send(one("02-oru-renal-panel", run)))).isEqualTo("AA");
        flags.await(patient, f -> tier(f).equals("PH"), WAIT);
        awaitScore(patient, 9);
    }

    @Test
    @Order(3)
    void aSenderNoOneHereWroteIsAnsweredAndItsMessagesStored() throws Exception {
        Path mllpSend = Path.of("/usr/bin/mllp_send");
        boolean ci = "true".equalsIgnoreCase(System.getenv("CI"));
        if (!Files.isExecutable(mllpSend)) {
            if (ci) {
                throw new IllegalStateException("mllp_send (Debian's python3-hl7) is missing; .ci/run installs it");
            }
            assumeTrue(false, "mllp_send is not installed (apt-get install python3-hl7)");
        }
        String run = Hl7Intake.newRun();
        Path file = stack.dir.resolve("mllp-send-" + run + ".hl7");
        StringBuilder messages = new StringBuilder();
        for (String name : List.of("01-adt-a04-register", "02-oru-renal-panel", "03-oru-pth-pg-ml", "12-oru-malformed")) {
            for (String message : example(name, run)) {
                messages.append(message.replace('\r', '\n'));
            }
        }
        Files.writeString(file, messages.toString());
        Process sender = new ProcessBuilder(mllpSend.toString(), "--loose", "--file", file.toString(),
                "--port", String.valueOf(intake.mllpPort), "localhost").redirectErrorStream(true).start();
        assertThat(sender.waitFor(60, TimeUnit.SECONDS)).as("mllp_send finished").isTrue();
        String output = new String(sender.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(sender.exitValue()).as(output).isZero();
        List<String> acks = new ArrayList<>();
        for (String part : output.split("\u000b")) {
            if (part.contains("MSA|")) {
                acks.add(ackCode(part.replace("\u001c", "").replace('\n', '\r')));
            }
        }
        assertThat(acks).containsExactly("AA", "AA", "AA", "AR");
        String patient = patientId(run + "01");
        assertThat(result("FL-" + run + "-5002^CITYLAB/2731-8/").getSubject().getReferenceElement().getIdPart())
                .isEqualTo(patient);
        flags.await(patient, f -> tier(f).equals("PH"), WAIT);
    }

    @Test
    @Order(4)
    void aResendIsStoredOnceAndAnsweredWithTheSameAckAlsoAfterARestart() {
        String run = Hl7Intake.newRun();
        intake.send(one("01-adt-a04-register", run));
        String message = one("02-oru-renal-panel", run);
        String first = intake.send(message);
        assertThat(ackCode(first)).isEqualTo("AA");
        assertThat(intake.send(message)).as("the same ACK, its own control id included").isEqualTo(first);
        assertThat(search("Observation?subject=Patient/" + patientId(run + "01"))).hasSize(3)
                .allSatisfy(o -> assertThat(o.getMeta().getVersionId()).isEqualTo("1"));

        intake.stop();
        intake.start();
        assertThat(intake.send(message)).as("after a restart").isEqualTo(first);
        assertThat(search("Observation?subject=Patient/" + patientId(run + "01"))).hasSize(3)
                .allSatisfy(o -> assertThat(o.getMeta().getVersionId()).isEqualTo("1"));
        assertThat(search("Communication?identifier=http://calciscreen.example/fhir/sid/hl7v2-message/CITYLAB/CITYHOSP|"
                + "LAB-" + run + "-0001")).hasSize(1);
    }

    /**
     * Two intakes (as in an active-active pair) receive the same message at the same moment: their patient locks
     * know nothing of each other, so only the server's conditional-create uniqueness stands between them and a
     * second copy. One receipt, one set of results, and both senders get the same ACK.
     */
    @Test
    @Order(5)
    void twoResendsRacingThroughTwoIntakesStoreOnce() throws Exception {
        try (Hl7Intake twin = Hl7Intake.start(stack, "hl7v2-intake-twin")) {
            for (int round = 0; round < 4; round++) {
                String run = Hl7Intake.newRun();
                String message = one("02-oru-renal-panel", run);
                CyclicBarrier start = new CyclicBarrier(2);
                ExecutorService pool = Executors.newFixedThreadPool(2);
                try {
                    List<Future<String>> acks = new ArrayList<>();
                    for (Hl7Intake target : List.of(intake, twin)) {
                        acks.add(pool.submit(() -> {
                            try (MllpClient lab = target.connect()) {
                                start.await(10, TimeUnit.SECONDS);
                                String ack = lab.send(message);
                                // what a sender does with an AE: send again
                                return ackCode(ack).equals("AE") ? lab.send(message) : ack;
                            }
                        }));
                    }
                    String a = acks.get(0).get(60, TimeUnit.SECONDS);
                    String b = acks.get(1).get(60, TimeUnit.SECONDS);
                    assertThat(ackCode(a)).as("round %d", round).isEqualTo("AA");
                    assertThat(b).as("round %d: the same ACK", round).isEqualTo(a);
                } finally {
                    pool.shutdownNow();
                }
                String patient = patientId(run + "01");
                assertThat(search("Patient?identifier=" + Hl7Intake.PATIENT_SYSTEM + "|" + run + "01")).hasSize(1);
                assertThat(search("Observation?subject=Patient/" + patient)).as("round %d", round).hasSize(3);
                assertThat(search("Communication?subject=Patient/" + patient)).as("round %d", round).hasSize(1);
            }
        }
    }

    @Test
    @Order(6)
    void whileTheFhirServerIsDownMessagesGetAeAndTheirResendsAreStoredOnceAfterwards() {
        String run = Hl7Intake.newRun();
        String acknowledgedBefore = one("02-oru-renal-panel", run);
        intake.send(one("01-adt-a04-register", run));
        assertThat(ackCode(intake.send(acknowledgedBefore))).isEqualTo("AA");
        List<String> duringOutage = List.of(one("03-oru-pth-pg-ml", run), one("05-oru-corrected-result", run));

        stack.stopServer();
        List<String> outageAcks = new ArrayList<>();
        try {
            for (String message : duringOutage) {
                String ack = intake.send(message);
                outageAcks.add(ack);
                assertThat(ackCode(ack)).isEqualTo("AE");
                assertThat(field(segment(ack, "ERR"), 3)).startsWith("207");
            }
        } finally {
            stack.startServer();
        }
        for (String message : duringOutage) { // the lab resends what got AE, once the server is back
            String ack = awaitAck(message);
            assertThat(ackCode(ack)).isEqualTo("AA");
            assertThat(intake.send(message)).as("a second resend").isEqualTo(ack);
        }
        String patient = patientId(run + "01");
        assertThat(search("Observation?subject=Patient/" + patient)).as("3 from the panel + 1 PTH").hasSize(4);
        assertThat(result("FL-" + run + "-5001^CITYLAB/17861-6/").getStatus())
                .isEqualTo(Observation.ObservationStatus.CORRECTED);
        assertThat(search("Communication?subject=Patient/" + patient)).hasSize(4);
    }

    @Test
    @Order(7)
    void threeHundredGarbageMessagesAreEachAnsweredOrClosedAndValidSendersAreStillServed() throws Exception {
        Random random = new Random(23);
        String run = Hl7Intake.newRun();
        String valid = one("01-adt-a04-register", run);
        try (MllpClient steady = intake.connect()) {
            int answered = 0;
            int closed = 0;
            for (int i = 0; i < 300; i++) {
                byte[] garbage = garbage(i, random, valid);
                try (MllpClient attacker = intake.connect()) {
                    try {
                        attacker.sendRaw(garbage);
                    } catch (IOException resetWhileSending) { // the listener closed first (a frame over the limit)
                        closed++;
                        continue;
                    }
                    if (i % 6 == 2) {
                        if (i % 150 == 2) { // the sender stays, silent: the listener gives up on the frame
                            assertThat(attacker.closedByListener(Duration.ofSeconds(15))).as("stalled %d", i).isTrue();
                        } // otherwise the sender goes away mid-frame
                        closed++;
                        continue;
                    }
                    try {
                        String answer = attacker.receive();
                        assertThat(ackCode(answer)).as("garbage %d", i).isIn("AR", "AE");
                        answered++;
                    } catch (java.net.SocketTimeoutException silent) {
                        throw new AssertionError("garbage " + i + " was neither answered nor its connection closed");
                    } catch (IOException closedByListener) {
                        closed++;
                    }
                }
                if (i % 50 == 0) {
                    assertThat(ackCode(steady.send(valid))).as("the valid sender after %d", i).isEqualTo("AA");
                }
            }
            System.out.printf("300 garbage messages: %d answered AR/AE, %d connections closed%n", answered, closed);
            assertThat(answered).isGreaterThan(100);
            assertThat(ackCode(steady.send(one("02-oru-renal-panel", run)))).isEqualTo("AA");
        }
        assertThat(ackCode(intake.send(one("03-oru-pth-pg-ml", run)))).as("a new connection").isEqualTo("AA");
        assertThat(intake.httpGet("/actuator/health", null)).startsWith("200").contains("UP");
    }

    @Test
    @Order(8)
    void metricsAndHealthDetailsNeedAnOperatorToken() {
        assertThat(intake.httpGet("/actuator/prometheus", null)).startsWith("401");
        assertThat(intake.httpGet("/actuator/health/details", null)).startsWith("401");
        assertThat(intake.httpGet("/actuator/prometheus", stack.token("calciscreen-lab"))).startsWith("403");
        String metrics = intake.httpGet("/actuator/prometheus", stack.token("calciscreen-admin"));
        assertThat(metrics).startsWith("200").contains("calciscreen_hl7v2_messages_received_total",
                "calciscreen_hl7v2_messages_accepted_total", "calciscreen_hl7v2_messages_duplicates_total",
                "calciscreen_hl7v2_messages_errored_total", "calciscreen_hl7v2_messages_rejected_total",
                "calciscreen_hl7v2_ack_seconds");
        assertThat(intake.httpGet("/actuator/health/details", stack.token("calciscreen-admin")))
                .startsWith("200").contains("\"mllp\"");
    }

    /** Garbage of many kinds; every sixth one a frame cut short. */
    private static byte[] garbage(int i, Random random, String valid) {
        byte[] bytes;
        switch (i % 6) {
            case 0 -> { // random bytes, framed
                bytes = new byte[1 + random.nextInt(2000)];
                random.nextBytes(bytes);
                return MllpClient.frame(bytes);
            }
            case 1 -> { // random bytes, unframed
                bytes = new byte[1 + random.nextInt(500)];
                random.nextBytes(bytes);
                bytes[0] = 'X';
                return bytes;
            }
            case 2 -> { // a frame that never ends
                byte[] text = valid.getBytes(StandardCharsets.UTF_8);
                byte[] cut = new byte[1 + random.nextInt(text.length - 1)];
                cut[0] = 0x0b;
                System.arraycopy(text, 0, cut, 1, cut.length - 1);
                return cut;
            }
            case 3 -> { // a version nobody sends here
                return MllpClient.frame(valid.replace("|P|2.5.1", "|P|" + List.of("2.1", "2.2", "2.7", "3.0", "9.9").get(
                        random.nextInt(5))).getBytes(StandardCharsets.UTF_8));
            }
            case 4 -> { // a huge segment (over the 1 MB limit now and then) in a message of an event not read here
                int size = random.nextInt(4) == 0 ? 1_200_000 : 20_000 + random.nextInt(50_000);
                return MllpClient.frame((valid.replace("ADT^A04", "ADT^A03") + "NTE|1||" + "x".repeat(size) + "\r")
                        .getBytes(StandardCharsets.UTF_8));
            }
            default -> { // HL7-looking text that is not a valid message
                String[] shapes = {"MSH|", "MSH|^~\\&|", "PID|1||x\r", "MSH|^~\\&|A|B|C|D|x||ORU^R01|1|P|2.5.1\rOBX|",
                        "MSH|^~\\&|A|B|C|D|20261120||ACK^R01^ACK|" + random.nextInt() + "|P|2.5.1\rMSA|AA|LAB-1\r",
                        valid.substring(0, valid.indexOf('\r')) + "\rZZZ|" + random.nextInt()};
                return MllpClient.frame(shapes[random.nextInt(shapes.length)].getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    /** Sends until the answer is not AE (the server is still starting), as a lab's interface resends. */
    private static String awaitAck(String message) {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        String ack = intake.send(message);
        while (ackCode(ack).equals("AE") && System.nanoTime() < deadline) {
            Stack.sleep(1_000);
            ack = intake.send(message);
        }
        return ack;
    }

    /** Waits until the patient's RiskAssessment carries {@code score}: the screening has seen the change. */
    private static void awaitScore(String patient, int score) {
        org.awaitility.Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> flags
                .assessmentOf(patient).map(a -> a.getPredictionFirstRep().getExtensionByUrl(
                        calciscreen.model.CanonicalUrls.RISK_SCORE_EXTENSION)).map(e -> e.getValue().primitiveValue())
                .equals(Optional.of(String.valueOf(score))));
    }

    private static String one(String example, String run) {
        return example(example, run).get(0);
    }

    private static String tier(Flag flag) {
        return flag.getStatus() == Flag.FlagStatus.ACTIVE ? Flags.priority(flag).orElse("") : "inactive";
    }

    private static String patientId(String mrn) {
        List<org.hl7.fhir.r4.model.Resource> found = search("Patient?identifier=" + Hl7Intake.PATIENT_SYSTEM + "|" + mrn);
        assertThat(found).as("Patient MRN %s", mrn).hasSize(1);
        return found.get(0).getIdElement().getIdPart();
    }

    private static Observation result(String identifierValue) {
        List<org.hl7.fhir.r4.model.Resource> found = search("Observation?identifier=" + RESULT_SYSTEM + "|"
                + java.net.URLEncoder.encode(identifierValue, StandardCharsets.UTF_8));
        assertThat(found).as("Observation %s", identifierValue).hasSize(1);
        return (Observation) found.get(0);
    }

    private static List<org.hl7.fhir.r4.model.Resource> search(String url) {
        Bundle bundle = client.search().byUrl(url).returnBundle(Bundle.class)
                .withAdditionalHeader("Cache-Control", "no-cache").execute();
        return bundle.getEntry().stream().map(Bundle.BundleEntryComponent::getResource).toList();
    }
}
