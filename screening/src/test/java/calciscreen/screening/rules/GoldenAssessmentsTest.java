package calciscreen.screening.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/**
 * The rule engine's behaviour, pinned: {@value #PATIENTS} seeded random patients ({@link RandomPatients}) evaluated by
 * rule set v1, each Assessment written as one line (score, tier, every rule's verdict, reason, points, measurement and
 * sources, the notes) and compared with {@code golden-assessments-v1.txt.gz}, which the engine before the issue-24
 * rewrite produced. A rewrite of the rules must give the same lines.
 *
 * <p>To regenerate (only when the rule set itself changes, with the reason in the commit):
 * {@code mvn -pl screening test -Dtest=GoldenAssessmentsTest -Dgolden.write=src/test/resources/calciscreen/screening/rules/golden-assessments-v1.txt.gz}
 */
class GoldenAssessmentsTest {

    static final int PATIENTS = 5_000;
    static final long SEED = 24L;
    private static final String GOLDEN = "golden-assessments-v1.txt.gz";

    @Test
    void everyRandomPatientGetsTheAssessmentOfTheGoldenFile() throws IOException {
        List<String> actual = lines();
        String write = System.getProperty("golden.write");
        if (write != null) {
            try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(Path.of(write)));
                 PrintWriter w = new PrintWriter(new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8))) {
                actual.forEach(w::println);
            }
        }
        List<String> expected = golden(write == null ? GoldenAssessmentsTest.class.getResourceAsStream(GOLDEN)
                : Files.newInputStream(Path.of(write)));
        assertEquals(PATIENTS, expected.size(), "patients in " + GOLDEN);
        for (int i = 0; i < PATIENTS; i++) {
            assertEquals(expected.get(i), actual.get(i), "patient " + i + " (seed " + SEED + ")");
        }
    }

    static List<String> lines() {
        RandomPatients patients = new RandomPatients(SEED, Fhir.NOW);
        RuleSet rules = RuleSet.v1();
        List<String> lines = new ArrayList<>(PATIENTS);
        for (int i = 0; i < PATIENTS; i++) {
            RandomPatients.Generated g = patients.next();
            Assessment a = rules.evaluate(PatientContext.from(g.patient(), g.resources()), Fhir.NOW);
            lines.add(line(a));
        }
        return lines;
    }

    /** One Assessment as one line: what a Flag, a RiskAssessment, a card or the worklist could show of it. */
    static String line(Assessment a) {
        StringBuilder b = new StringBuilder();
        b.append(a.rulesCanonical()).append(' ').append(a.evaluatedAt()).append(" score=").append(a.score())
                .append(' ').append(a.tier()).append(a.deceased() ? " deceased" : "")
                .append(" flag=").append(a.flagPriority().orElse("-"));
        for (RuleResult r : a.results()) {
            b.append(" | ").append(r.describe());
            if (r.verdict() instanceof Verdict.Indeterminate i) {
                b.append(" @").append(i.source());
            }
            r.measurement().ifPresent(m -> b.append(" {").append(m.what()).append(' ').append(m.value()).append(' ')
                    .append(m.unit()).append(' ').append(m.at().map(Object::toString).orElse("-")).append('}'));
            b.append(' ').append(r.sources());
        }
        b.append(" || evidence=").append(a.evidenceResourceIds());
        for (DataNote n : a.notes()) {
            b.append(" || ").append(n);
        }
        return b.toString();
    }

    private static List<String> golden(InputStream in) throws IOException {
        assertNotNull(in, GOLDEN + " on the test class path");
        List<String> lines = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(in),
                StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                lines.add(line);
            }
        }
        return lines;
    }
}
