package calciscreen.smart;

/** The authorization server refused a token request, or could not be reached; the message says which and why. */
public class TokenException extends RuntimeException {

    public TokenException(String message) {
        super(message);
    }

    public TokenException(String message, Throwable cause) {
        super(message, cause);
    }
}
