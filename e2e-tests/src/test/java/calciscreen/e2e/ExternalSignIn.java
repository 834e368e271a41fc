package calciscreen.e2e;

import calciscreen.testing.ServiceProcess;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import java.util.Map;

/**
 * The stack as a hospital with its own identity provider runs it: a FHIR server that accepts the tokens of an
 * external issuer, and a screening whose clinicians sign in there ({@code CALCISCREEN_SIGNIN_ISSUER_URI}): nothing
 * else differs from the defaults. The issuer is a {@link TestIssuer} in this JVM. Started once per test JVM, beside
 * the {@link Stack}.
 */
final class ExternalSignIn {

    /** Short, so that a test sees a session end. */
    static final String IDLE_TIMEOUT = "30s";
    private static ExternalSignIn instance;

    final TestIssuer issuer;
    final String fhirBase;
    final String screeningBase;
    final IGenericClient operator;
    final Flags flags;
    private Process server;
    private Process screening;
    private static RuntimeException failed;

    private ExternalSignIn(Stack stack) {
        int serverPort = ServiceProcess.freePort();
        int screeningPort = ServiceProcess.freePort();
        fhirBase = "http://localhost:" + serverPort + "/fhir";
        screeningBase = "http://localhost:" + screeningPort;
        issuer = new TestIssuer(ServiceProcess.freePort(), screeningBase, fhirBase);
        Runtime.getRuntime().addShutdownHook(new Thread(this::stop, "stop-external-signin"));
        server = stack.startExtraServer("fhir-server-external-signin", serverPort, Map.of(
                "CALCISCREEN_AUTH_ISSUER_URI", issuer.issuer(),
                "CALCISCREEN_AUTH_AUDIENCE", fhirBase,
                "CALCISCREEN_AUTH_TOKEN_LIFETIME", TestIssuer.TOKEN_LIFETIME.toMinutes() + "m",
                "CALCISCREEN_SERVER_SUBSCRIPTIONS_ALLOWED_ENDPOINTS", screeningBase + "/"));
        screening = stack.startExtraScreening("screening-external-signin", screeningPort, fhirBase, Map.of(
                "CALCISCREEN_SIGNIN_ISSUER_URI", issuer.issuer(),
                "CALCISCREEN_SIGNIN_IDLE_TIMEOUT", IDLE_TIMEOUT,
                "CALCISCREEN_SCREENING_RECONCILE_PERIOD", "20s"));
        Stack.FHIR.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
        operator = Stack.FHIR.newRestfulGenericClient(fhirBase);
        operator.registerInterceptor(new ca.uhn.fhir.rest.client.interceptor.BearerTokenAuthInterceptor() {
            @Override
            public void interceptRequest(ca.uhn.fhir.rest.client.api.IHttpRequest request) {
                request.removeHeaders("Authorization");
                request.addHeader("Authorization", "Bearer " + issuer.operatorToken());
            }
        });
        flags = new Flags(operator);
    }

    /** The one instance; a failed start is not tried again by the next test class (it fails the same way). */
    static synchronized ExternalSignIn get() {
        if (failed != null) {
            throw failed;
        }
        if (instance == null) {
            try {
                instance = new ExternalSignIn(Stack.get());
            } catch (RuntimeException e) {
                failed = e;
                throw e;
            }
        }
        return instance;
    }

    /** A fresh browser on the screening; {@code person} is who signs in at the issuer next. */
    SignedInClient browserOf(TestIssuer.Person person) {
        issuer.signInAs = person;
        return new SignedInClient(screeningBase);
    }

    /** ESKD (R1, 3) + phosphate 6.2 mg/dL (R3, 2) + PTH 700 pg/mL (R5, 2): a patient the screening flags. */
    String flaggedPatient() {
        org.hl7.fhir.r4.model.Bundle created = operator.transaction().withBundle(ClinicalData.newPatient(
                        org.hl7.fhir.r4.model.Enumerations.AdministrativeGender.FEMALE)
                .condition(ClinicalData.SNOMED, "46177005", "End-stage renal disease")
                .lab("2777-1", 6.2, "mg/dL", ClinicalData.daysAgo(2)).lab("2731-8", 700, "pg/mL", ClinicalData.daysAgo(2))
                .transaction()).execute();
        String patient = new org.hl7.fhir.r4.model.IdType(created.getEntryFirstRep().getResponse().getLocation())
                .getIdPart();
        flags.await(patient, Flags::active, java.time.Duration.ofSeconds(90));
        return patient;
    }

    private synchronized void stop() {
        if (screening != null) {
            ServiceProcess.stop(screening);
        }
        if (server != null) {
            ServiceProcess.stop(server);
        }
        issuer.close();
    }
}
