package calciscreen.screening;

import calciscreen.screening.backfill.Backfill;
import calciscreen.screening.context.PatientRecordCache;
import calciscreen.screening.context.PatientRecordLoader;
import calciscreen.screening.flags.FlagWriter;
import calciscreen.screening.intake.PatientQueue;
import calciscreen.screening.rules.RuleConfig;
import calciscreen.screening.rules.RuleSet;
import calciscreen.screening.screen.Screener;
import calciscreen.smart.BearerTokenHttpClient;
import calciscreen.smart.SmartBackendClient;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.IRestfulClientFactory;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import ca.uhn.fhir.rest.client.exceptions.FhirClientConnectionException;
import ca.uhn.fhir.rest.client.interceptor.AdditionalRequestHeadersInterceptor;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the screening's pipeline (the intake's own parts are wired in {@code intake/IntakeConfig}); each is a plain
 * class, so tests can build them the same way.
 */
@Configuration
public class ScreeningConfig {

    @Bean
    public FhirContext fhirContext() {
        return FhirContext.forR4Cached();
    }

    @Bean
    public Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    public IGenericClient fhirClient(FhirContext fhir, ScreeningProperties properties,
                                     Optional<SmartBackendClient> tokens) {
        IRestfulClientFactory factory = fhir.getRestfulClientFactory();
        factory.setServerValidationMode(ServerValidationModeEnum.NEVER);
        // authenticated (SMART Backend Services) with a 401 -> renew once -> retry; the token goes to this server only
        factory.setHttpClient(BearerTokenHttpClient.create(tokens, properties.fhirBaseUrl(),
                Math.max(20, properties.workers() * 4), 5_000, 60_000));
        IGenericClient client = fhir.newRestfulGenericClient(properties.fhirBaseUrl());
        // every read must see the latest data: ask servers that cache search results (HAPI does) not to
        client.registerInterceptor(new AdditionalRequestHeadersInterceptor(
                Map.of("Cache-Control", List.of("no-cache"))));
        return client;
    }

    @Bean
    public RuleConfig ruleConfig(RuleProperties properties) {
        return properties.toRuleConfig();
    }

    @Bean
    public RuleSet ruleSet(RuleConfig config) {
        return new RuleSet(config);
    }

    @Bean
    public Screener screener(IGenericClient client, RuleSet ruleSet, RuleConfig config, ScreeningProperties properties,
                             Clock clock, MeterRegistry metrics, PatientRecordCache records) {
        return new Screener(new PatientRecordLoader(client), records, ruleSet, config.lookback(),
                new FlagWriter(client, properties.softwareVersion(), records::wrote), clock, metrics,
                properties.withinTierUpdateDelay());
    }

    @Bean
    public PatientRecordCache patientRecordCache(ScreeningProperties properties, MeterRegistry metrics) {
        PatientRecordCache records = new PatientRecordCache(properties.recordCacheMaxAge(),
                properties.recordCacheCapacity());
        Gauge.builder("calciscreen.record_cache.size", records, PatientRecordCache::size).register(metrics);
        return records;
    }

    @Bean(destroyMethod = "close")
    public PatientQueue patientQueue(Screener screener, ScreeningProperties properties, MeterRegistry metrics,
                                     PatientRecordCache records) {
        Timer wait = Timer.builder("calciscreen.queue.wait")
                .description("from a patient's oldest unscreened news to its screening starting")
                .publishPercentiles(0.5, 0.95, 0.99).register(metrics);
        PatientQueue queue = new PatientQueue(screener, properties.workers(), properties.debounce(),
                properties.queueCapacity(),
                e -> e instanceof FhirClientConnectionException,
                records::invalidate, wait::record);
        Gauge.builder("calciscreen.queue.depth", queue, PatientQueue::depth).register(metrics);
        Gauge.builder("calciscreen.queue.parked", queue, PatientQueue::parked).register(metrics);
        return queue;
    }

    @Bean(destroyMethod = "close")
    public Backfill backfill(IGenericClient client, PatientQueue queue, PatientRecordCache records, RuleConfig config,
                             ScreeningProperties properties, Clock clock) {
        return new Backfill(client, queue, records, config.lookback(), clock,
                properties.stateDir());
    }
}
