package calciscreen.hl7v2.mapping;

import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Date;
import java.util.Optional;
import java.util.TimeZone;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;

/**
 * HL7 v2 times (DTM/TS: {@code YYYY[MM[DD[HH[MM[SS[.S[S[S[S]]]]]]]]][+/-ZZZZ]}) as FHIR times, keeping the precision
 * sent. A time of day sent without an offset is read in the sending facility's zone (FHIR requires a zone once a
 * time of day is given); a date alone stays a date.
 */
public final class Hl7Time {

    private static final Pattern DTM = Pattern.compile(
            "(\\d{4})(?:(\\d{2})(?:(\\d{2})(?:(\\d{2})(?:(\\d{2})(?:(\\d{2})(?:\\.(\\d{1,4}))?)?)?)?)?)?([+-]\\d{4})?");

    private Hl7Time() {}

    /** Empty for an empty field; a {@link Rejection} (data type error) at {@code where} for one that is not a time. */
    public static Optional<DateTimeType> dateTime(String value, ZoneId zone, Where where) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        Matcher m = DTM.matcher(value.trim());
        if (!m.matches()) {
            throw where.reject("'" + value + "' is not an HL7 time (YYYYMMDDHHMMSS[+ZZZZ])");
        }
        try {
            int year = Integer.parseInt(m.group(1));
            if (m.group(4) == null) {
                int month = m.group(2) == null ? 1 : Integer.parseInt(m.group(2));
                int day = m.group(3) == null ? 1 : Integer.parseInt(m.group(3));
                LocalDateTime.of(year, month, day, 0, 0); // validates the date
                TemporalPrecisionEnum precision = m.group(2) == null ? TemporalPrecisionEnum.YEAR
                        : m.group(3) == null ? TemporalPrecisionEnum.MONTH : TemporalPrecisionEnum.DAY;
                String text = m.group(1) + (m.group(2) == null ? "" : "-" + m.group(2))
                        + (m.group(3) == null ? "" : "-" + m.group(3));
                DateTimeType date = new DateTimeType(text);
                date.setPrecision(precision);
                return Optional.of(date);
            }
            int nanos = m.group(7) == null ? 0 : Integer.parseInt((m.group(7) + "000000000").substring(0, 9));
            LocalDateTime local = LocalDateTime.of(year, Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)),
                    Integer.parseInt(m.group(4)), m.group(5) == null ? 0 : Integer.parseInt(m.group(5)),
                    m.group(6) == null ? 0 : Integer.parseInt(m.group(6)), nanos);
            ZoneId zoneOfValue = m.group(8) == null ? zone : ZoneOffset.of(m.group(8).substring(0, 3) + ":"
                    + m.group(8).substring(3));
            ZonedDateTime at = local.atZone(zoneOfValue);
            TemporalPrecisionEnum precision = m.group(5) == null || m.group(6) == null ? TemporalPrecisionEnum.MINUTE
                    : m.group(7) == null ? TemporalPrecisionEnum.SECOND : TemporalPrecisionEnum.MILLI;
            if (precision == TemporalPrecisionEnum.MINUTE) {
                precision = TemporalPrecisionEnum.SECOND; // FHIR has no minute precision for dateTime
            }
            return Optional.of(new DateTimeType(Date.from(at.toInstant()), precision,
                    TimeZone.getTimeZone(at.getZone())));
        } catch (RuntimeException e) {
            throw where.reject("'" + value + "' is not a valid time: " + e.getMessage());
        }
    }

    /** A birth date: the date part of the time, as sent. */
    public static Optional<DateType> date(String value, ZoneId zone, Where where) {
        return dateTime(value, zone, where).map(t -> {
            TemporalPrecisionEnum precision = t.getPrecision().ordinal() > TemporalPrecisionEnum.DAY.ordinal()
                    ? TemporalPrecisionEnum.DAY : t.getPrecision();
            DateType date = new DateType(t.getValueAsString().substring(0, precision == TemporalPrecisionEnum.YEAR ? 4
                    : precision == TemporalPrecisionEnum.MONTH ? 7 : 10));
            return date;
        });
    }

    /** Where a field sits, to reject it with. */
    @FunctionalInterface
    public interface Where {
        Rejection reject(String reason);
    }
}
