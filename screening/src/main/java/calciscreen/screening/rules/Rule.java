package calciscreen.screening.rules;

/** One rule of the rule set: a pure function of the prepared patient, the evaluation time and the configuration. */
@FunctionalInterface
interface Rule {

    RuleResult apply(Evaluation evaluation);
}
