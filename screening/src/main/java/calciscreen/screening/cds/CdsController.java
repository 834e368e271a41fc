package calciscreen.screening.cds;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/** CDS Hooks 2.0 endpoints: discovery and the {@code calciphylaxis-risk} service. */
@RestController
public class CdsController {

    private static final Logger log = LoggerFactory.getLogger(CdsController.class);

    private final CalciphylaxisRiskService service;
    private final CdsClientTrust trust;
    private final String audience;
    private final boolean insecure;
    private final ObjectMapper json;

    private final CardFeedback cardFeedback;
    private final calciscreen.screening.audit.ReadAudits audits;

    public CdsController(CalciphylaxisRiskService service, CdsClientTrust trust, CdsEndpoint endpoint,
                         ObjectMapper json, CardFeedback cardFeedback, calciscreen.screening.audit.ReadAudits audits) {
        this.cardFeedback = cardFeedback;
        this.audits = audits;
        this.service = service;
        this.trust = trust;
        this.audience = endpoint.serviceUrl();
        this.insecure = endpoint.insecureDevMode();
        this.json = json;
    }

    @GetMapping(value = "/cds-services", produces = MediaType.APPLICATION_JSON_VALUE)
    public CdsJson.Discovery discovery() {
        return new CdsJson.Discovery(List.of(service.descriptor()));
    }

    @PostMapping(value = "/cds-services/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<Object> call(@PathVariable("id") String id,
                                       @RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String authorization,
                                       jakarta.servlet.http.HttpServletRequest http) throws java.io.IOException {
        if (!CalciphylaxisRiskService.ID.equals(id)) {
            return ResponseEntity.status(404).body(new CdsJson.Error("not_found",
                    "no CDS service `" + (id.length() > 60 ? id.substring(0, 60) : id) + "`: GET /cds-services lists "
                            + "calciphylaxis-risk"));
        }
        // before the body is read: a stranger's body is never read
        String client = insecure ? "insecure-dev-mode" : trust.verify(authorization, audience);
        String body = new String(http.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        CdsRequest request = CdsRequest.parse(json, body);
        CdsJson.Response response = service.call(request);
        if (!response.cards().isEmpty()) {
            // a card shows the patient's risk and evidence: a read of patient data, by the person at the chart
            calciscreen.model.resources.ActingPerson person = request.userId()
                    .map(user -> calciscreen.model.resources.ActingPerson.ofReference(user, user))
                    .orElseGet(() -> calciscreen.model.resources.ActingPerson.ofIdentifier(
                            calciscreen.screening.audit.ReadAudits.CLIENT_ID_SYSTEM, client, client));
            audits.read(new calciscreen.screening.audit.ReadAudits.Reader(person, request.userId().orElse(client),
                    client), request.patientId(), "calciscreen CDS card");
        }
        return ResponseEntity.ok(response);
    }

    /**
     * CDS Hooks feedback on a card ({@code POST /cds-services/calciphylaxis-risk/feedback}): signed like a hook call,
     * with this endpoint as the JWT audience. 200 once every item is stored.
     */
    @PostMapping(value = "/cds-services/{id}/feedback", produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<Object> feedback(@PathVariable("id") String id,
                                           @RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false)
                                           String authorization, jakarta.servlet.http.HttpServletRequest http)
            throws java.io.IOException {
        if (!CalciphylaxisRiskService.ID.equals(id)) {
            return ResponseEntity.status(404).body(new CdsJson.Error("not_found", "no CDS service with feedback "
                    + "here but calciphylaxis-risk"));
        }
        String client = insecure ? "insecure-dev-mode" : trust.verify(authorization, audience + "/feedback");
        String body = new String(http.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        int stored = cardFeedback.store(json, body, client);
        return ResponseEntity.ok(java.util.Map.of("stored", stored));
    }

    @ExceptionHandler(CdsException.class)
    public ResponseEntity<CdsJson.Error> refused(CdsException e) {
        log.info("event=cds_refused status={} error={} reason=\"{}\"", e.status(), e.error(),
                e.getMessage().replace('"', '\''));
        ResponseEntity.BodyBuilder answer = ResponseEntity.status(e.status()).contentType(MediaType.APPLICATION_JSON);
        if (e.status() == 401) {
            answer.header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"cds-services\"");
        }
        return answer.body(new CdsJson.Error(e.error(), e.getMessage()));
    }

    @ExceptionHandler(org.springframework.web.HttpMediaTypeNotSupportedException.class)
    public ResponseEntity<CdsJson.Error> mediaType(Exception e) {
        return ResponseEntity.status(415).contentType(MediaType.APPLICATION_JSON)
                .body(new CdsJson.Error("unsupported_media_type", "send the CDS Hooks request as application/json"));
    }
}
