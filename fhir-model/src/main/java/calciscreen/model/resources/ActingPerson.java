package calciscreen.model.resources;

import java.util.Optional;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;

/**
 * The person (or, for CDS feedback, the EHR client) who acted on a Flag, as Task.requester and Task.owner name them:
 * a literal reference when the sign-in gives one ({@code fhirUser} = {@code Practitioner/7}), else a logical
 * reference by the sign-in's identifier (the issuer as system, the subject as value); the display either way.
 *
 * @param reference        {@code Practitioner/7} (or {@code PractitionerRole/..}, {@code Device/..}); empty when none
 * @param identifierSystem the issuer, e.g. {@code https://idp.example.org}; empty when none
 * @param identifierValue  the subject at that issuer; empty when none
 * @param display          the name to show, e.g. "Dr A. Clinician"
 */
public record ActingPerson(Optional<String> reference, Optional<String> identifierSystem,
                           Optional<String> identifierValue, String display) {

    public ActingPerson {
        reference = reference.map(String::trim).filter(s -> !s.isEmpty());
        identifierSystem = identifierSystem.map(String::trim).filter(s -> !s.isEmpty());
        identifierValue = identifierValue.map(String::trim).filter(s -> !s.isEmpty());
        display = display == null ? "" : display.trim();
        if (reference.isEmpty() && identifierValue.isEmpty()) {
            throw new IllegalArgumentException("a person needs a reference or an identifier");
        }
    }

    /** A person known by a FHIR resource, e.g. {@code fhirUser} {@code Practitioner/7}. */
    public static ActingPerson ofReference(String reference, String display) {
        return new ActingPerson(Optional.ofNullable(reference), Optional.empty(), Optional.empty(), display);
    }

    /** A person known by their sign-in only: issuer and subject. */
    public static ActingPerson ofIdentifier(String system, String value, String display) {
        return new ActingPerson(Optional.empty(), Optional.ofNullable(system), Optional.ofNullable(value), display);
    }

    /** The Reference that Task.requester and Task.owner carry. */
    public Reference toReference() {
        Reference ref = new Reference();
        reference.ifPresent(ref::setReference);
        identifierValue.ifPresent(v -> ref.setIdentifier(new Identifier().setValue(v)
                .setSystem(identifierSystem.orElse(null))));
        if (!display.isEmpty()) {
            ref.setDisplay(display);
        }
        return ref;
    }

    /** The person a Reference names, or empty when it names nobody. */
    public static Optional<ActingPerson> of(Reference ref) {
        if (ref == null || (!ref.hasReference() && !(ref.hasIdentifier() && ref.getIdentifier().hasValue()))) {
            return Optional.empty();
        }
        return Optional.of(new ActingPerson(Optional.ofNullable(ref.getReference()),
                Optional.ofNullable(ref.hasIdentifier() ? ref.getIdentifier().getSystem() : null),
                Optional.ofNullable(ref.hasIdentifier() ? ref.getIdentifier().getValue() : null),
                ref.getDisplay()));
    }

    /** What a page shows: the display, else the reference, else the identifier value. */
    public String shown() {
        return !display.isEmpty() ? display : reference.orElseGet(identifierValue::orElseThrow);
    }
}
