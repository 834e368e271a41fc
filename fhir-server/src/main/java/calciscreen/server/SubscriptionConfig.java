package calciscreen.server;

import ca.uhn.fhir.jpa.model.config.SubscriptionSettings;
import ca.uhn.fhir.jpa.subscription.channel.config.SubscriptionChannelConfig;
import ca.uhn.fhir.jpa.subscription.match.config.SubscriptionProcessorConfig;
import ca.uhn.fhir.jpa.subscription.match.deliver.email.IEmailSender;
import ca.uhn.fhir.jpa.subscription.submit.config.SubscriptionSubmitterConfig;
import org.hl7.fhir.dstu2.model.Subscription.SubscriptionChannelType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * R4 Subscriptions with the rest-hook channel: the server matches every write against the active
 * Subscriptions in memory and POSTs/PUTs a notification to each matching endpoint.
 * A Subscription may carry HAPI's {@code subscription-send-delete-messages} extension to be told of deletes.
 */
@Configuration
@Import({SubscriptionSubmitterConfig.class, SubscriptionProcessorConfig.class, SubscriptionChannelConfig.class})
public class SubscriptionConfig {

    private static final Logger log = LoggerFactory.getLogger(SubscriptionConfig.class);

    @Bean
    public SubscriptionSettings subscriptionSettings(ServerProperties properties) {
        SubscriptionSettings settings = new SubscriptionSettings();
        if (properties.subscriptions().restHookEnabled()) {
            settings.addSupportedSubscriptionType(SubscriptionChannelType.RESTHOOK);
        }
        // A new or changed Subscription takes effect for the very next write, not after the next poll.
        settings.setSubscriptionChangeQueuedImmediately(true);
        log.info("event=subscriptions rest_hook={}", properties.subscriptions().restHookEnabled());
        return settings;
    }

    /**
     * HAPI's delivery wiring asks for a mail sender even when email channels are off (only rest-hook is
     * supported here, so an email Subscription is rejected on create and this is never reached).
     */
    @Bean
    public IEmailSender emailSender() {
        return details -> {
            throw new UnsupportedOperationException("email Subscriptions are not supported by this server");
        };
    }
}
