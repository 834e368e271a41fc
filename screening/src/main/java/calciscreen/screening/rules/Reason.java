package calciscreen.screening.rules;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Why a rule decided as it did, kept as data and formatted only when shown ({@link #text()}): most reasons are never
 * read (a Flag's note shows the rules that fired), and formatting numbers would be most of what evaluating costs.
 */
public sealed interface Reason permits Reason.Text, Reason.Comparison, Reason.Product, Reason.All {

    /** The reason as a note shows it. */
    String text();

    /** A fixed reason, e.g. "hypercalcemia Condition". */
    record Text(String text) implements Reason {
    }

    /**
     * A value compared with a threshold, in the value's own unit when the threshold is given in it, else in the
     * canonical unit: "intact PTH 62.1 pmol/L &gt; 62 pmol/L", "calcium 5.2 meq/L (10.4208 mg/dL) &gt; 10.2 mg/dL".
     *
     * @param value    what was measured (label, value, unit, canonical value)
     * @param operator as it reads: {@code >}, {@code <=}, {@code <}, {@code >=}
     * @param limit    the threshold
     */
    record Comparison(Measured value, String operator, RuleConfig.UnitThreshold limit) implements Reason {
        @Override
        public String text() {
            String measured = value.label() + " " + Format.number(value.value()) + " " + value.unit();
            var own = limit.limitIn(value.unit());
            if (own.isPresent()) {
                return measured + " " + operator + " " + Format.number(own.getAsDouble()) + " " + value.unit();
            }
            return measured + " (" + Format.number(value.canonicalValue()) + " " + limit.unit() + ") " + operator + " "
                    + Format.number(limit.value()) + " " + limit.unit();
        }
    }

    /** "calcium 10.6 mg/dL x phosphate 6.4 mg/dL = 67.84 mg2/dL2 &gt;= 55", all in mg/dL. */
    record Product(double calcium, double phosphate, double product, String operator, double limit)
            implements Reason {
        @Override
        public String text() {
            return "calcium " + Format.number(calcium) + " mg/dL x phosphate " + Format.number(phosphate)
                    + " mg/dL = " + Format.number(product) + " mg2/dL2 " + operator + " " + Format.number(limit);
        }
    }

    /** Several reasons, in the order given, joined with "; ". */
    record All(List<Reason> parts) implements Reason {
        public All {
            parts = List.copyOf(parts);
        }

        @Override
        public String text() {
            return parts.stream().map(Reason::text).collect(Collectors.joining("; "));
        }
    }

    /** A value as a {@link Comparison} shows it. */
    interface Measured {
        String label();

        double value();

        String unit();

        /** The value in the analyte's canonical unit. */
        double canonicalValue();
    }
}
