package calciscreen.screening.rules;

import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Optional;
import org.hl7.fhir.r4.model.BaseDateTimeType;
import org.hl7.fhir.r4.model.Period;

/** FHIR dates and times as Instants. A date without a time (2024, 2024-05, 2024-05-01) is its first moment, UTC. */
final class FhirTime {

    private FhirTime() {
    }

    static Optional<Instant> instant(BaseDateTimeType t) {
        if (t == null || t.getValue() == null) {
            return Optional.empty();
        }
        TemporalPrecisionEnum precision = t.getPrecision();
        if (precision != null && precision.ordinal() <= TemporalPrecisionEnum.DAY.ordinal()) {
            Integer year = t.getYear();
            Integer month = precision == TemporalPrecisionEnum.YEAR ? Integer.valueOf(0) : t.getMonth();
            Integer day = precision == TemporalPrecisionEnum.DAY ? t.getDay() : Integer.valueOf(1);
            if (year == null || month == null || day == null) {
                return Optional.empty();
            }
            // HAPI's getMonth() is zero-based (java.util.Calendar)
            return Optional.of(LocalDate.of(year, month + 1, day).atStartOfDay(ZoneOffset.UTC).toInstant());
        }
        return Optional.of(t.getValue().toInstant());
    }

    /** Period.end, else Period.start. */
    static Optional<Instant> endElseStart(Period p) {
        if (p == null) {
            return Optional.empty();
        }
        Optional<Instant> end = instant(p.getEndElement());
        return end.isPresent() ? end : instant(p.getStartElement());
    }
}
