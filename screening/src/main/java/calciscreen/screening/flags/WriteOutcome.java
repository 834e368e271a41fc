package calciscreen.screening.flags;

/** What {@link FlagWriter#write} did. */
public enum WriteOutcome {
    /** No Flag exists and none is needed: nothing written. */
    NOT_FLAGGED,
    /** The Flag and RiskAssessment already say what the assessment says: nothing written. */
    UNCHANGED,
    /** The Flag and/or RiskAssessment were created or updated. */
    WRITTEN,
    /** Another writer changed them between read and write: read again and re-evaluate. */
    CONFLICT
}
