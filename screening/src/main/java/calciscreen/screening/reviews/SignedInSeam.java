package calciscreen.screening.reviews;

import calciscreen.model.resources.ActingPerson;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Optional;

/**
 * The one place the flag actions meet the sign-in: who is signed in, whether they may act on Flags, and a FHIR client
 * that carries their token. Everything else in this package codes against this interface.
 */
public interface SignedInSeam {

    /** The signed-in person, or empty when nobody is (the endpoints answer 401). */
    Optional<ActingPerson> person(HttpServletRequest request);

    /** Whether the signed-in person's role lets them review, snooze and dismiss (else 403; reading stays allowed). */
    boolean mayAct(HttpServletRequest request);

    /** A FHIR client that reads and writes as the signed-in person. */
    IGenericClient fhir(HttpServletRequest request, HttpServletResponse response);
}
