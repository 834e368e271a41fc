package calciscreen.server;

import ca.uhn.fhir.broker.api.IBrokerClient;
import ca.uhn.fhir.jpa.model.config.SubscriptionSettings;
import ca.uhn.fhir.jpa.subscription.channel.config.SubscriptionChannelConfig;
import ca.uhn.fhir.jpa.subscription.channel.subscription.SubscriptionChannelFactory;
import ca.uhn.fhir.jpa.subscription.match.config.SubscriptionProcessorConfig;
import ca.uhn.fhir.jpa.subscription.match.deliver.email.IEmailSender;
import ca.uhn.fhir.jpa.subscription.submit.config.SubscriptionSubmitterConfig;
import ca.uhn.fhir.jpa.subscription.submit.interceptor.SynchronousSubscriptionMatcherInterceptor;
import org.hl7.fhir.dstu2.model.Subscription.SubscriptionChannelType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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
     * some Subscription matches; and HAPI's channel factory by one with {@code delivery-threads} per Subscription.
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
                String channels = "subscriptionChannelFactory";
                if (registry.containsBeanDefinition(channels)) {
                    registry.removeBeanDefinition(channels);
                }
                RootBeanDefinition factory = new RootBeanDefinition(DeliveryThreadsChannelFactory.class);
                factory.setAutowireMode(RootBeanDefinition.AUTOWIRE_CONSTRUCTOR);
                registry.registerBeanDefinition(channels, factory);
            }

            @Override
            public void postProcessBeanFactory(
                    org.springframework.beans.factory.config.ConfigurableListableBeanFactory beanFactory) {}
        };
    }

    /**
     * HAPI's channel factory with {@code calciscreen.server.subscriptions.delivery-threads} delivery threads per
     * Subscription instead of HAPI's 2. A rest-hook delivery holds its thread until the endpoint answers, so 2 threads
     * cap a Subscription at 2 notifications per answer time: on 2026-12-07 an HL7 v2 feed at 15 messages/s (53
     * Observations/s, all for one Subscription) kept both busy, and its notifications queued in HAPI's channel for
     * seconds while the CPU was not the limit (docs/benchmarks/2026-12-07-hl7v2-statistics.md).
     */
    public static final class DeliveryThreadsChannelFactory extends SubscriptionChannelFactory {

        private final int deliveryThreads;

        public DeliveryThreadsChannelFactory(IBrokerClient brokerClient, ServerProperties properties) {
            super(brokerClient);
            this.deliveryThreads = properties.subscriptions().deliveryThreads();
            if (deliveryThreads < 1) {
                throw new IllegalArgumentException(
                        "calciscreen.server.subscriptions.delivery-threads must be at least 1, not " + deliveryThreads);
            }
            log.info("event=subscription_delivery threads_per_subscription={}", deliveryThreads);
        }

        @Override
        public int getDeliveryChannelConcurrentConsumers() {
            return deliveryThreads;
        }
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
