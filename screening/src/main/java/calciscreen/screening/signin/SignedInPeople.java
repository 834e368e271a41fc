package calciscreen.screening.signin;

import calciscreen.model.resources.ActingPerson;
import calciscreen.screening.reviews.SignedInSeam;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Optional;
import java.util.regex.Pattern;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClient;
import org.springframework.security.oauth2.client.authentication.OAuth2AuthenticationToken;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizedClientRepository;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;

/**
 * The signed-in person of a request, as the OpenID Connect sign-in left them in the session: who they are (their
 * {@code fhirUser} when the issuer gives one, else issuer and subject), what their roles allow, and a FHIR client
 * with their own access token.
 */
public final class SignedInPeople implements SignedInSeam {

    /** fhirUser as a relative or absolute reference to a person resource. */
    private static final Pattern FHIR_USER = Pattern.compile(
            "(?:https?://\\S+/)?(Practitioner|PractitionerRole|Person|Patient|RelatedPerson)/[A-Za-z0-9\\-.]{1,64}");

    private final SignInProperties properties;
    private final OAuth2AuthorizedClientRepository authorizedClients;
    private final PersonFhirClients clients;

    public SignedInPeople(SignInProperties properties, OAuth2AuthorizedClientRepository authorizedClients,
                          PersonFhirClients clients) {
        this.properties = properties;
        this.authorizedClients = authorizedClients;
        this.clients = clients;
    }

    /** Who signed in, as the issuer names them (null claims tolerated): the user of every audit record. */
    public record Person(String issuer, String subject, String name, Optional<String> fhirUser, String clientId) {

        public ActingPerson acting() {
            return fhirUser.map(ref -> ActingPerson.ofReference(ref, name))
                    .orElseGet(() -> ActingPerson.ofIdentifier(issuer + "/people", subject, name));
        }
    }

    @Override
    public Optional<ActingPerson> person(HttpServletRequest request) {
        return signedIn().map(Person::acting);
    }

    /** The signed-in person of the current request, if any. */
    public Optional<Person> signedIn() {
        if (!(SecurityContextHolder.getContext().getAuthentication() instanceof OAuth2AuthenticationToken token)
                || !(token.getPrincipal() instanceof OidcUser user) || user.getSubject() == null) {
            return Optional.empty();
        }
        String name = Optional.ofNullable(user.getFullName()).or(() -> Optional.ofNullable(user.getPreferredUsername()))
                .orElse(user.getSubject());
        Optional<String> fhirUser = Optional.ofNullable(user.getClaimAsString("fhirUser"))
                .filter(ref -> FHIR_USER.matcher(ref).matches());
        return Optional.of(new Person(properties.issuerUri(), user.getSubject(), name, fhirUser, properties.clientId()));
    }

    @Override
    public boolean mayAct(HttpServletRequest request) {
        return hasRole(properties.actRole());
    }

    /** Whether the person may open the view of a patient without a calciphylaxis-risk Flag. */
    public boolean mayOpenAnyPatient() {
        return !properties.anyPatientRole().isBlank() && hasRole(properties.anyPatientRole());
    }

    @Override
    public IGenericClient fhir(HttpServletRequest request, HttpServletResponse response) {
        return clients.as(accessToken(request).orElseThrow(() -> new IllegalStateException("nobody is signed in")));
    }

    /** The person's access token, while they are signed in. */
    Optional<String> accessToken(HttpServletRequest request) {
        return authorizedClient(request).map(c -> c.getAccessToken().getTokenValue());
    }

    /** When the person's access token expires. */
    Optional<java.time.Instant> tokenExpiresAt(HttpServletRequest request) {
        return authorizedClient(request).map(c -> c.getAccessToken().getExpiresAt());
    }

    private Optional<OAuth2AuthorizedClient> authorizedClient(HttpServletRequest request) {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (!(authentication instanceof OAuth2AuthenticationToken token)) {
            return Optional.empty();
        }
        return Optional.ofNullable(authorizedClients.loadAuthorizedClient(token.getAuthorizedClientRegistrationId(),
                authentication, request));
    }

    private static boolean hasRole(String role) {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        return authentication != null && authentication.getAuthorities().stream()
                .anyMatch(a -> (Roles.PREFIX + role).equals(a.getAuthority()));
    }
}
