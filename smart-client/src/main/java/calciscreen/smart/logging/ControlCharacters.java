package calciscreen.smart.logging;

/**
 * Control characters made visible: a value a caller sent (a JWT {@code iss}, a {@code fhirServer} URL, a search
 * parameter in an exception message) can then never start a log line of its own. CR, LF and TAB become {@code \r},
 * {@code \n} and {@code \t}; every other control character, and the Unicode line and paragraph separators, become
 * {@code \}{@code uXXXX}.
 */
public final class ControlCharacters {

    private ControlCharacters() {}

    public static String escape(String value) {
        if (value == null) {
            return null;
        }
        int first = firstToEscape(value);
        if (first < 0) {
            return value;
        }
        StringBuilder escaped = new StringBuilder(value.length() + 16).append(value, 0, first);
        for (int i = first; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\r' -> escaped.append("\\r");
                case '\n' -> escaped.append("\\n");
                case '\t' -> escaped.append("\\t");
                default -> {
                    if (mustEscape(c)) {
                        escaped.append(String.format("\\u%04x", (int) c));
                    } else {
                        escaped.append(c);
                    }
                }
            }
        }
        return escaped.toString();
    }

    private static int firstToEscape(String value) {
        for (int i = 0; i < value.length(); i++) {
            if (mustEscape(value.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    private static boolean mustEscape(char c) {
        return Character.getType(c) == Character.CONTROL || c == '\u2028' || c == '\u2029';
    }
}
