package calciscreen.screening.reviews;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Everything under {@code calciscreen.reviews}: what clinicians may do about a Flag. Unknown keys fail the start.
 *
 * @param maxSnooze              the longest snooze a clinician may ask for (the Flag returns at the latest then)
 * @param overriddenCardQuietFor how long an overridden CDS card stays hidden for the patient while the tier does not
 *                               rise and no new evidence scores; 0 shows it again at the next chart opening
 * @param issuedCardsKept        how many issued CDS cards are remembered for their feedback (tier and evidence)
 * @param issuedCardTtl          how long an issued CDS card's feedback is accepted
 * @param metricsRefresh         how often the metrics re-read the Flags and their Tasks from the FHIR server
 */
@ConfigurationProperties(prefix = "calciscreen.reviews", ignoreUnknownFields = false)
public record ReviewProperties(
        @DefaultValue("30d") Duration maxSnooze,
        @DefaultValue("90d") Duration overriddenCardQuietFor,
        @DefaultValue("10000") int issuedCardsKept,
        @DefaultValue("24h") Duration issuedCardTtl,
        @DefaultValue("5m") Duration metricsRefresh) {
}
