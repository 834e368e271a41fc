package calciscreen.screening.rules;

/**
 * Threshold comparisons at a fixed precision of 6 decimals, so that arithmetic noise (9.2 + 0.8 x 0.5 =
 * 9.600000000000001) never moves a value across a boundary. Allocation-free.
 */
final class Decimals {

    private static final double SCALE = 1_000_000d;
    /** Beyond this magnitude a double has no 6-decimal fraction left to round. */
    private static final double LIMIT = 1e12;

    private Decimals() {
    }

    static double round6(double v) {
        if (!Double.isFinite(v) || Math.abs(v) >= LIMIT) {
            return v;
        }
        return Math.round(v * SCALE) / SCALE;
    }

    static int compare(double a, double b) {
        return Double.compare(round6(a), round6(b));
    }
}
