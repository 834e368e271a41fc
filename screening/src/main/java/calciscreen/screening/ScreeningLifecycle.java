package calciscreen.screening;

import calciscreen.screening.intake.Reconciler;
import calciscreen.screening.intake.SubscriptionRegistrar;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Once the notification endpoint is listening: registers the Subscriptions (retrying until the server answers),
 * then reconciles at start and every {@code reconcile-period} (deeply at start and every
 * {@code reconcile-deep-period}), or sooner when asked, and writes the Subscriptions
 * again when their date window moves with the day.
 */
@Component
public class ScreeningLifecycle implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ScreeningLifecycle.class);
    private static final Duration RETRY = Duration.ofSeconds(5);

    private final SubscriptionRegistrar registrar;
    private final Reconciler reconciler;
    private final ScreeningProperties properties;
    private final calciscreen.screening.backfill.Backfill backfill;
    private final AtomicBoolean subscribed = new AtomicBoolean();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "screening-lifecycle");
        t.setDaemon(true);
        return t;
    });
    private volatile long nextReconcileAt;
    /** The first pass after a start is deep: a restart is when a lost delete is likeliest. */
    private volatile long nextDeepReconcileAt;
    private volatile long nextWindowRefreshAt;

    public ScreeningLifecycle(SubscriptionRegistrar registrar, Reconciler reconciler, ScreeningProperties properties,
                              calciscreen.screening.backfill.Backfill backfill) {
        this.backfill = backfill;
        this.registrar = registrar;
        this.reconciler = reconciler;
        this.properties = properties;
    }

    @EventListener(ApplicationReadyEvent.class)
    public void start() {
        scheduler.execute(this::subscribe);
        scheduler.scheduleWithFixedDelay(this::tick, 0, 1, TimeUnit.SECONDS);
    }

    public boolean subscribed() {
        return subscribed.get() || !properties.subscribe();
    }

    private void subscribe() {
        if (!properties.subscribe()) {
            return;
        }
        try {
            registrar.register();
            subscribed.set(true);
            backfill.resumeIfInterrupted();
        } catch (RuntimeException e) {
            log.warn("event=subscription_registration_failed retry_in={} reason=\"{}\"", RETRY, e.getMessage());
            scheduler.schedule(this::subscribe, RETRY.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Reconciles when due or asked; the first run starts once the Subscriptions exist, so nothing falls between. */
    private void tick() {
        if (!subscribed()) {
            return;
        }
        refreshWindow();
        long now = System.currentTimeMillis();
        if (now < nextReconcileAt && !reconciler.takeRequest()) {
            return;
        }
        boolean deep = now >= nextDeepReconcileAt;
        try {
            reconciler.run(deep);
            nextReconcileAt = now + properties.reconcilePeriod().toMillis();
            if (deep) {
                nextDeepReconcileAt = now + properties.reconcileDeepPeriod().toMillis();
            }
        } catch (RuntimeException e) {
            nextReconcileAt = now + RETRY.toMillis();
        }
    }

    /** Moves the Subscriptions' date window with the day; a failure is logged and tried again after RETRY. */
    private void refreshWindow() {
        if (!properties.subscribe() || System.currentTimeMillis() < nextWindowRefreshAt) {
            return;
        }
        try {
            registrar.refreshWindow();
        } catch (RuntimeException e) {
            nextWindowRefreshAt = System.currentTimeMillis() + RETRY.toMillis();
            log.warn("event=subscription_window_refresh_failed retry_in={} reason=\"{}\"", RETRY, e.getMessage());
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
