package calciscreen.server;

import ca.uhn.fhir.jpa.model.config.SubscriptionSettings;
import ca.uhn.fhir.jpa.subscription.channel.config.SubscriptionChannelConfig;
import ca.uhn.fhir.jpa.subscription.match.config.SubscriptionProcessorConfig;
import ca.uhn.fhir.jpa.subscription.match.deliver.email.IEmailSender;
import ca.uhn.fhir.jpa.subscription.submit.config.SubscriptionSubmitterConfig;
import org.hl7.fhir.dstu2.model.Subscription.SubscriptionChannelType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ca.uhn.fhir.jpa.subscription.submit.interceptor.SynchronousSubscriptionMatcherInterceptor;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.BeanDefinitionRegistryPostProcessor;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * R4 Subscriptions with the rest-hook channel: the server matches every write against the active
 * Subscriptions in memory and POSTs/PUTs a notification to each matching endpoint.
 * A Subscription may carry HAPI's {@code subscription-send-delete-messages} extension to be told of deletes.
 *
 * <p>Matching starts right after each commit ({@link SynchronousSubscriptionMatcherInterceptor}), and only for the
 * writes that an active Subscription matches in memory ({@link WatchedWritesMatcherInterceptor}). HAPI's default
 * instead writes every change of every resource to {@code HFJ_RESOURCE_MODIFIED} and matches it from a 5-second
 * poll: an extra insert and delete per write (it costs ingest throughput) and 0 to 5 s of added notification
 * latency. The durability that table buys (a change committed but not yet matched when the server dies) is what
 * the screening's reconciliation already provides, for that and for every other way a notification gets lost.
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
     * Replaces HAPI's persisted-and-polled matcher interceptor by the one that submits after commit, the writes that
     * some Subscription matches.
     */
    @Bean
    public static BeanDefinitionRegistryPostProcessor matchAfterCommit() {
        return new BeanDefinitionRegistryPostProcessor() {
            @Override
            public void postProcessBeanDefinitionRegistry(BeanDefinitionRegistry registry) {
                String name = "subscriptionMatcherInterceptor";
                if (registry.containsBeanDefinition(name)) {
                    registry.removeBeanDefinition(name);
                }
                registry.registerBeanDefinition(name, new RootBeanDefinition(WatchedWritesMatcherInterceptor.class));
            }

            @Override
            public void postProcessBeanFactory(
                    org.springframework.beans.factory.config.ConfigurableListableBeanFactory beanFactory) {}
        };
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
