package calciscreen.e2e;

import static calciscreen.e2e.ClinicalData.SNOMED;
import static calciscreen.e2e.ClinicalData.daysAgo;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.HumanName;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The clinicians' worklist in a real headless Chromium, on the stack loaded by {@code ./calciscreen demo}, signed in
 * as the demo clinician.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WorklistBrowserIT extends EndToEndTest {

    record DemoPatient(String id, String example, String tier, int score) {}

    static List<DemoPatient> demo;
    static ChromeDriver browser;

    @BeforeAll
    static void loadTheDemoAndOpenABrowser() throws Exception {
        demo = runDemo();
        browser = Browser.start(stack.dir.resolve("chromium-profile"), 1366, 900);
    }

    @AfterAll
    static void closeTheBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    @Order(1)
    void listsTheDemoPatientsHighestRiskFirst() {
        open("/worklist");
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
        wait.until(d -> d.findElement(By.tagName("body")).getAttribute("data-rows") != null);

        List<String> shown = browser.findElements(By.cssSelector("#worklist tbody tr")).stream()
                .map(tr -> tr.getAttribute("data-patient-id")).toList();
        List<DemoPatient> flagged = demo.stream().filter(p -> !p.tier().equals("low")).toList();
        // high before moderate, then the higher score, then the Flag raised first (the demo posts in file order)
        List<String> expected = flagged.stream()
                .sorted(Comparator.comparing((DemoPatient p) -> p.tier().equals("high") ? 0 : 1)
                        .thenComparing(p -> -p.score()).thenComparing(p -> demo.indexOf(p)))
                .map(DemoPatient::id).toList();
        assertThat(shown.stream().filter(expected::contains).toList()).isEqualTo(expected);
        demo.stream().filter(p -> p.tier().equals("low"))
                .forEach(p -> assertThat(shown).doesNotContain(p.id()));

        WebElement high = row(expected.get(0));
        assertThat(high.getAttribute("data-tier")).isEqualTo("high");
        assertThat(high.getText()).contains("Ada Example", "High", "R5 Hyperparathyroidism", "700 pg/mL",
                "FHIR Patient/" + expected.get(0));
        assertThat(high.getText()).containsPattern("\\d{4}-\\d{2}-\\d{2}");
        Browser.screenshot(browser, "worklist");

        // filters: the rule filter keeps the patients whose rules include it
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("tier-filter"))).selectByValue("moderate");
        assertThat(browser.findElements(By.cssSelector("#worklist tbody tr")))
                .allMatch(tr -> "moderate".equals(tr.getAttribute("data-tier")));
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("tier-filter"))).selectByValue("");
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("rule-filter"))).selectByValue("R7");
        assertThat(browser.findElements(By.cssSelector("#worklist tbody tr")))
                .allMatch(tr -> tr.getText().contains("R7 Vitamin K antagonist"));
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("rule-filter"))).selectByValue("");
    }

    @Test
    @Order(2)
    void aFlagRaisedWhileThePageIsOpenAppearsWithoutAReload() {
        open("/worklist");
        new WebDriverWait(browser, Duration.ofSeconds(30))
                .until(d -> d.findElement(By.tagName("body")).getAttribute("data-rows") != null);
        browser.executeScript("window.__sameDocument = 'yes';");

        // a name that would run script if the page wrote patient data as HTML
        ClinicalData data = ClinicalData.newPatient(AdministrativeGender.FEMALE)
                .condition(SNOMED, "46177005", "End-stage renal disease")
                .lab("2777-1", 6.6, "mg/dL", daysAgo(1))
                .lab("2731-8", 810, "pg/mL", daysAgo(1))
                .warfarin();
        org.hl7.fhir.r4.model.Bundle tx = data.transaction();
        ((org.hl7.fhir.r4.model.Patient) tx.getEntryFirstRep().getResource()).addName(new HumanName()
                .setFamily("<img src=x onerror=\"window.__xss=1\">").addGiven("Late"));
        String patientId = new org.hl7.fhir.r4.model.IdType(client.transaction().withBundle(tx).execute()
                .getEntryFirstRep().getResponse().getLocation()).getIdPart();

        new WebDriverWait(browser, Duration.ofSeconds(90)).until(d ->
                !d.findElements(By.cssSelector("#worklist tbody tr[data-patient-id='" + patientId + "']")).isEmpty());
        assertThat(browser.executeScript("return window.__sameDocument;")).isEqualTo("yes");
        WebElement row = row(patientId);
        assertThat(row.getText()).contains("Late <img src=x onerror=\"window.__xss=1\">");
        assertThat(browser.executeScript("return window.__xss === undefined;")).isEqualTo(true);
        assertThat(row.findElements(By.tagName("img"))).isEmpty();
        Browser.screenshot(browser, "worklist-after-new-flag");
    }

    @Test
    @Order(3)
    void thePatientViewDrawsTheTrendWithTheThresholds() {
        DemoPatient high = demo.get(0);
        open("/worklist");
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
        wait.until(d -> !d.findElements(By.cssSelector("#worklist tbody tr[data-patient-id='" + high.id() + "'] a.patient-name")).isEmpty());
        row(high.id()).findElement(By.cssSelector("a.patient-name")).click();
        wait.until(d -> d.findElement(By.id("trend")).getAttribute("data-points") != null);

        assertThat(browser.findElement(By.id("patient-view")).isDisplayed()).isTrue();
        assertThat(browser.findElement(By.id("patient-heading")).getText()).isEqualTo("Ada Example");
        assertThat(Integer.parseInt(browser.findElement(By.id("trend")).getAttribute("data-points"))).isGreaterThan(0);
        Object labels = browser.executeScript("var c = Chart.getChart(document.getElementById('trend'));"
                + "return c ? c.data.datasets.map(function (d) { return d.label + ':' + d.data.length; }) : null;");
        assertThat(labels).asString().contains("Corrected calcium (mg/dL)", "Phosphate (mg/dL)", "PTH (pg/mL)",
                "Calcium threshold 10.2 mg/dL:2", "Phosphate threshold 5.5 mg/dL:2", "PTH threshold 585 pg/mL:2");
        // the chart painted something: the canvas is not blank
        Object painted = browser.executeScript("var c = document.getElementById('trend');"
                + "var d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
                + "for (var i = 3; i < d.length; i += 4) { if (d[i] !== 0) return true; } return false;");
        assertThat(painted).isEqualTo(true);
        List<WebElement> evidence = browser.findElements(By.cssSelector("#evidence a"));
        assertThat(evidence).isNotEmpty();
        assertThat(evidence).allMatch(a -> a.getAttribute("href").startsWith(stack.fhirBase() + "/"));
        assertThat(evidence.stream().map(WebElement::getText)).anyMatch(t -> t.startsWith("Observation/"));
        Browser.screenshot(browser, "patient-view");

        browser.manage().window().setSize(new org.openqa.selenium.Dimension(800, 1100));
        open("/worklist");
        wait.until(d -> d.findElement(By.tagName("body")).getAttribute("data-rows") != null);
        Browser.screenshot(browser, "worklist-tablet");
        browser.manage().window().setSize(new org.openqa.selenium.Dimension(1366, 900));
    }

    /** The page as the demo clinician sees it (signing in at the embedded issuer's form when asked). */
    static void open(String path) {
        Browser.openSignedIn(browser, stack.screeningBase() + path, "clinician", stack.demoPassword("clinician"));
    }

    private static WebElement row(String patientId) {
        return browser.findElement(By.cssSelector("#worklist tbody tr[data-patient-id='" + patientId + "']"));
    }

    /** {@code ./calciscreen demo} against the test stack: the same main class, the same jar, an operator's token. */
    static List<DemoPatient> runDemo() throws Exception {
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", Stack.screeningJar(), "-Dloader.main=calciscreen.screening.demo.Demo",
                "org.springframework.boot.loader.launch.PropertiesLauncher", "--fhir=" + stack.fhirBase(),
                "--token=" + stack.token("calciscreen-admin"))
                .redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(out).isZero();
        Files.writeString(stack.dir.resolve("demo.out"), out);
        Matcher m = Pattern.compile("Patient/(\\S+)\\s+\\((\\S+)\\)\\s*\\n.*\\n\\s+tier (\\w+), score (\\d+)").matcher(out);
        List<DemoPatient> patients = new ArrayList<>();
        while (m.find()) {
            patients.add(new DemoPatient(m.group(1), m.group(2), m.group(3), Integer.parseInt(m.group(4))));
        }
        assertThat(patients).as(out).hasSize(4);
        return patients;
    }
}
