package calciscreen.screening.cds;

import calciscreen.screening.ScreeningProperties;
import calciscreen.screening.auth.ClientAuthProperties;
import calciscreen.screening.reviews.ReviewDecision;
import calciscreen.screening.reviews.ReviewProperties;
import calciscreen.screening.rules.RuleSet;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the CDS Hooks service (kept apart from ScreeningConfig: these beans only add). */
@Configuration
public class CdsConfig {

    private static final Logger log = LoggerFactory.getLogger(CdsConfig.class);

    @Bean
    public CdsEndpoint cdsEndpoint(CdsProperties cds, ScreeningProperties screening, ClientAuthProperties auth) {
        String base = cds.publicBaseUrl().isBlank() ? screening.callbackBaseUrl() : cds.publicBaseUrl();
        boolean insecure = auth.insecureDevMode(); // the one switch, bound from CALCISCREEN_INSECURE_DEV_MODE
        if (insecure) {
            log.warn("event=insecure_dev_mode component=cds-hooks detail=\"CALCISCREEN_INSECURE_DEV_MODE=true: CDS "
                    + "Hooks calls are NOT authenticated; never run like this outside a developer's machine\"");
        }
        return new CdsEndpoint(base, insecure);
    }

    @Bean
    public CdsClientTrust cdsClientTrust(CdsProperties cds, ScreeningProperties screening, Clock clock) {
        DevCdsClient dev = cds.devClient().enabled()
                ? DevCdsClient.loadOrCreate(screening.stateDir(), cds.devClient().issuer()) : null;
        CdsClientTrust trust = CdsClientTrust.from(cds, dev, clock);
        if (dev != null) {
            log.warn("event=cds_dev_client_trusted issuer={} detail=\"the development CDS client is trusted: anyone "
                    + "holding its key (state dir) may call CDS Hooks; production turns it off with "
                    + "CALCISCREEN_CDS_DEVCLIENT_ENABLED=false\"", cds.devClient().issuer());
        }
        log.info("event=cds_trusted_clients issuers={} dev_client_key={}", String.join(",", trust.issuers()),
                dev == null ? "-" : screening.stateDir().resolve(DevCdsClient.KEY_FILE));
        return trust;
    }

    @Bean(destroyMethod = "close")
    public FhirServerFetcher cdsFhirServerFetcher(FhirContext fhir, CdsProperties cds, ScreeningProperties screening) {
        List<String> allowed = cds.fhirServerAllowList().isEmpty() ? List.of(screening.fhirBaseUrl())
                : cds.fhirServerAllowList();
        log.info("event=cds_fhir_server_allow_list servers={} timeout_ms={}", String.join(",", allowed),
                cds.fetchTimeout().toMillis());
        return new FhirServerFetcher(fhir, allowed, cds.fetchTimeout());
    }

    @Bean
    public CardFeedback cardFeedback(IGenericClient fhirClient, ReviewDecision decision, ReviewProperties reviews,
                                     Clock clock) {
        return new CardFeedback(fhirClient, decision, clock, reviews.issuedCardsKept(), reviews.issuedCardTtl());
    }

    @Bean
    public CalciphylaxisRiskService calciphylaxisRiskService(FhirContext fhir, RuleSet rules, FhirServerFetcher fetcher,
                                                             CdsEndpoint endpoint, Clock clock, CardFeedback feedback) {
        return new CalciphylaxisRiskService(fhir, rules, fetcher,
                new CardFactory(endpoint.publicBaseUrl(), rules.config()), clock, feedback);
    }
}
