package calciscreen.screening.auth;

import calciscreen.smart.SigningKey;
import java.util.Map;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /.well-known/jwks.json}: the public half of the key the screening signs its client assertions with. The
 * authorization server registers the screening by this URL (SMART Backend Services), so a new key needs no
 * re-registration.
 */
@RestController
public class JwksController {

    public static final String PATH = "/.well-known/jwks.json";

    private final Map<String, Object> jwks;

    public JwksController(SigningKey clientKey) {
        this.jwks = clientKey.publicJwkSet().toJSONObject();
    }

    @GetMapping(value = PATH, produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<Map<String, Object>> jwks() {
        return ResponseEntity.ok().cacheControl(CacheControl.maxAge(java.time.Duration.ofMinutes(5))).body(jwks);
    }
}
