package calciscreen.hl7v2;

import calciscreen.smart.SigningKey;
import java.time.Duration;
import java.util.Map;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /.well-known/jwks.json}: the public half of the intake's signing key, where the FHIR server's
 * authorization server finds it ({@code CALCISCREEN_AUTH_LAB_JWKS_URI}), so a new key needs no re-registration.
 */
@RestController
public class JwksController {

    private final Map<String, Object> jwks;

    public JwksController(SigningKey clientKey) {
        this.jwks = clientKey.publicJwkSet().toJSONObject();
    }

    @GetMapping(value = "/.well-known/jwks.json", produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<Map<String, Object>> jwks() {
        return ResponseEntity.ok().cacheControl(CacheControl.maxAge(Duration.ofMinutes(5))).body(jwks);
    }
}
