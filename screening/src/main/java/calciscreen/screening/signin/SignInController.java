package calciscreen.screening.signin;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;

/** The pages of the sign-in around the worklist: the EHR launch, who is signed in, the page after signing out. */
@Controller
public class SignInController {

    private final SignedInPeople people;
    private final EhrLaunch launch;

    SignInController(SignedInPeople people, EhrLaunch launch) {
        this.people = people;
        this.launch = launch;
    }

    /**
     * The SMART EHR launch ({@code iss}: the FHIR base this service reads, else 400; {@code launch}: the EHR's opaque
     * launch id): remembered in the session, then the sign-in, which lands on that patient's view.
     */
    @GetMapping(EhrLaunch.PATH)
    public ResponseEntity<String> ehrLaunch(@RequestParam(value = "iss", required = false) String iss,
                                            @RequestParam(value = "launch", required = false) String id,
                                            HttpServletRequest request) {
        if (!launch.isOurServer(iss)) {
            return plain(400, "iss is not the FHIR server this service reads: this service is launched by its own EHR");
        }
        if (id == null || !EhrLaunch.LAUNCH.matcher(id).matches()) {
            return plain(400, "launch is missing or malformed");
        }
        EhrLaunch.remember(request, id);
        return ResponseEntity.status(302).header("Location", SignInRefusals.SIGN_IN).cacheControl(CacheControl.noStore())
                .build();
    }

    private static ResponseEntity<String> plain(int status, String why) {
        return ResponseEntity.status(status).contentType(MediaType.TEXT_PLAIN).cacheControl(CacheControl.noStore())
                .body(why + "\n");
    }

    /** Open to everyone: the issuer sends the browser here after signing out. */
    @GetMapping(SignInConfig.SIGNED_OUT)
    public String signedOut() {
        return "forward:/signin/signed-out.html";
    }

    /**
     * Who the page is showing the worklist to, whether their role may act on Flags, and how long until their access
     * token is no longer used (the page renews the sign-in before then).
     */
    @GetMapping(value = "/worklist/api/me", produces = MediaType.APPLICATION_JSON_VALUE)
    @ResponseBody
    public ResponseEntity<Map<String, Object>> me(HttpServletRequest request) {
        SignedInPeople.Person person = people.signedIn().orElseThrow();
        long expiresIn = people.tokenExpiresAt(request)
                .map(at -> java.time.Duration.between(java.time.Instant.now(), at).minus(ExpiredAccessTokens.MARGIN)
                        .toSeconds()).orElse(0L);
        return ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(Map.of("name", person.name(),
                "mayAct", people.mayAct(request), "signOut", SignInConfig.SIGN_OUT,
                "tokenExpiresInSeconds", expiresIn));
    }
}
