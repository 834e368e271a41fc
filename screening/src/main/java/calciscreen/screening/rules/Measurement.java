package calciscreen.screening.rules;

import java.time.Instant;
import java.util.Optional;

/** The value a rule used: what, how much, in which unit, when (e.g. "corrected calcium", 10.6, "mg/dL"). */
public record Measurement(String what, double value, String unit, Optional<Instant> at) {

    @Override
    public String toString() {
        return what + " " + Format.number(value) + " " + unit;
    }
}
