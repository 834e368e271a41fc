package calciscreen.screening.cds;

import java.nio.file.Path;
import java.time.Duration;

/**
 * {@code ./calciscreen token --cds}: prints a JWT signed by the development CDS client, the token alone on standard
 * output, for {@code Authorization: Bearer $(./calciscreen token --cds)}. Each token has its own jti, so use a new one
 * for each call.
 *
 * <pre>
 * --state-dir=DIR  the screening state dir holding the client's key (default $CALCISCREEN_SCREENING_STATE_DIR or
 *                  ./data/screening); the key is generated there if the service has not started yet
 * --aud=URL        the service endpoint (default http://localhost:8081/cds-services/calciphylaxis-risk)
 * --issuer=ISS     default calciscreen-dev-ehr
 * --lifetime=SEC   default 300
 * </pre>
 */
public final class CdsToken {

    private CdsToken() {
    }

    public static void main(String[] args) {
        String env = System.getenv("CALCISCREEN_SCREENING_STATE_DIR");
        Path stateDir = Path.of(env == null || env.isBlank() ? "./data/screening" : env);
        String aud = "http://localhost:8081/cds-services/" + CalciphylaxisRiskService.ID;
        String issuer = "calciscreen-dev-ehr";
        long lifetime = 300;
        for (String arg : args) {
            if (arg.startsWith("--state-dir=")) {
                stateDir = Path.of(arg.substring("--state-dir=".length()));
            } else if (arg.startsWith("--aud=")) {
                aud = arg.substring("--aud=".length());
            } else if (arg.startsWith("--issuer=")) {
                issuer = arg.substring("--issuer=".length());
            } else if (arg.startsWith("--lifetime=")) {
                try {
                    lifetime = Long.parseLong(arg.substring("--lifetime=".length()));
                } catch (NumberFormatException e) {
                    fail("--lifetime takes seconds, e.g. --lifetime=300");
                }
            } else {
                fail("unknown option " + arg + " (--state-dir=DIR --aud=URL --issuer=ISS --lifetime=SEC)");
            }
        }
        try {
            System.out.println(DevCdsClient.loadOrCreate(stateDir, issuer).sign(aud, Duration.ofSeconds(lifetime)));
        } catch (RuntimeException e) {
            fail(e.getMessage());
        }
    }

    private static void fail(String message) {
        System.err.println("calciscreen token --cds: " + message);
        System.exit(2);
    }
}
