package calciscreen.hl7v2.mapping;

import ca.uhn.hl7v2.model.v251.message.ADT_A01;
import calciscreen.hl7v2.IntakeProperties.Facility;

/**
 * ADT^A01 (admit), A04 (register) and A08 (update patient information) as a create-or-update of the Patient found by
 * its PID-3 identifier: the registration system is the source of demographics, so what it sends replaces the
 * Patient's (a change of sex in an A08 reaches the screening's R8). Results (ORU) only create a Patient that does not
 * exist yet and never change one.
 */
public final class AdtMapper {

    private AdtMapper() {}

    public static void map(ADT_A01 message, MessageFacts facts, Facility facility, Transaction.Builder tx) {
        PatientMapper.MappedPatient patient = PatientMapper.map(message.getPID(), 1, facts.facility(), facility);
        patient.patient().setActive(true);
        tx.patient(patient.key());
        tx.createOrUpdate(patient.patient(), patient.match());
    }
}
