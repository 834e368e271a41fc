package calciscreen.screening.rules;

import java.math.BigDecimal;

/** Numbers in notes and reasons: as short as exact (10.2, not 10.200000). */
final class Format {

    private Format() {
    }

    static String number(double v) {
        if (!Double.isFinite(v)) {
            return Double.toString(v);
        }
        double r = Decimals.round6(v);
        if (r == Math.rint(r) && Math.abs(r) < 1e15) {
            return Long.toString((long) r); // fast path: integers
        }
        if (Math.abs(r) >= 1e-3 && Math.abs(r) < 1e7) {
            return Double.toString(r); // shortest repr that round-trips; no exponent in this range
        }
        return BigDecimal.valueOf(r).stripTrailingZeros().toPlainString();
    }
}
