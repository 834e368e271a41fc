package calciscreen.model.terminology;

import java.util.Objects;
import org.hl7.fhir.r4.model.Coding;

/**
 * One code of one code system, with the display we write when we emit it.
 * Matching ignores the display: a coding matches when its system names the same code system
 * ({@link CodeSystems#same}) and its code is equal (ICD-10-CM: with or without the dot, see {@link Icd10Cm}).
 */
public record Code(String system, String code, String display) {

    public Code {
        Objects.requireNonNull(system, "system");
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(display, "display");
    }

    public boolean matches(Coding coding) {
        return coding != null && matches(coding.getSystem(), coding.getCode());
    }

    public boolean matches(String otherSystem, String otherCode) {
        if (otherCode == null || !CodeSystems.same(system, otherSystem)) {
            return false;
        }
        if (CodeSystems.ICD_10_CM.equals(system)) {
            return Icd10Cm.normalise(code).equals(Icd10Cm.normalise(otherCode));
        }
        return code.equals(otherCode.trim());
    }

    /** A HAPI Coding carrying this code, its system and its display. */
    public Coding toCoding() {
        return new Coding(system, code, display);
    }
}
