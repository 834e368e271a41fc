package calciscreen.screening.worklist;

import java.util.List;

/**
 * One active calciphylaxis-risk Flag as the worklist shows it. Every text here is data: the page writes it with
 * {@code textContent}, never as markup.
 *
 * @param flagId      the Flag's logical id
 * @param patientId   the Patient's logical id
 * @param patientUrl  the Patient on the FHIR server
 * @param name        the patient's name as recorded ("" when none)
 * @param age         years, or null when no birth date
 * @param sex         Patient.gender ("unknown" when absent)
 * @param tier        high or moderate
 * @param score       the score of the RiskAssessment, or null when there is none yet
 * @param raised      Flag.period.start (ISO instant), or null
 * @param activeDays  whole days since raised
 * @param rules       the rules that fired
 */
public record WorklistRow(String flagId, String patientId, String patientUrl, String name, Integer age, String sex,
                          String tier, Integer score, String raised, Long activeDays, List<FiredRule> rules) {

    /**
     * @param id     R1..R12
     * @param title  the rule's name
     * @param points points awarded
     * @param text   what fired, with the value and unit ("intact PTH 700 pg/mL > 585 pg/mL")
     * @param date   the date of the lab value it rests on (ISO date), or null
     */
    public record FiredRule(String id, String title, int points, String text, String date) {}
}
