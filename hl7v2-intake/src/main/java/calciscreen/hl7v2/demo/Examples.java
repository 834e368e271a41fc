package calciscreen.hl7v2.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * The example messages shipped with the intake ({@code hl7v2/examples/*.hl7}, written for this project): one or more
 * messages per file, segments one per line. Their results are dated 2026-11-20; {@link #load} moves that day to the
 * day asked for (results older than the rules' 90-day lookback would not count), and can make their patients, orders
 * and control ids unique to one run, so that each run (a test) starts from new patients.
 */
public final class Examples {

    public static final List<String> NAMES = List.of("01-adt-a04-register", "02-oru-renal-panel", "03-oru-pth-pg-ml",
            "04-adt-a08-sex-change", "05-oru-corrected-result", "06-oru-deleted-result", "07-oru-pth-pmol-l-v23",
            "08-oru-ionized-calcium-v24", "09-oru-preliminary-then-final", "10-oru-greater-than-v24",
            "11-oru-local-code-loinc-alternate", "12-oru-malformed");

    static final String WRITTEN_ON = "20261120";

    private Examples() {}

    /** The raw text of an example file (line feeds between segments), as shipped. */
    public static String raw(String name) {
        try (InputStream in = Examples.class.getResourceAsStream("/hl7v2/examples/" + name + ".hl7")) {
            if (in == null) {
                throw new IllegalArgumentException("no example message " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The messages of an example file, segments separated by CR, dated {@code day} instead of 2026-11-20; with a
     * non-empty {@code run}, medical record numbers, order, specimen and message ids carry it.
     */
    public static List<String> load(String name, LocalDate day, String run) {
        String text = raw(name).replace(WRITTEN_ON, day.format(DateTimeFormatter.BASIC_ISO_DATE));
        if (!run.isEmpty()) {
            text = text.replaceAll("\\b1000(\\d\\d)\\^", run + "$1^")
                    .replaceAll("\\b(FL|PL|SP)-(\\d+)", "$1-" + run + "-$2")
                    .replaceAll("\\b(LAB|ADT)-(\\d{8})-(\\d{4})", "$1-" + run + "-$3");
        }
        List<String> messages = new ArrayList<>();
        StringBuilder current = null;
        for (String line : text.split("\\r?\\n|\\r")) {
            if (line.isBlank()) {
                continue;
            }
            if (line.startsWith("MSH|")) {
                if (current != null) {
                    messages.add(current.toString());
                }
                current = new StringBuilder();
            }
            if (current == null) {
                throw new IllegalStateException(name + " does not start with MSH");
            }
            current.append(line).append('\r');
        }
        if (current != null) {
            messages.add(current.toString());
        }
        return messages;
    }
}
