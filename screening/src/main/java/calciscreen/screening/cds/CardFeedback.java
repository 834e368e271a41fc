package calciscreen.screening.cds;

import calciscreen.model.CanonicalUrls;
import calciscreen.model.resources.ActingPerson;
import calciscreen.model.resources.FlagAction;
import calciscreen.model.resources.FlagActionBuilder;
import calciscreen.model.resources.FlagBuilder;
import calciscreen.model.resources.RiskTier;
import calciscreen.model.terminology.FlagActionKind;
import calciscreen.model.terminology.FlagActionReason;
import calciscreen.screening.reviews.ReviewDecision;
import calciscreen.screening.rules.Assessment;
import calciscreen.screening.rules.RuleResult;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Task;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CDS Hooks feedback on the calciphylaxis-risk card: the cards issued (remembered with the tier and evidence they
 * showed, for a bounded time), the feedback stored as flag-action Tasks (docs/flag-actions.md) with the screening's
 * client, and whether an overridden card stays quiet for a patient ({@link ReviewDecision#quietingOverride}).
 */
public class CardFeedback {

    private static final Logger log = LoggerFactory.getLogger(CardFeedback.class);
    static final String CDS_CLIENT_SYSTEM = CanonicalUrls.BASE + "/sid/cds-client";
    private static final String CARD_KINDS = FlagActionKind.CARD_ACCEPTED.code().system() + "|"
            + FlagActionKind.CARD_ACCEPTED.code().code() + "," + FlagActionKind.CARD_OVERRIDDEN.code().system() + "|"
            + FlagActionKind.CARD_OVERRIDDEN.code().code();

    /** What a card showed: enough to store its feedback like a worklist action. */
    record Issued(String patientId, RiskTier tier, List<String> evidence, List<String> rules, Instant at) {}

    private final IGenericClient client;
    private final ReviewDecision decision;
    private final Clock clock;
    private final int kept;
    private final Duration ttl;
    private final Map<String, Issued> issued;

    public CardFeedback(IGenericClient client, ReviewDecision decision, Clock clock, int kept, Duration ttl) {
        this.client = client;
        this.decision = decision;
        this.clock = clock;
        this.kept = kept;
        this.ttl = ttl;
        this.issued = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Issued> eldest) {
                return size() > CardFeedback.this.kept;
            }
        };
    }

    /** The card's reasons to offer: the same list as the worklist's dismissal reasons. */
    public static List<CdsJson.Coding> overrideReasons() {
        return java.util.Arrays.stream(FlagActionReason.values())
                .map(r -> new CdsJson.Coding(r.code().system(), r.code().code(), r.code().display())).toList();
    }

    static List<String> rulesOf(Assessment assessment) {
        return assessment.fired().stream().map(RuleResult::rule).map(Enum::name).toList();
    }

    /** Remembers a card just issued, so that its feedback can say what it showed. */
    public synchronized void issued(String uuid, String patientId, Assessment assessment) {
        issued.put(uuid, new Issued(patientId, assessment.tier(), List.copyOf(assessment.evidenceResourceIds()),
                rulesOf(assessment), clock.instant()));
    }

    /**
     * The override keeping this patient's card quiet, if any. A FHIR server that cannot be read shows the card: a
     * card too many is better than a card missed.
     */
    public Optional<FlagAction> quieting(String patientId, Assessment assessment) {
        List<FlagAction> feedback = new ArrayList<>();
        try {
            Bundle page = client.search().byUrl("Task?" + FlagActionBuilder.cdsPatientSearch(patientId) + "&code="
                    + CARD_KINDS + "&_sort=-authored-on&_count=20").returnBundle(Bundle.class).execute();
            page.getEntry().stream().filter(e -> e.getResource() instanceof Task)
                    .forEach(e -> FlagAction.of((Task) e.getResource()).ifPresent(feedback::add));
        } catch (RuntimeException e) {
            log.warn("event=cds_feedback_read_failed patient={} error={}", patientId, e.getClass().getSimpleName());
            return Optional.empty();
        }
        return decision.quietingOverride(patientId, assessment.tier(), assessment.evidenceResourceIds(), feedback,
                clock.instant());
    }

    /** One feedback item, checked. */
    record Item(String card, FlagActionKind kind, Optional<FlagActionReason> reason, String comment, Instant at) {}

    /**
     * Stores a feedback request ({@code {"feedback": [...]}}, CDS Hooks 2.0): every item is checked first (400 for a
     * malformed one, 404 for a card this service did not issue or no longer remembers), then each is written once
     * (a resent item finds its Task by identifier).
     *
     * @return the number of items stored
     */
    public int store(ObjectMapper json, String body, String cdsClient) {
        JsonNode root;
        try {
            root = body == null || body.isBlank() ? null : json.readTree(body);
        } catch (java.io.IOException e) {
            throw CdsException.badRequest("the feedback is not JSON");
        }
        JsonNode items = root == null ? null : root.get("feedback");
        if (items == null || !items.isArray() || items.isEmpty()) {
            throw CdsException.badRequest("the feedback needs a non-empty `feedback` array");
        }
        List<Item> checked = new ArrayList<>();
        for (JsonNode item : items) {
            checked.add(item(item));
        }
        Map<Item, Issued> cards = new LinkedHashMap<>();
        Instant now = clock.instant();
        synchronized (this) {
            for (Item item : checked) {
                Issued card = issued.get(item.card());
                if (card == null || card.at().plus(ttl).isBefore(now)) {
                    throw new CdsException(404, "unknown_card", "card " + item.card() + " was not issued by this "
                            + "service in the last " + ttl.toHours() + " hours");
                }
                cards.put(item, card);
            }
        }
        cards.forEach((item, card) -> write(item, card, cdsClient));
        return cards.size();
    }

    private void write(Item item, Issued card, String cdsClient) {
        FlagActionBuilder task = FlagActionBuilder.of(item.kind()).cdsPatient(card.patientId())
                .by(ActingPerson.ofIdentifier(CDS_CLIENT_SYSTEM, cdsClient, "CDS client " + cdsClient))
                .at(item.at()).reviewedAgainst(card.tier(), card.evidence(), card.rules()).cdsCard(item.card())
                .identifier(item.card() + "/" + item.kind().code().code());
        if (item.reason().isPresent() || !item.comment().isBlank()) {
            task.reason(item.reason(), item.comment());
        }
        ourFlag(card.patientId()).ifPresent(flag -> task.flag("Flag/" + flag).patient("Patient/" + card.patientId()));
        client.create().resource(task.build())
                .conditionalByUrl(FlagActionBuilder.matchUrl(item.card() + "/" + item.kind().code().code())).execute();
        log.info("event=cds_feedback card={} outcome={} patient={} reason={}", item.card(), item.kind().code().code(),
                card.patientId(), item.reason().map(r -> r.code().code()).orElse("-"));
    }

    /** The patient's Flag on this server, when the card's patient is one of ours. */
    private Optional<String> ourFlag(String patientId) {
        try {
            Bundle found = client.search().byUrl(FlagBuilder.matchUrl(patientId) + "&_elements=id")
                    .returnBundle(Bundle.class).execute();
            return found.getEntry().stream().filter(e -> e.hasResource())
                    .map(e -> e.getResource().getIdElement().getIdPart()).findFirst();
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private static Item item(JsonNode item) {
        String card = text(item, "card");
        if (card == null) {
            throw CdsException.badRequest("each feedback item needs `card` (the card's uuid)");
        }
        String outcome = text(item, "outcome");
        FlagActionKind kind = "accepted".equals(outcome) ? FlagActionKind.CARD_ACCEPTED
                : "overridden".equals(outcome) ? FlagActionKind.CARD_OVERRIDDEN : null;
        if (kind == null) {
            throw CdsException.badRequest("`outcome` is `accepted` or `overridden`");
        }
        String timestamp = text(item, "outcomeTimestamp");
        Instant at;
        try {
            at = timestamp == null ? null : OffsetDateTime.parse(timestamp).toInstant();
        } catch (DateTimeParseException e) {
            at = null;
        }
        if (at == null) {
            throw CdsException.badRequest("each feedback item needs `outcomeTimestamp` (an ISO 8601 instant)");
        }
        Optional<FlagActionReason> reason = Optional.empty();
        String comment = "";
        JsonNode override = item.get("overrideReason");
        if (override != null && !override.isNull()) {
            if (kind != FlagActionKind.CARD_OVERRIDDEN) {
                throw CdsException.badRequest("only an `overridden` outcome has an `overrideReason`");
            }
            JsonNode coding = override.get("reason");
            if (coding != null && !coding.isNull()) {
                String system = text(coding, "system");
                reason = FlagActionReason.ofCode(text(coding, "code"))
                        .filter(r -> system == null || r.code().system().equals(system));
                if (reason.isEmpty()) {
                    throw CdsException.badRequest("`overrideReason.reason` is not one of the card's overrideReasons");
                }
            }
            String userComment = text(override, "userComment");
            comment = userComment == null ? "" : userComment;
            if (comment.length() > FlagActionBuilder.MAX_TEXT) {
                throw CdsException.badRequest("`userComment` is longer than " + FlagActionBuilder.MAX_TEXT
                        + " characters");
            }
        }
        if (reason.orElse(null) == FlagActionReason.OTHER && comment.isBlank()) {
            throw CdsException.badRequest("the reason `other` needs a `userComment`");
        }
        return new Item(card, kind, reason, comment, at);
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value != null && value.isTextual() && !value.asText().isBlank() ? value.asText().trim() : null;
    }
}
