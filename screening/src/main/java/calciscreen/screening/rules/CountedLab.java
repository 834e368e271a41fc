package calciscreen.screening.rules;

import java.util.List;
import java.util.Optional;

/**
 * A counting lab value with what the rules hand out about it (the value as an Optional, the measurement, the source
 * list), made once when the context is built instead of at every evaluation. Immutable.
 */
final class CountedLab {

    final LabValue value;
    /** {@code Optional.of(this)}: what {@link Evaluation#latest} returns when this is the latest. */
    final Optional<CountedLab> asLatest;
    /** The rules' measurement of it: label, value and unit as measured, time. */
    final Optional<Measurement> measurement;
    /** {@code List.of(value.source())} */
    final List<String> sources;
    /** The value and the canonical value rounded to 6 decimals, as threshold comparisons read them. */
    final double value6;
    final double canonical6;

    CountedLab(LabValue value) {
        this.value = value;
        this.asLatest = Optional.of(this);
        this.measurement = Optional.of(new Measurement(value.analyte().label(), value.value(), value.unit(),
                Optional.of(value.at())));
        this.sources = List.of(value.source());
        this.value6 = Decimals.round6(value.value());
        this.canonical6 = Decimals.round6(value.canonicalValue());
    }
}
