package calciscreen.screening.flags;

/** What {@link FlagWriter#write} did. */
public enum WriteOutcome {
    /** No Flag exists and none is needed: nothing written. */
    NOT_FLAGGED,
    /** The Flag and RiskAssessment already say what the assessment says: nothing written. */
    UNCHANGED,
    /** The Flag and/or RiskAssessment were created or updated. */
    WRITTEN,
    /**
     * The score or evidence changed within the tier as written: the caller allowed the write to be put off, so
     * nothing was written; the caller must screen the patient again and write then.
     */
    DEFERRED,
    /** Another writer changed them between read and write: read again and re-evaluate. */
    CONFLICT
}
