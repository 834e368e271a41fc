package calciscreen.screening.reviews;

import calciscreen.model.CanonicalUrls;
import calciscreen.model.resources.FlagAction;
import calciscreen.model.terminology.FlagActionKind;
import calciscreen.screening.context.SearchPages;
import calciscreen.screening.flags.RuleResults;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.Flag;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.RiskAssessment;
import org.hl7.fhir.r4.model.Task;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exports {@link FlagActionFigures} to Micrometer (Prometheus at {@code /actuator/prometheus}), re-read from the FHIR
 * server every {@code calciscreen.reviews.metrics-refresh}: the figures are those of the stored Flags and Tasks, so
 * they survive a restart and agree with any other reader of the server.
 *
 * <pre>
 * calciscreen_flags_raised{tier}                        Flags by current tier (high, moderate, inactive)
 * calciscreen_flags_raised_by_rule{rule}                Flags whose current assessment fired the rule
 * calciscreen_flag_actions{action,tier}                 Tasks by action (reviewed, snoozed, dismissed, card-accepted, card-overridden) and tier seen
 * calciscreen_flag_actions_by_rule{action,rule}         Tasks by action and rule that had fired
 * calciscreen_cds_override_ratio{rule}                  overridden / (accepted + overridden) CDS cards where the rule fired
 * calciscreen_flag_time_to_first_review_seconds{quantile="0.5"|"0.9"}   raised -> first worklist action
 * calciscreen_flag_time_to_first_review_flags           Flags in that sample
 * </pre>
 */
public class FlagActionMetrics implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(FlagActionMetrics.class);
    static final String ALL_KINDS = Arrays.stream(FlagActionKind.values())
            .map(k -> k.code().system() + "|" + k.code().code()).collect(Collectors.joining(","));

    private final IGenericClient client;
    private final MultiGauge raisedByTier;
    private final MultiGauge raisedByRule;
    private final MultiGauge actionsByTier;
    private final MultiGauge actionsByRule;
    private final MultiGauge overrideRate;
    private final MultiGauge firstReview;
    private final ScheduledExecutorService timer;
    private volatile FlagActionFigures figures;

    public FlagActionMetrics(IGenericClient client, MeterRegistry registry) {
        this.client = client;
        raisedByTier = MultiGauge.builder("calciscreen.flags.raised")
                .description("calciphylaxis-risk Flags by current tier").register(registry);
        raisedByRule = MultiGauge.builder("calciscreen.flags.raised.by.rule")
                .description("calciphylaxis-risk Flags whose current assessment fired the rule").register(registry);
        actionsByTier = MultiGauge.builder("calciscreen.flag.actions")
                .description("flag-action Tasks by action and the tier the person saw").register(registry);
        actionsByRule = MultiGauge.builder("calciscreen.flag.actions.by.rule")
                .description("flag-action Tasks by action and the rules that had fired").register(registry);
        overrideRate = MultiGauge.builder("calciscreen.cds.override.ratio")
                .description("overridden / (accepted + overridden) CDS cards where the rule fired").register(registry);
        firstReview = MultiGauge.builder("calciscreen.flag.time.to.first.review").baseUnit("seconds")
                .description("time from a Flag being raised to its first review, snooze or dismissal")
                .register(registry);
        registry.gauge("calciscreen.flag.time.to.first.review.flags", this,
                m -> m.figures == null ? 0 : m.figures.firstReview().size());
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "flag-action-metrics");
            t.setDaemon(true);
            return t;
        });
    }

    /** Refreshes now, then every {@code every}. */
    public FlagActionMetrics start(Duration every) {
        timer.scheduleWithFixedDelay(this::refreshQuietly, 0, every.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    private void refreshQuietly() {
        try {
            refresh();
        } catch (RuntimeException e) {
            log.warn("event=flag_action_metrics_failed error={} detail=\"{}\"", e.getClass().getSimpleName(),
                    String.valueOf(e.getMessage()).replace('"', '\'').lines().findFirst().orElse(""));
        }
    }

    /** Re-reads the Flags, their assessments and every flag-action Task, and republishes the gauges. */
    public FlagActionFigures refresh() {
        long started = System.nanoTime();
        Map<String, List<String>> rulesByPatient = new HashMap<>();
        for (Resource r : SearchPages.all(client, "RiskAssessment?identifier="
                + CanonicalUrls.SCREENING_IDENTIFIER_SYSTEM + "|&_elements=subject,extension,note&_count=" + FlagActions.PAGE)) {
            if (r instanceof RiskAssessment ra) {
                rulesByPatient.put(ra.getSubject().getReferenceElement().getIdPart(), RuleResults.firedRules(ra));
            }
        }
        List<FlagActionFigures.RaisedFlag> flags = new ArrayList<>();
        for (Resource r : SearchPages.all(client, "Flag?identifier=" + CanonicalUrls.SCREENING_IDENTIFIER_SYSTEM
                + "|&_count=" + FlagActions.PAGE)) {
            if (r instanceof Flag f) {
                FlagNow now = FlagNow.of(f);
                flags.add(new FlagActionFigures.RaisedFlag(now.flagId(), now.tier(), now.raised(),
                        now.tier().flags() ? rulesByPatient.getOrDefault(now.patientId(), List.of()) : List.of()));
            }
        }
        List<FlagAction> actions = new ArrayList<>();
        for (Resource r : SearchPages.all(client, "Task?code=" + ALL_KINDS + "&_count=" + FlagActions.PAGE)) {
            if (r instanceof Task t) {
                FlagAction.of(t).ifPresent(actions::add);
            }
        }
        FlagActionFigures f = FlagActionFigures.of(flags, actions);
        figures = f;
        raisedByTier.register(rows(f.raisedByTier(), "tier"), true);
        raisedByRule.register(rows(f.raisedByRule(), "rule"), true);
        actionsByTier.register(pairs(f.actionsByKindTier(), "tier"), true);
        actionsByRule.register(pairs(f.actionsByKindRule(), "rule"), true);
        overrideRate.register(f.overrideRateByRule().entrySet().stream()
                .map(e -> MultiGauge.Row.of(Tags.of("rule", e.getKey()), e.getValue())).toList(), true);
        List<MultiGauge.Row<?>> quantiles = new ArrayList<>();
        f.firstReviewQuantile(0.5).ifPresent(v -> quantiles.add(MultiGauge.Row.of(Tags.of("quantile", "0.5"), v)));
        f.firstReviewQuantile(0.9).ifPresent(v -> quantiles.add(MultiGauge.Row.of(Tags.of("quantile", "0.9"), v)));
        firstReview.register(quantiles, true);
        log.info("event=flag_action_metrics flags={} tasks={} took_ms={}", flags.size(), actions.size(),
                (System.nanoTime() - started) / 1_000_000);
        return f;
    }

    private static List<MultiGauge.Row<?>> rows(Map<String, Integer> counts, String tag) {
        return counts.entrySet().stream().<MultiGauge.Row<?>>map(e -> MultiGauge.Row.of(Tags.of(tag, e.getKey()),
                e.getValue())).toList();
    }

    private static List<MultiGauge.Row<?>> pairs(Map<String, Integer> counts, String second) {
        return counts.entrySet().stream().<MultiGauge.Row<?>>map(e -> {
            String[] key = e.getKey().split("\\|", 2);
            return MultiGauge.Row.of(Tags.of("action", key[0], second, key[1]), e.getValue());
        }).toList();
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
