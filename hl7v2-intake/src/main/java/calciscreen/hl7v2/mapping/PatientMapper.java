package calciscreen.hl7v2.mapping;

import ca.uhn.hl7v2.ErrorCode;
import ca.uhn.hl7v2.model.v251.datatype.CX;
import ca.uhn.hl7v2.model.v251.datatype.HD;
import ca.uhn.hl7v2.model.v251.datatype.XPN;
import ca.uhn.hl7v2.model.v251.segment.PID;
import calciscreen.hl7v2.IntakeProperties.Facility;
import calciscreen.model.CanonicalUrls;
import java.time.ZoneId;
import java.util.Locale;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;

/**
 * PID as a FHIR Patient (V2-to-FHIR "PID to Patient"): PID-3 identifiers, PID-5 names, PID-7 birth date, PID-8 sex,
 * PID-29/30 death. The Patient is found again by its matching identifier: the first PID-3 repetition of type
 * {@code MR} (medical record number), else the first one.
 */
public final class PatientMapper {

    /** Patient identifier systems made from an assigning authority: {@code <this>/<authority>}. */
    public static final String PATIENT_IDENTIFIER_BASE = CanonicalUrls.BASE + "/sid/hl7v2-patient";
    static final String V2_0203 = "http://terminology.hl7.org/CodeSystem/v2-0203";

    private PatientMapper() {}

    /** A Patient and the identifier it is matched by. */
    public record MappedPatient(Patient patient, Identifier match) {
        /** {@code system|value}, the key messages for one patient are ordered by. */
        public String key() {
            return match.getSystem() + "|" + match.getValue();
        }
    }

    public static MappedPatient map(PID pid, int occurrence, String facilityName, Facility facility) {
        Patient patient = new Patient();
        Identifier first = null;
        Identifier recordNumber = null;
        for (CX cx : pid.getPatientIdentifierList()) {
            String value = Fields.text(cx.getIDNumber());
            if (value.isEmpty()) {
                continue;
            }
            String type = Fields.text(cx.getIdentifierTypeCode());
            Identifier identifier = patient.addIdentifier()
                    .setSystem(system(cx.getAssigningAuthority(), facilityName, facility)).setValue(value);
            if (!type.isEmpty()) {
                identifier.setType(new CodeableConcept().addCoding(new org.hl7.fhir.r4.model.Coding(V2_0203, type, null)));
            }
            first = first == null ? identifier : first;
            recordNumber = recordNumber == null && "MR".equalsIgnoreCase(type) ? identifier : recordNumber;
        }
        Identifier match = recordNumber != null ? recordNumber : first;
        if (match == null) {
            throw Rejection.at("PID", occurrence, 3, ErrorCode.REQUIRED_FIELD_MISSING,
                    "no patient identifier (PID-3): the patient cannot be identified");
        }
        for (XPN xpn : pid.getPatientName()) {
            HumanName name = new HumanName();
            String family = Fields.text(xpn.getFamilyName().getSurname());
            if (!family.isEmpty()) {
                name.setFamily(family);
            }
            for (String given : new String[] {Fields.text(xpn.getGivenName()),
                    Fields.text(xpn.getSecondAndFurtherGivenNamesOrInitialsThereof())}) {
                if (!given.isEmpty()) {
                    name.addGiven(given);
                }
            }
            if (!Fields.text(xpn.getPrefixEgDR()).isEmpty()) {
                name.addPrefix(Fields.text(xpn.getPrefixEgDR()));
            }
            if (!Fields.text(xpn.getSuffixEgJRorIII()).isEmpty()) {
                name.addSuffix(Fields.text(xpn.getSuffixEgJRorIII()));
            }
            if (!name.isEmpty()) {
                patient.addName(name.setUse(HumanName.NameUse.OFFICIAL));
            }
        }
        ZoneId zone = facility.zone();
        Hl7Time.date(Fields.time(pid.getDateTimeOfBirth()), zone, reason -> Rejection.at("PID", occurrence, 7,
                ErrorCode.DATA_TYPE_ERROR, "birth date: " + reason)).ifPresent(patient::setBirthDateElement);
        String sex = Fields.text(pid.getAdministrativeSex()).toUpperCase(Locale.ROOT);
        if (!sex.isEmpty()) {
            patient.setGender(gender(sex, occurrence));
        }
        Hl7Time.dateTime(Fields.time(pid.getPatientDeathDateAndTime()), zone, reason -> Rejection.at("PID", occurrence,
                29, ErrorCode.DATA_TYPE_ERROR, "death time: " + reason)).ifPresentOrElse(patient::setDeceased, () -> {
                    if ("Y".equalsIgnoreCase(Fields.text(pid.getPatientDeathIndicator()))) {
                        patient.setDeceased(new org.hl7.fhir.r4.model.BooleanType(true));
                    }
                });
        return new MappedPatient(patient, match);
    }

    /** Table 0001 administrative sex (V2-to-FHIR: A ambiguous and O other are "other", N not applicable "unknown"). */
    static AdministrativeGender gender(String sex, int occurrence) {
        return switch (sex) {
            case "F" -> AdministrativeGender.FEMALE;
            case "M" -> AdministrativeGender.MALE;
            case "O", "A" -> AdministrativeGender.OTHER;
            case "U", "N" -> AdministrativeGender.UNKNOWN;
            default -> throw Rejection.at("PID", occurrence, 8, ErrorCode.TABLE_VALUE_NOT_FOUND,
                    "administrative sex '" + sex + "' is not in HL7 table 0001 (F, M, O, U, A, N)");
        };
    }

    /**
     * The identifier system of a PID-3 assigning authority: configured for the facility; else {@code urn:oid:} of
     * an ISO universal id (a URI as it is); else one made from the authority's namespace (the same for every sender,
     * so that the lab's and the registration system's messages find one Patient); an identifier with no authority
     * at all is local to its sender.
     */
    static String system(HD authority, String facilityName, Facility facility) {
        String namespace = Fields.text(authority.getNamespaceID());
        String configured = facility.patientIdentifierSystems().get(namespace);
        if (configured != null) {
            return configured;
        }
        String universal = Fields.text(authority.getUniversalID());
        String universalType = Fields.text(authority.getUniversalIDType()).toUpperCase(Locale.ROOT);
        if (!universal.isEmpty() && universalType.equals("ISO")) {
            return "urn:oid:" + universal;
        }
        if (!universal.isEmpty() && (universalType.equals("URI") || universalType.equals("URL"))) {
            return universal;
        }
        return PATIENT_IDENTIFIER_BASE + "/" + Codings.segment(namespace.isEmpty() ? "local/" + facilityName : namespace)
                .replace("%2F", "/");
    }
}
