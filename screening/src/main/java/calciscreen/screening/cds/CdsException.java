package calciscreen.screening.cds;

/** A call the service refuses, with the HTTP status and the sentence the caller sees. */
public class CdsException extends RuntimeException {

    private final int status;
    private final String error;

    public CdsException(int status, String error, String message) {
        super(message);
        this.status = status;
        this.error = error;
    }

    public static CdsException badRequest(String message) {
        return new CdsException(400, "bad_request", message);
    }

    public static CdsException unauthorized(String message) {
        return new CdsException(401, "unauthorized", message);
    }

    public static CdsException forbidden(String message) {
        return new CdsException(403, "forbidden", message);
    }

    public int status() {
        return status;
    }

    public String error() {
        return error;
    }
}
