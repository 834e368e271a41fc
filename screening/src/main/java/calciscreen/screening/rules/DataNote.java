package calciscreen.screening.rules;

/** A data-quality note for the RiskAssessment: which resource was skipped or questioned, and why. */
public record DataNote(String source, String message) {

    @Override
    public String toString() {
        return source + ": " + message;
    }
}
