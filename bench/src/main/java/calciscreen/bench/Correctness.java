package calciscreen.bench;

import calciscreen.model.resources.FlagBuilder;
import calciscreen.model.resources.FlagState;
import calciscreen.screening.rules.Assessment;
import calciscreen.screening.rules.PatientContext;
import calciscreen.screening.rules.RuleSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hl7.fhir.r4.model.Flag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * After a run: every patient on the server, read back and evaluated by the rule engine here, against the Flags the
 * screening wrote. A mismatch is a patient whose Flag is missing, duplicated, active when it must not be, or of the
 * wrong tier.
 */
public final class Correctness {

    private static final Logger log = LoggerFactory.getLogger(Correctness.class);

    public record Mismatch(String patientId, String expected, String found) {}

    public record Result(int patients, int flags, int activeExpected, List<Mismatch> mismatches, double seconds) {}

    private final PatientReader reader;
    private final RuleSet rules;

    public Correctness(PatientReader reader, RuleSet rules) {
        this.reader = reader;
        this.rules = rules;
    }

    /** What a patient's Flag must say, as {@code none} (no active Flag), {@code PM} or {@code PH}. */
    public static String expected(Assessment assessment) {
        return assessment.flagActive() ? assessment.flagPriority().orElse("?") : "none";
    }

    /** What a Flag says, in the same terms. */
    public static String found(Flag flag) {
        FlagState state = FlagBuilder.semanticState(flag);
        return state.active() ? state.priorityCode().orElse("active-without-priority") : "none";
    }

    public Assessment evaluate(PatientReader.PatientData data, Instant at) {
        return rules.evaluate(PatientContext.from(data.patient().orElse(null), data.resources()), at);
    }

    public Result check(List<String> expectedPatients) {
        long started = System.nanoTime();
        List<String> patients = reader.allPatientIds();
        List<Mismatch> mismatches = new ArrayList<>();
        for (String id : expectedPatients) {
            if (!patients.contains(id)) {
                mismatches.add(new Mismatch(id, "Patient on the server", "absent"));
            }
        }
        Map<String, List<Flag>> flagsBySubject = new HashMap<>();
        List<Flag> flags = reader.allFlags();
        for (Flag flag : flags) {
            String subject = flag.getSubject().getReferenceElement().getIdPart();
            flagsBySubject.computeIfAbsent(subject, s -> new ArrayList<>()).add(flag);
        }
        int activeExpected = 0;
        for (String id : patients) {
            PatientReader.PatientData data = reader.read(id);
            String expected = expected(evaluate(data, Instant.now()));
            if (!"none".equals(expected)) {
                activeExpected++;
            }
            List<Flag> own = flagsBySubject.getOrDefault(id, List.of());
            String found = own.isEmpty() ? "none" : found(own.get(0));
            if (own.size() > 1) {
                mismatches.add(new Mismatch(id, expected + " (one Flag)", own.size() + " Flags"));
            } else if (!expected.equals(found)) {
                mismatches.add(new Mismatch(id, expected, found));
            }
        }
        for (Mismatch m : mismatches) {
            log.warn("event=flag_mismatch patient={} expected={} found=\"{}\"", m.patientId(), m.expected(), m.found());
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        log.info("event=correctness_checked patients={} flags={} active_expected={} mismatches={}", patients.size(),
                flags.size(), activeExpected, mismatches.size());
        return new Result(patients.size(), flags.size(), activeExpected, List.copyOf(mismatches), seconds);
    }

    static Optional<String> subjectOf(Flag flag) {
        return Optional.ofNullable(flag.getSubject().getReferenceElement().getIdPart());
    }
}
