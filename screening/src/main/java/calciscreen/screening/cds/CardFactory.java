package calciscreen.screening.cds;

import calciscreen.model.resources.RiskTier;
import calciscreen.screening.rules.Assessment;
import calciscreen.screening.rules.Measurement;
import calciscreen.screening.rules.RuleConfig;
import calciscreen.screening.rules.RuleId;
import calciscreen.screening.rules.RuleResult;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/** Turns an assessment into the one card a clinician sees: none below moderate. */
public final class CardFactory {

    static final int SUMMARY_LIMIT = 140;
    private static final DateTimeFormatter DAY = DateTimeFormatter.ISO_LOCAL_DATE.withZone(ZoneOffset.UTC);

    private final String worklistUrl;
    private final String launchUrl;
    private final RuleConfig config;

    public CardFactory(String publicBaseUrl, RuleConfig config) {
        this.worklistUrl = publicBaseUrl.replaceAll("/+$", "") + "/worklist";
        this.launchUrl = publicBaseUrl.replaceAll("/+$", "") + "/signin/launch";
        this.config = config;
    }

    public Optional<CdsJson.Card> card(String patientId, Assessment assessment) {
        if (!assessment.flagActive()) {
            return Optional.empty();
        }
        String tier = assessment.tier().name().toLowerCase(Locale.ROOT);
        return Optional.of(new CdsJson.Card(UUID.randomUUID().toString(), summary(assessment), detail(assessment),
                assessment.tier() == RiskTier.HIGH ? "critical" : "warning",
                new CdsJson.Source("calciscreen calciphylaxis rule set " + assessment.rulesVersion(), worklistUrl,
                        new CdsJson.Coding(calciscreen.model.CanonicalUrls.RULES_SYSTEM, "calciphylaxis",
                                "Calciphylaxis risk rule set " + assessment.rulesCanonical())),
                // a SMART app link: the EHR launches it with iss and launch, and the sign-in opens this patient's view
                List.of(new CdsJson.Link("Open this patient in the calciscreen worklist (" + tier + " risk)",
                        launchUrl, "smart")), CardFeedback.overrideReasons()));
    }

    /** "High calciphylaxis risk (score 13): Kidney failure, Hypercalcemia, ..." cut below 140 characters. */
    static String summary(Assessment assessment) {
        String tier = assessment.tier() == RiskTier.HIGH ? "High" : "Moderate";
        StringBuilder s = new StringBuilder(tier).append(" calciphylaxis risk (score ").append(assessment.score())
                .append(")");
        List<RuleResult> top = assessment.fired().stream()
                .sorted(Comparator.comparingInt(RuleResult::points).reversed()
                        .thenComparing(r -> r.rule().ordinal()))
                .toList();
        String sep = ": ";
        for (RuleResult r : top) {
            String reason = r.name() + r.measurement().map(m -> " " + value(m)).orElse("");
            if (s.length() + sep.length() + reason.length() > SUMMARY_LIMIT - 1) {
                break;
            }
            s.append(sep).append(reason);
            sep = ", ";
        }
        return s.toString();
    }

    String detail(Assessment assessment) {
        StringBuilder md = new StringBuilder();
        md.append("**Calciphylaxis risk: ").append(assessment.tier().name().toLowerCase(Locale.ROOT))
                .append("**, score ").append(assessment.score()).append(" (moderate from ")
                .append(config.tiers().moderateAtLeast()).append(", high from ").append(config.tiers().highAtLeast())
                .append("), rule set `").append(assessment.rulesCanonical()).append("`.\n\n");
        md.append("Rules that fired:\n\n");
        for (RuleResult r : assessment.fired()) {
            md.append("- **").append(r.rule()).append(" ").append(r.name()).append("** (+").append(r.points())
                    .append("): ").append(escape(r.verdict().reason()));
            r.measurement().ifPresent(m -> md.append(" (").append(escape(value(m)))
                    .append(m.at().map(at -> " on " + DAY.format(at)).orElse("")).append(")"));
            md.append("\n");
        }
        md.append("\nTo consider:\n\n");
        md.append("- Review calcium, phosphate and PTH (binders, vitamin D, calcimimetic, dialysate calcium).\n");
        if (assessment.result(RuleId.R1).fired()) {
            md.append("- Check dialysis adequacy (Kt/V, session time).\n");
        }
        if (assessment.result(RuleId.R7).fired()) {
            md.append("- Stop warfarin where possible (consider an alternative anticoagulant).\n");
        } else {
            md.append("- Avoid starting warfarin where an alternative exists.\n");
        }
        md.append("- Examine the skin: painful nodules, livedo, purpura or ulcers (lower limbs, abdomen, thighs).\n");
        md.append("\n_A screening heuristic that points at a patient, not a diagnosis._\n");
        return md.toString();
    }

    private static String value(Measurement m) {
        return m.what() + " " + number(m.value()) + " " + m.unit();
    }

    private static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.valueOf((long) v)
                : new java.math.BigDecimal(v).setScale(2, java.math.RoundingMode.HALF_UP).stripTrailingZeros()
                        .toPlainString();
    }

    /** Markdown: patient data never becomes markup. */
    static String escape(String text) {
        return text.replaceAll("([\\\\`*_\\[\\]<>#|])", "\\\\$1");
    }
}
