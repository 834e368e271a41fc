package calciscreen.model.resources;

import static calciscreen.model.CanonicalUrls.RULE_CRITERION_EXTENSION;
import static calciscreen.model.CanonicalUrls.RULE_RESULT_EXTENSION;

import calciscreen.model.units.Ucum;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Type;

/**
 * One rule's result as the RiskAssessment carries it: one {@link calciscreen.model.CanonicalUrls#RULE_RESULT_EXTENSION}
 * per rule that fired or could not decide (docs/architecture.md, "Rule results on the RiskAssessment"). The note lines
 * say the same for people; code reads this.
 *
 * <pre>
 * rule-result
 *   rule      valueCoding    system the rule set's url, version its version, code R5, display Hyperparathyroidism
 *   fired     valueBoolean   true: fired; false: could not decide (indeterminate, no points)
 *   points    valueInteger   the points awarded (0 unless fired)
 *   reason    valueString    the reason as the note reads: "intact PTH 612 pg/mL &gt; 585 pg/mL"
 *   rule-criterion (0..*)    each criterion met, in order:
 *     text      valueString    "intact PTH 612 pg/mL &gt; 585 pg/mL", "hyperparathyroidism Condition"
 *     label     valueString    what was compared ("intact PTH"), for a value against a threshold
 *     value     valueQuantity  the value as measured (UCUM)
 *     operator  valueCode      &gt; &gt;= &lt; &lt;=
 *     limit     valueQuantity  the threshold it was compared with (UCUM)
 * </pre>
 *
 * @param rule     the rule's id in its rule set, e.g. {@code R5}
 * @param title    the rule's name, e.g. {@code Hyperparathyroidism}
 * @param fired    true when the rule fired, false when it could not decide
 * @param points   the points awarded: 0 unless fired
 * @param reason   the reason as the note reads
 * @param criteria the criteria met (a fired rule), in order; none for a rule that could not decide
 */
