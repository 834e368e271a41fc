package calciscreen.e2e;

import static calciscreen.e2e.ClinicalData.SNOMED;
import static calciscreen.e2e.ClinicalData.daysAgo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Figures for the notes, printed (and appended to target/measurements.txt), never asserted on time:
 * CDS Hooks response time with and without prefetch, and the worklist's time to first render with 500 active Flags.
 * Not part of {@code mvn verify}; run it alone: {@code mvn -B verify -pl e2e-tests -am -Dit.test=MeasurementIT}.
 */
class MeasurementIT extends EndToEndTest {

    static final int CALLS = 200;
    static final int WARM_UP = 20;
    static final int FLAGS = 500;

    @Test
    void measure() throws Exception {
        CdsHooks cds = new CdsHooks(stack);
        List<String> report = new ArrayList<>();
        report.add("machine: " + Runtime.getRuntime().availableProcessors() + " cores, java "
                + System.getProperty("java.version"));

        // with prefetch: a high-risk patient's full prefetch
        Patient patient = CdsHooksIT.patient("measure-prefetch", AdministrativeGender.FEMALE);
        List<Resource> data = List.of(CdsHooksIT.esrd(patient, "c1"),
                CdsHooksIT.lab(patient, "o1", "17861-6", 10.8, "mg/dL", daysAgo(3)),
                CdsHooksIT.lab(patient, "o2", "2777-1", 6.2, "mg/dL", daysAgo(3)),
                CdsHooksIT.lab(patient, "o3", "2731-8", 700, "pg/mL", daysAgo(3)), CdsHooksIT.warfarin(patient, "m1"));
        String withPrefetch = CdsHooks.withPrefetch(patient, data).toString();
        report.add(figures("CDS POST with prefetch", time(cds, withPrefetch)));

        // without prefetch: the service reads the same kind of patient from the FHIR server
        String patientId = post(ClinicalData.newPatient(AdministrativeGender.FEMALE)
                .condition(SNOMED, "46177005", "End-stage renal disease")
                .lab("2777-1", 6.4, "mg/dL", daysAgo(2)).lab("2731-8", 640, "pg/mL", daysAgo(2)).warfarin());
        ObjectNode request = CdsHooks.onFhirServer(CdsHooks.request(patientId), stack);
        report.add(figures("CDS POST without prefetch (fhirServer)", time(cds, request.toString())));

        // 500 active Flags: moderate patients posted 50 to a transaction
        int existing = activeFlags();
        int toCreate = Math.max(0, FLAGS - existing);
        for (int done = 0; done < toCreate; done += 50) {
            Bundle tx = new Bundle().setType(Bundle.BundleType.TRANSACTION);
            for (int i = done; i < Math.min(toCreate, done + 50); i++) {
                ClinicalData.newPatient(i % 2 == 0 ? AdministrativeGender.FEMALE : AdministrativeGender.MALE)
                        .condition(SNOMED, "46177005", "End-stage renal disease")
                        .lab("2777-1", 5.6 + (i % 10) / 10.0, "mg/dL", daysAgo(1 + i % 30))
                        .transaction().getEntry().forEach(tx::addEntry);
            }
            client.transaction().withBundle(tx).execute();
        }
        org.awaitility.Awaitility.await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofSeconds(2))
                .until(() -> activeFlags() >= FLAGS);
        int flags = activeFlags();

        List<Long> api = new ArrayList<>();
        SignedInClient clinician = new SignedInClient(stack.screeningBase());
        assertThat(clinician.signInWithForm("clinician", stack.demoPassword("clinician")).statusCode()).isEqualTo(200);
        for (int i = 0; i < 6; i++) {
            long t0 = System.nanoTime();
            HttpResponse<String> r = clinician.json("/worklist/api/flags");
            assertThat(r.statusCode()).isEqualTo(200);
            if (i > 0) {
                api.add((System.nanoTime() - t0) / 1_000);
            }
        }
        report.add(figures("GET /worklist/api/flags with " + flags + " active Flags", api));

        ChromeDriver browser = Browser.start(stack.dir.resolve("chromium-measure"), 1366, 900);
        try {
            List<Long> render = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                Browser.openSignedIn(browser, stack.screeningBase() + "/worklist?run=" + i, "clinician",
                        stack.demoPassword("clinician"));
                new WebDriverWait(browser, Duration.ofSeconds(60))
                        .until(d -> d.findElement(By.tagName("body")).getAttribute("data-first-render-ms") != null);
                long ms = Long.parseLong(browser.findElement(By.tagName("body")).getAttribute("data-first-render-ms"));
                int rows = browser.findElements(By.cssSelector("#worklist tbody tr")).size();
                assertThat(rows).isGreaterThanOrEqualTo(FLAGS);
                if (i > 0) {
                    render.add(ms * 1000);
                }
            }
            report.add(figures("worklist time to first render (navigation start -> table drawn), " + flags
                    + " active Flags, 5 loads", render));
            Browser.screenshot(browser, "worklist-500");
        } finally {
            browser.quit();
        }

        report.forEach(System.out::println);
        Files.write(Browser.SCREENSHOTS.getParent().resolve("measurements.txt"), report,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /** The active calciphylaxis-risk Flags, counted on the FHIR server (the worklist's JSON needs a sign-in). */
    private int activeFlags() {
        return client.search().byUrl("Flag?status=active&identifier="
                        + calciscreen.model.CanonicalUrls.SCREENING_IDENTIFIER_SYSTEM + "|&_summary=count")
                .returnBundle(org.hl7.fhir.r4.model.Bundle.class).execute().getTotal();
    }

    /** Microseconds per call, after a warm-up; each call signs a new JWT as an EHR does (signing not timed). */
    private static List<Long> time(CdsHooks cds, String body) {
        List<Long> micros = new ArrayList<>();
        for (int i = 0; i < WARM_UP + CALLS; i++) {
            String token = cds.token();
            long t0 = System.nanoTime();
            HttpResponse<String> r = cds.call(body, token);
            long took = (System.nanoTime() - t0) / 1_000;
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(r.body()).contains("\"cards\":[{");
            if (i >= WARM_UP) {
                micros.add(took);
            }
        }
        return micros;
    }

    private static String figures(String what, List<Long> micros) {
        List<Long> sorted = new ArrayList<>(micros);
        Collections.sort(sorted);
        double median = sorted.size() % 2 == 1 ? sorted.get(sorted.size() / 2)
                : (sorted.get(sorted.size() / 2 - 1) + sorted.get(sorted.size() / 2)) / 2.0;
        long p99 = sorted.get(Math.max(0, (int) Math.ceil(sorted.size() * 0.99) - 1));
        return String.format("%s: n=%d median=%.1f ms p99=%.1f ms max=%.1f ms", what, sorted.size(), median / 1000,
                p99 / 1000.0, sorted.get(sorted.size() - 1) / 1000.0);
    }
}
