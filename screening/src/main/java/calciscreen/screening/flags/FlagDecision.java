package calciscreen.screening.flags;

import calciscreen.model.resources.AssessmentState;
import calciscreen.model.resources.FlagBuilder;
import calciscreen.model.resources.FlagState;
import calciscreen.model.resources.RiskAssessmentBuilder;
import calciscreen.model.resources.RiskTier;
import calciscreen.screening.rules.Assessment;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.r4.model.Flag;
import org.hl7.fhir.r4.model.RiskAssessment;

/**
 * What a patient's Flag and RiskAssessment need, decided from the latest assessment and what the server holds: no
 * I/O. {@link FlagWriter} carries it out.
 *
 * @param kind              nothing to write (and why), or write
 * @param riskAssessment    whether the RiskAssessment must be written (WRITE only)
 * @param flag              whether the Flag must be written (WRITE only)
 */
record FlagDecision(Kind kind, boolean riskAssessment, boolean flag) {

    enum Kind {
        /** No Flag exists and none is needed. */
        NOT_FLAGGED,
        /** The Flag and RiskAssessment already say what the assessment says. */
        UNCHANGED,
        /** A new score or new evidence within the tier as written, and the caller allowed putting it off. */
        DEFERRED,
        /** Write the RiskAssessment and/or the Flag. */
        WRITE
    }

    private static final FlagDecision NOT_FLAGGED = new FlagDecision(Kind.NOT_FLAGGED, false, false);
    private static final FlagDecision UNCHANGED = new FlagDecision(Kind.UNCHANGED, false, false);
    private static final FlagDecision DEFERRED = new FlagDecision(Kind.DEFERRED, false, false);

    /**
     * Writes only when the tier, score, evidence or rule set changed. With {@code mayDefer}, a change that leaves the
     * tier, the Flag's status and priority and the rule set as written (a new score or new evidence within the tier)
     * is {@link Kind#DEFERRED}, so that the results of one panel, arriving one by one, make one new version. A change
     * of tier is always written at once.
     */
    static FlagDecision decide(Assessment assessment, Optional<RiskAssessment> writtenAssessment,
                               Optional<Flag> writtenFlag, boolean mayDefer) {
        boolean active = assessment.flagActive();
        if (writtenFlag.isEmpty() && !active) {
            return NOT_FLAGGED;
        }
        RiskTier tier = assessment.tier();
        Set<String> evidence = assessment.evidenceResourceIds();
        AssessmentState wantedAssessment = AssessmentState.of(tier, assessment.score(), evidence,
                assessment.rulesCanonical());
        FlagState wantedFlag = FlagState.of(active ? tier : null, evidence);
        Optional<AssessmentState> assessmentState = writtenAssessment.map(RiskAssessmentBuilder::semanticState);
        Optional<FlagState> flagState = writtenFlag.map(FlagBuilder::semanticState);
        boolean assessmentChanged = assessmentState.map(state -> !state.equals(wantedAssessment)).orElse(true);
        boolean flagChanged = flagState.map(state -> !state.equals(wantedFlag)).orElse(true);
        if (!assessmentChanged && !flagChanged) {
            return UNCHANGED;
        }
        if (mayDefer && assessmentState.isPresent() && flagState.isPresent()
                && tierStays(assessmentState.get(), flagState.get(), wantedAssessment, wantedFlag)) {
            return DEFERRED;
        }
        return new FlagDecision(Kind.WRITE, assessmentChanged, flagChanged);
    }

    /** True when the wanted RiskAssessment and Flag keep the written ones' tier, status, priority and rule set. */
    private static boolean tierStays(AssessmentState assessment, FlagState flag, AssessmentState wantedAssessment,
                                     FlagState wantedFlag) {
        return assessment.tier().equals(wantedAssessment.tier())
                && assessment.ruleSet().equals(wantedAssessment.ruleSet())
                && flag.status() == wantedFlag.status() && flag.priorityCode().equals(wantedFlag.priorityCode());
    }

    /** The Flag's period start: an active Flag's continues; a new or raised Flag starts at the evaluation. */
    static Instant periodStart(Assessment assessment, Optional<Flag> existingFlag) {
        return existingFlag.filter(f -> f.getStatus() == Flag.FlagStatus.ACTIVE)
                .flatMap(FlagBuilder::periodStartOf)
                .orElseGet(() -> assessment.flagActive() ? assessment.evaluatedAt()
                        : existingFlag.flatMap(FlagBuilder::periodStartOf).orElse(assessment.evaluatedAt()));
    }

    /**
     * The Flag's period end: none while active; an inactive Flag keeps the end it got when it was lowered, never
     * before its start (clock skew).
     */
    static Optional<Instant> periodEnd(Assessment assessment, Optional<Flag> existingFlag, Instant start) {
        if (assessment.flagActive()) {
            return Optional.empty();
        }
        Instant end = existingFlag.filter(f -> f.getStatus() != Flag.FlagStatus.ACTIVE && f.getPeriod().hasEnd())
                .map(f -> f.getPeriod().getEnd().toInstant()).orElse(assessment.evaluatedAt());
        return Optional.of(end.isBefore(start) ? start : end);
    }
}
