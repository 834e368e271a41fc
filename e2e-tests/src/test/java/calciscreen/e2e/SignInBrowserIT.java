package calciscreen.e2e;

import static calciscreen.e2e.ClinicalData.SNOMED;
import static calciscreen.e2e.ClinicalData.daysAgo;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.awaitility.Awaitility;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Task;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The whole sign-in of the zero-setup default, in a real headless Chromium: anonymous, sent to the embedded issuer's
 * form, signed in as the demo clinician, the worklist; a review, a snooze and a dismissal made from the page; sign-out
 * (here and at the issuer); a session that ends after its idle timeout. Screenshots under target/screenshots/.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SignInBrowserIT extends EndToEndTest {

    static ChromeDriver browser;
    static WebDriverWait wait;
    static List<String> patients;
    static String issuerOrigin;

    @BeforeAll
    static void flaggedPatientsAndABrowser() {
        issuerOrigin = stack.fhirBase().replace("/fhir", "");
        patients = List.of(patient("Ada", "Review"), patient("Bea", "Snooze"), patient("Cy", "Dismiss"));
        browser = Browser.start(stack.dir.resolve("chromium-signin"), 1366, 900);
        wait = new WebDriverWait(browser, Duration.ofSeconds(30));
        wait.ignoring(StaleElementReferenceException.class);
    }

    @AfterAll
    static void closeTheBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    /** ESKD + phosphate 6.2 mg/dL: a moderate Flag, with a name to find its row by. */
    static String patient(String given, String family) {
        Bundle tx = ClinicalData.newPatient(AdministrativeGender.FEMALE)
                .condition(SNOMED, "46177005", "End-stage renal disease").lab("2777-1", 6.2, "mg/dL", daysAgo(2))
                .transaction();
        ((org.hl7.fhir.r4.model.Patient) tx.getEntryFirstRep().getResource()).addName(new HumanName().addGiven(given)
                .setFamily(family));
        String id = new org.hl7.fhir.r4.model.IdType(client.transaction().withBundle(tx).execute().getEntryFirstRep()
                .getResponse().getLocation()).getIdPart();
        flags.await(id, Flags::active, Duration.ofSeconds(90));
        return id;
    }

    @Test
    @Order(1)
    void anAnonymousVisitorIsSentToTheSignInFormAndAWrongPasswordIsRefused() {
        browser.get(stack.screeningBase() + "/worklist");
        wait.until(d -> Browser.signInForm(d));
        assertThat(browser.getCurrentUrl()).startsWith(issuerOrigin + "/login");
        Browser.screenshot(browser, "signin-form");

        Browser.signIn(browser, "clinician", "not-the-password");
        wait.until(d -> d.getCurrentUrl().startsWith(issuerOrigin + "/login?error"));
    }

    @Test
    @Order(2)
    void theDemoClinicianSignsInAndSeesTheWorklist() {
        Browser.openSignedIn(browser, stack.screeningBase() + "/worklist", "clinician", stack.demoPassword("clinician"));
        assertThat(browser.getCurrentUrl()).startsWith(stack.screeningBase() + "/worklist");
        assertThat(browser.findElement(By.id("signed-in-as")).getText()).startsWith("Signed in as ");
        wait.until(d -> "true".equals(d.findElement(By.tagName("body")).getAttribute("data-reviews-loaded")));
        showAll();
        patients.forEach(id -> wait.until(d -> !d.findElements(By.cssSelector(row(id))).isEmpty()));
        Cookie session = browser.manage().getCookieNamed("CALCISCREEN_SESSION");
        assertThat(session).isNotNull();
        assertThat(session.isHttpOnly()).isTrue();
        assertThat(session.getSameSite()).isEqualTo("Lax");
    }

    @Test
    @Order(3)
    void reviewSnoozeAndDismissFromThePage() throws Exception {
        double reviewedBefore = metric(firstReviewLines(), "calciscreen_flag_time_to_first_review_flags");
        String until = LocalDate.now(ZoneOffset.UTC).plusDays(14).toString();
        act(patients.get(0), "review", () -> {
            type("action-note", "discussed with nephrologist");
            type("action-plan", "PTH repeat in 2 weeks");
        });
        act(patients.get(1), "snooze", () -> {
            WebElement date = browser.findElement(By.id("action-until"));
            browser.executeScript("arguments[0].value = arguments[1]", date, until);
            new Select(browser.findElement(By.id("action-reason"))).selectByIndex(1);
        });
        act(patients.get(2), "dismiss", () -> {
            new Select(browser.findElement(By.id("action-reason"))).selectByIndex(2);
            type("action-reason-text", "palliative care only");
        });
        showAll();
        wait.until(d -> "reviewed".equals(reviewOf(patients.get(0))) && "snoozed".equals(reviewOf(patients.get(1)))
                && "dismissed".equals(reviewOf(patients.get(2))));
        assertThat(rowText(patients.get(0))).contains("Reviewed by", "discussed with nephrologist", "PTH repeat in 2 weeks");
        assertThat(rowText(patients.get(1))).contains("Snoozed until " + until);
        Browser.screenshot(browser, "signed-in-worklist-reviewed-snoozed");
        browser.executeScript("window.scrollTo(0, 0)");
        Browser.screenshot(browser, "signed-in-worklist-top");

        for (String patient : patients) {
            String flag = flags.of(patient).get(0).getIdElement().getIdPart();
            Bundle tasks = client.search().byUrl("Task?focus=Flag/" + flag).returnBundle(Bundle.class).execute();
            assertThat(tasks.getEntry()).as("one Task per action, on Flag/" + flag).hasSize(1);
            Task task = (Task) tasks.getEntryFirstRep().getResource();
            assertThat(task.getRequester().getIdentifier().getValue()).as("the signed-in person").isEqualTo("clinician");
        }
        // The figure must come to count these three first reviews (a refresh from before them shows only other
        // tests' actions). Its quantiles mix in those tests' waits, so only the count is checked here; the arithmetic
        // is FlagActionFiguresTest's.
        Files.writeString(Browser.SCREENSHOTS.resolve("time-to-first-review.txt"),
                timeToFirstReview(reviewedBefore + patients.size()));
    }

    @Test
    @Order(4)
    void signingOutEndsTheSessionHereAndAtTheIssuer() {
        browser.findElement(By.id("sign-out-button")).click();
        wait.until(d -> d.getCurrentUrl().startsWith(stack.screeningBase() + "/signin/signed-out"));
        assertThat(browser.findElement(By.tagName("h1")).getText()).contains("signed out");
        Browser.screenshot(browser, "signed-out");
        Object status = browser.executeAsyncScript("var done = arguments[0]; fetch('/worklist/api/flags', "
                + "{headers: {Accept: 'application/json'}}).then(function (r) { done(r.status); });");
        assertThat(((Number) status).intValue()).isEqualTo(401);

        browser.get(stack.screeningBase() + "/worklist");
        wait.until(d -> Browser.signInForm(d));
        assertThat(browser.getCurrentUrl()).as("signed out at the issuer too: the form again").startsWith(issuerOrigin);
    }

    @Test
    @Order(5)
    void aSessionLeftIdleEnds() throws Exception {
        Browser.openSignedIn(browser, stack.screeningBase() + "/worklist", "clinician", stack.demoPassword("clinician"));
        String session = browser.manage().getCookieNamed("CALCISCREEN_SESSION").getValue();
        browser.get("about:blank"); // the page no longer polls: nothing keeps the session in use
        Thread.sleep(Duration.parse("PT" + Stack.SIGN_IN_IDLE_TIMEOUT).plusSeconds(5).toMillis());

        HttpResponse<String> stale = stack.send(HttpRequest.newBuilder(URI.create(stack.screeningBase()
                + "/worklist/api/flags")).header("Accept", "application/json")
                .header("Cookie", "CALCISCREEN_SESSION=" + session).build());
        assertThat(stale.statusCode()).as("the idle session is gone").isEqualTo(401);
        Browser.openSignedIn(browser, stack.screeningBase() + "/worklist", "clinician", stack.demoPassword("clinician"));
        assertThat(browser.manage().getCookieNamed("CALCISCREEN_SESSION").getValue()).as("a new session")
                .isNotEqualTo(session);
    }

    /** Opens the action dialog of the patient's row, fills it with {@code fill}, saves, and waits for it to close. */
    static void act(String patient, String action, Runnable fill) {
        showAll();
        String flag = flags.of(patient).get(0).getIdElement().getIdPart();
        wait.until(d -> {
            d.findElement(By.cssSelector("button.act[data-action='" + action + "'][data-flag-id='" + flag + "']")).click();
            return d.findElement(By.id("action-dialog")).getAttribute("open") != null;
        });
        fill.run();
        browser.findElement(By.id("action-save")).click();
        wait.until(d -> d.findElement(By.id("action-dialog")).getAttribute("open") == null);
    }

    static void type(String id, String text) {
        browser.findElement(By.id(id)).sendKeys(text);
    }

    static void showAll() {
        wait.until(d -> {
            new Select(d.findElement(By.id("review-filter"))).selectByValue("all");
            return true;
        });
    }

    /** A row's text, read again when the page renders the worklist anew between finding the row and reading it. */
    private static String rowText(String patient) {
        return wait.until(d -> d.findElement(By.cssSelector(row(patient))).getText());
    }

    static String row(String patient) {
        return "#worklist tbody tr[data-patient-id='" + patient + "']";
    }

    static String reviewOf(String patient) {
        List<WebElement> rows = browser.findElements(By.cssSelector(row(patient)));
        return rows.isEmpty() ? null : rows.get(0).getAttribute("data-review");
    }

    /**
     * {@code calciscreen_flag_time_to_first_review_*} as /actuator/prometheus exports it (operator token), once it
     * counts at least {@code flags} Flags acted on (the screening refreshes the figure every few seconds).
     */
    static String timeToFirstReview(double flags) {
        String[] lines = {""};
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(2)).until(() -> {
            lines[0] = firstReviewLines();
            return lines[0].contains("quantile=\"0.5\"")
                    && metric(lines[0], "calciscreen_flag_time_to_first_review_flags") >= flags;
        });
        System.out.println(lines[0]);
        return lines[0];
    }

    static String firstReviewLines() {
        HttpResponse<String> metrics = stack.send(HttpRequest.newBuilder(URI.create(stack.screeningBase()
                + "/actuator/prometheus")).header("Authorization", "Bearer " + stack.token("calciscreen-admin")).build());
        StringBuilder lines = new StringBuilder();
        metrics.body().lines().filter(l -> l.startsWith("calciscreen_flag_time_to_first_review"))
                .forEach(l -> lines.append(l).append('\n'));
        return lines.toString();
    }

    /** The value of the exposition line that starts with {@code name} followed by a space; 0 when there is none. */
    static double metric(String exposition, String name) {
        return exposition.lines().filter(l -> l.startsWith(name + " ")).findFirst()
                .map(l -> Double.parseDouble(l.substring(name.length() + 1).trim())).orElse(0.0);
    }
}