public record RuleOutcome(String rule, String title, boolean fired, int points, String reason,
                          List<Criterion> criteria) {

    /** The comparison operators a criterion may carry. */
    public static final Set<String> OPERATORS = Set.of(">", ">=", "<", "<=");

    public RuleOutcome {
        rule = Fhir.require(rule, "a rule id");
        title = Fhir.require(title, "a rule title");
        reason = Fhir.require(reason, "a rule's reason");
        criteria = List.copyOf(criteria);
        if (points < 0 || (!fired && points != 0)) {
            throw new IllegalArgumentException(rule + ": " + points + " points for a rule that "
                    + (fired ? "fired" : "did not fire"));
        }
    }

    /**
     * One criterion a rule found met.
     *
     * @param text       the criterion as the note reads
     * @param comparison the value and threshold, when the criterion is a value against a threshold
     */
    public record Criterion(String text, Optional<Comparison> comparison) {
        public Criterion {
            text = Fhir.require(text, "a criterion's text");
            Objects.requireNonNull(comparison, "comparison");
        }

        public static Criterion text(String text) {
            return new Criterion(text, Optional.empty());
        }
    }

    /** A value compared with a threshold: {@code value operator limit}, each amount in its UCUM unit. */
    public record Comparison(String label, Amount value, String operator, Amount limit) {
        public Comparison {
            label = Fhir.require(label, "a comparison's label");
            Objects.requireNonNull(value, "value");
            Objects.requireNonNull(limit, "limit");
            if (!OPERATORS.contains(operator)) {
                throw new IllegalArgumentException("not a comparison operator: " + operator);
            }
        }
    }

    /** A decimal in a UCUM unit, as a FHIR Quantity carries it. */
    public record Amount(BigDecimal value, String unit) {
        public Amount {
            Objects.requireNonNull(value, "value");
            unit = Fhir.require(unit, "a UCUM unit");
        }

        /** The double as a plain decimal, without trailing zeros: 585.0 -> 585, 10.4208 -> 10.4208. */
        public static Amount of(double value, String unit) {
            BigDecimal d = BigDecimal.valueOf(value).stripTrailingZeros();
            return new Amount(d.scale() < 0 ? d.setScale(0) : d, unit);
        }

        Quantity toQuantity() {
            return new Quantity().setValue(value).setUnit(unit).setSystem(Ucum.SYSTEM).setCode(unit);
        }

        static Optional<Amount> of(Type type) {
            return type instanceof Quantity q && q.hasValue() && q.hasCode() && Ucum.SYSTEM.equals(q.getSystem())
                    ? Optional.of(new Amount(q.getValue(), q.getCode())) : Optional.empty();
        }
    }

    // ---- writing ----

    /** The extension, the rule coded under {@code ruleSet} (its url as system, its version as version). */
    public Extension toExtension(RuleSetId ruleSet) {
        Extension ext = new Extension(RULE_RESULT_EXTENSION);
        ext.addExtension("rule", new Coding(ruleSet.url(), rule, title).setVersion(ruleSet.version()));
        ext.addExtension("fired", new BooleanType(fired));
        ext.addExtension("points", new IntegerType(points));
        ext.addExtension("reason", new StringType(reason));
        for (Criterion criterion : criteria) {
            Extension c = new Extension(RULE_CRITERION_EXTENSION);
            c.addExtension("text", new StringType(criterion.text()));
            criterion.comparison().ifPresent(comparison -> {
                c.addExtension("label", new StringType(comparison.label()));
                c.addExtension("value", comparison.value().toQuantity());
                c.addExtension("operator", new CodeType(comparison.operator()));
                c.addExtension("limit", comparison.limit().toQuantity());
            });
            ext.addExtension(c);
        }
        return ext;
    }

    // ---- reading ----

    /**
     * The rule results of extensions written by {@link #toExtension}, in order; an extension that lacks the rule, the
     * verdict, the points or the reason is left out (it is not ours to guess), and so is a criterion without its text.
     */
    public static List<RuleOutcome> of(List<Extension> extensions) {
        List<RuleOutcome> outcomes = new ArrayList<>();
        for (Extension ext : extensions) {
            if (RULE_RESULT_EXTENSION.equals(ext.getUrl())) {
                read(ext).ifPresent(outcomes::add);
            }
        }
        return List.copyOf(outcomes);
    }

    private static Optional<RuleOutcome> read(Extension ext) {
        Optional<Coding> rule = value(ext, "rule").filter(Coding.class::isInstance).map(Coding.class::cast)
                .filter(Coding::hasCode);
        Optional<Boolean> fired = value(ext, "fired").filter(BooleanType.class::isInstance)
                .map(t -> ((BooleanType) t).getValue());
        Optional<Integer> points = value(ext, "points").filter(IntegerType.class::isInstance)
                .map(t -> ((IntegerType) t).getValue());
        Optional<String> reason = string(ext, "reason");
        if (rule.isEmpty() || fired.isEmpty() || points.isEmpty() || reason.isEmpty()) {
            return Optional.empty();
        }
        List<Criterion> criteria = new ArrayList<>();
        for (Extension c : ext.getExtensionsByUrl(RULE_CRITERION_EXTENSION)) {
            string(c, "text").ifPresent(text -> criteria.add(new Criterion(text, comparison(c))));
        }
        try {
            return Optional.of(new RuleOutcome(rule.get().getCode(),
                    rule.get().hasDisplay() ? rule.get().getDisplay() : rule.get().getCode(), fired.get(),
                    points.get(), reason.get(), criteria));
        } catch (IllegalArgumentException e) { // points that contradict the verdict
            return Optional.empty();
        }
    }

    private static Optional<Comparison> comparison(Extension criterion) {
        Optional<String> label = string(criterion, "label");
        Optional<Amount> value = value(criterion, "value").flatMap(Amount::of);
        Optional<String> operator = value(criterion, "operator").filter(CodeType.class::isInstance)
                .map(Type::primitiveValue).filter(OPERATORS::contains);
        Optional<Amount> limit = value(criterion, "limit").flatMap(Amount::of);
        if (label.isEmpty() || value.isEmpty() || operator.isEmpty() || limit.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Comparison(label.get(), value.get(), operator.get(), limit.get()));
    }

    private static Optional<Type> value(Extension parent, String url) {
        List<Extension> found = parent.getExtensionsByUrl(url);
        return found.size() != 1 || !found.get(0).hasValue() ? Optional.empty() : Optional.of(found.get(0).getValue());
    }

    private static Optional<String> string(Extension parent, String url) {
        return value(parent, url).filter(StringType.class::isInstance).map(Type::primitiveValue)
                .filter(s -> !s.isBlank());
    }
}
