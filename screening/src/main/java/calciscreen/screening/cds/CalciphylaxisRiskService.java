package calciscreen.screening.cds;

import calciscreen.screening.rules.Assessment;
import calciscreen.screening.rules.PatientContext;
import calciscreen.screening.rules.RuleSet;
import ca.uhn.fhir.context.FhirContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code calciphylaxis-risk} service: the patient's data from the prefetch, the missing parts from the EHR's
 * {@code fhirServer}, then exactly what the screening does: {@link PatientContext#from} and {@link RuleSet#evaluate}.
 */
public class CalciphylaxisRiskService {

    public static final String ID = "calciphylaxis-risk";
    private static final Logger log = LoggerFactory.getLogger(CalciphylaxisRiskService.class);

    private final FhirContext fhir;
    private final RuleSet rules;
    private final Duration lookback;
    private final FhirServerFetcher fetcher;
    private final CardFactory cards;
    private final Clock clock;
    private final Optional<CardFeedback> feedback;

    public CalciphylaxisRiskService(FhirContext fhir, RuleSet rules, FhirServerFetcher fetcher, CardFactory cards,
                                    Clock clock) {
        this(fhir, rules, fetcher, cards, clock, null);
    }

    /** With {@code feedback}: cards are remembered for their feedback, and an overridden card stays quiet. */
    public CalciphylaxisRiskService(FhirContext fhir, RuleSet rules, FhirServerFetcher fetcher, CardFactory cards,
                                    Clock clock, CardFeedback feedback) {
        this.feedback = Optional.ofNullable(feedback);
        this.fhir = fhir;
        this.rules = rules;
        this.lookback = rules.config().lookback();
        this.fetcher = fetcher;
        this.cards = cards;
        this.clock = clock;
    }

    public CdsJson.Service descriptor() {
        return new CdsJson.Service(CdsRequest.HOOK, "Calciphylaxis risk",
                "Screens the patient for calciphylaxis risk with rule set " + rules.config().version()
                        + " (kidney failure, calcium, phosphate, PTH, albumin, warfarin, ...): one card for a moderate "
                        + "(warning) or high (critical) risk, listing the rules that fired with their values.",
                ID, Prefetch.templates(),
                "Send the prefetch, or fhirServer with fhirAuthorization (read access to Patient, Observation, "
                        + "Condition, Procedure, MedicationRequest, MedicationStatement, Medication).");
    }

    public CdsJson.Response call(CdsRequest request) {
        long started = System.nanoTime();
        Instant at = clock.instant();
        PrefetchReader reader = new PrefetchReader(fhir);
        Map<Prefetch, List<Resource>> parts = new EnumMap<>(Prefetch.class);
        for (Map.Entry<Prefetch, com.fasterxml.jackson.databind.JsonNode> e : request.prefetch().entrySet()) {
            parts.put(e.getKey(), reader.read(e.getKey(), e.getValue()));
        }
        Set<Prefetch> missing = EnumSet.allOf(Prefetch.class);
        missing.removeAll(parts.keySet());
        String source = missing.isEmpty() ? "prefetch" : parts.isEmpty() ? "fhir_server" : "prefetch+fhir_server";
        if (!missing.isEmpty()) {
            if (request.fhirServer().isEmpty()) {
                log.info("event=cds_answered service={} patient={} hook_instance={} cards=0 reason=no_data missing={} "
                        + "took_ms={}", ID, request.patientId(), request.hookInstance(), keys(missing), millis(started));
                return CdsJson.Response.none();
            }
            if (!fetcher.allows(request.fhirServer().get())) {
                throw CdsException.forbidden("fhirServer " + request.fhirServer().get() + " is not on this service's "
                        + "allow-list (calciscreen.cds.fhir-server-allow-list): send the prefetch instead");
            }
            try {
                parts.putAll(fetcher.fetch(request.fhirServer().get(), request.accessToken(), request.patientId(),
                        missing, at, lookback));
            } catch (FhirServerFetcher.FetchFailed e) {
                log.warn("event=cds_fetch_failed service={} patient={} hook_instance={} reason={} missing={} "
                                + "took_ms={} detail=\"{}\"", ID, request.patientId(), request.hookInstance(), e.reason(),
                        keys(missing), millis(started), e.getMessage().replace('"', '\''));
                return CdsJson.Response.none();
            }
        }
        Patient patient = parts.getOrDefault(Prefetch.PATIENT, List.of()).stream()
                .filter(Patient.class::isInstance).map(Patient.class::cast).findFirst().orElse(null);
        List<Resource> clinical = new ArrayList<>();
        parts.forEach((key, resources) -> {
            if (!key.isRead()) {
                clinical.addAll(resources);
            }
        });
        if (patient == null && clinical.isEmpty()) {
            log.info("event=cds_answered service={} patient={} hook_instance={} source={} cards=0 reason=no_data "
                    + "took_ms={}", ID, request.patientId(), request.hookInstance(), source, millis(started));
            return CdsJson.Response.none();
        }
        Assessment assessment = evaluate(patient, clinical, at);
        Optional<CdsJson.Card> card = cards.card(request.patientId(), assessment);
        Optional<calciscreen.model.resources.FlagAction> quiet = card.flatMap(c -> feedback
                .flatMap(f -> f.quieting(request.patientId(), assessment)));
        if (quiet.isPresent()) {
            log.info("event=cds_answered service={} patient={} hook_instance={} source={} tier={} score={} cards=0 "
                            + "reason=overridden override_task={} took_ms={}", ID, request.patientId(),
                    request.hookInstance(), source, assessment.tier(), assessment.score(), quiet.get().taskId(),
                    millis(started));
            return CdsJson.Response.none();
        }
        card.ifPresent(c -> feedback.ifPresent(f -> f.issued(c.uuid(), request.patientId(), assessment)));
        List<CdsJson.Card> answer = card.map(List::of).orElse(List.of());
        log.info("event=cds_answered service={} patient={} hook_instance={} source={} tier={} score={} cards={} "
                        + "took_ms={}", ID, request.patientId(), request.hookInstance(), source, assessment.tier(),
                assessment.score(), answer.size(), millis(started));
        return new CdsJson.Response(answer);
    }

    /** The screening's own evaluation: the same context building and the same rule set. */
    Assessment evaluate(Patient patient, List<Resource> clinical, Instant at) {
        return rules.evaluate(PatientContext.from(patient, clinical), at);
    }

    private static String keys(Set<Prefetch> parts) {
        return parts.stream().map(Prefetch::key).collect(Collectors.joining(","));
    }

    private static long millis(long started) {
        return Duration.ofNanos(System.nanoTime() - started).toMillis();
    }
}
