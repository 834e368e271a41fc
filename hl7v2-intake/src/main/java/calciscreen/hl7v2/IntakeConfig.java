package calciscreen.hl7v2;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.IRestfulClientFactory;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import ca.uhn.fhir.rest.client.interceptor.AdditionalRequestHeadersInterceptor;
import ca.uhn.hl7v2.HapiContext;
import calciscreen.hl7v2.delivery.FhirDelivery;
import calciscreen.hl7v2.delivery.IntakeMetrics;
import calciscreen.hl7v2.delivery.PatientLocks;
import calciscreen.hl7v2.mllp.BoundedMllp;
import calciscreen.hl7v2.mllp.LabMessages;
import calciscreen.hl7v2.mllp.MllpListener;
import calciscreen.smart.BearerTokenHttpClient;
import calciscreen.smart.OperatorAuthFilter;
import calciscreen.smart.OperatorTokens;
import calciscreen.smart.SigningKey;
import calciscreen.smart.SmartBackendClient;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the intake: its SMART client, its FHIR client, the delivery, and HAPI's MLLP server. */
@Configuration
public class IntakeConfig {

    private static final Logger log = LoggerFactory.getLogger(IntakeConfig.class);

    /** The operators' paths: every actuator endpoint, metrics and health details included ... */
    static final String OPERATOR_PATHS = "/actuator/*";
    /** ... but health itself, UP or DOWN, which probes read. */
    static final String OPEN_HEALTH = "/actuator/health";

    @Bean
    public SigningKey clientKey(IntakeProperties properties) {
        return SigningKey.readOrGenerate(properties.lab().keyFile(properties.stateDir()));
    }

    /** Absent in insecure dev mode: requests then carry no token. */
    @Bean
    @ConditionalOnProperty(name = "calciscreen.hl7v2.lab.insecure-dev-mode", havingValue = "false", matchIfMissing = true)
    public SmartBackendClient smartBackendClient(IntakeProperties properties, SigningKey clientKey) {
        log.info("event=smart_client client={} key_id={}", properties.lab().clientId(), clientKey.keyId());
        return new SmartBackendClient(properties.fhirBaseUrl(), properties.lab().clientId(), clientKey,
                properties.lab().scopes());
    }

    @Bean
    public IGenericClient fhirClient(IntakeProperties properties, Optional<SmartBackendClient> tokens) {
        if (tokens.isEmpty()) {
            log.warn("event=insecure_dev_mode message=\"the intake sends no token; never with real patient data\"");
        }
        FhirContext fhir = FhirContext.forR4Cached();
        IRestfulClientFactory factory = fhir.getRestfulClientFactory();
        factory.setServerValidationMode(ServerValidationModeEnum.NEVER);
        int timeout = (int) properties.requestTimeout().toMillis();
        factory.setHttpClient(BearerTokenHttpClient.create(tokens, properties.fhirBaseUrl(), 64, 5_000, timeout));
        IGenericClient client = fhir.newRestfulGenericClient(properties.fhirBaseUrl());
        // a resend must see the receipt the first copy wrote: no cached search results; and a look-up is not worth
        // storing (HAPI would write each search and its results to the database)
        client.registerInterceptor(new AdditionalRequestHeadersInterceptor(Map.of("Cache-Control",
                List.of("no-cache, no-store"))));
        return client;
    }

    @Bean
    public IntakeMetrics intakeMetrics(MeterRegistry registry) {
        return new IntakeMetrics(registry);
    }

    @Bean
    public FhirDelivery fhirDelivery(IGenericClient client, IntakeProperties properties) {
        return new FhirDelivery(client, new PatientLocks(properties.patientLockTimeout()));
    }

    @Bean
    public ExecutorService mllpThreads() {
        return MllpListener.threads();
    }

    @Bean
    public HapiContext hapiContext(IntakeProperties properties, IntakeMetrics metrics, ExecutorService mllpThreads) {
        return MllpListener.context(new BoundedMllp((int) properties.maxMessageSize().toBytes(),
                properties.frameIdleTimeout(), metrics::framingError), mllpThreads);
    }

    @Bean
    public MllpListener mllpListener(IntakeProperties properties, HapiContext hapiContext, ExecutorService mllpThreads,
                                     FhirDelivery delivery, IntakeMetrics metrics) {
        LabMessages messages = new LabMessages(properties, delivery, metrics, hapiContext.getGenericParser());
        return new MllpListener(properties.mllpPort(), hapiContext, mllpThreads, messages);
    }

    @Bean
    @ConditionalOnProperty(name = "calciscreen.hl7v2.lab.insecure-dev-mode", havingValue = "false", matchIfMissing = true)
    public FilterRegistrationBean<OperatorAuthFilter> operatorAuthFilter(IntakeProperties properties) {
        var registration = new FilterRegistrationBean<>(new OperatorAuthFilter(
                new OperatorTokens(properties.fhirBaseUrl()), java.util.Set.of(OPEN_HEALTH)));
        registration.addUrlPatterns(OPERATOR_PATHS);
        return registration;
    }
}
