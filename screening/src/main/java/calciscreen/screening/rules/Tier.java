package calciscreen.screening.rules;

/** Risk tier of a score (screening-rules.md, "Score"): high >= 8, moderate 5 to 7, low below 5 (no active Flag). */
public enum Tier {
    LOW, MODERATE, HIGH
}
