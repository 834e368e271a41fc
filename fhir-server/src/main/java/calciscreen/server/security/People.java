package calciscreen.server.security;

import calciscreen.server.security.AuthProperties.Person;
import calciscreen.smart.OwnerOnlyFile;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * The people who sign in at the embedded authorization server: those declared under {@code calciscreen.auth.people}
 * and those in {@code key-dir/people.json}. The file is written on the first start with two demo users
 * ({@code clinician}, {@code reader}) and random passwords; the passwords are shown once, in
 * {@code key-dir/demo-people.txt} (owner-only, which {@code ./calciscreen up} prints and deletes); only their hashes
 * are kept. Passwords are checked with Spring's delegating encoder: {@code {bcrypt}} hashes ({@code {argon2}} and
 * {@code {scrypt}} would need BouncyCastle, which the server does not ship: such a hash stops the start).
 */
public final class People {

    private static final Logger log = LoggerFactory.getLogger(People.class);
    public static final String FILE = "people.json";
    public static final String DEMO_FILE = "demo-people.txt";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final PasswordEncoder encoder = PasswordEncoderFactories.createDelegatingPasswordEncoder();
    private final Map<String, Person> byUsername;
    private final Map<String, List<String>> scopesByRole;

    private People(Map<String, Person> byUsername, Map<String, List<String>> scopesByRole) {
        this.byUsername = Map.copyOf(byUsername);
        this.scopesByRole = scopesByRole;
    }

    /** The people of the configuration and of {@code people.json} (written first, with the demo users, if asked). */
    public static People load(AuthProperties properties) {
        Path file = properties.keyDir().resolve(FILE);
        People people = new People(Map.of(), properties.roles());
        if (!Files.exists(file) && properties.demoPeople()) {
            people.writeDemoPeople(file, properties.keyDir().resolve(DEMO_FILE));
        }
        Map<String, Person> all = new LinkedHashMap<>(Files.exists(file) ? read(file) : Map.of());
        properties.people().forEach((username, person) -> {
            if (all.put(username, person) != null) {
                log.warn("event=person_configured_twice username={} used=configuration ignored={}", username, file);
            }
        });
        all.forEach((username, person) -> check(username, person, properties.roles().keySet()));
        log.info("event=people_ready count={} file={}", all.size(), file);
        return new People(all, properties.roles());
    }

    private static void check(String username, Person person, Set<String> roles) {
        if (person.password() == null || !person.password().matches("\\{[a-z0-9]+}.+")) {
            throw new IllegalStateException("person " + username + ": the password must be a hash with its encoder's "
                    + "prefix ({bcrypt}...), never the password itself");
        }
        if (person.password().startsWith("{argon2}") || person.password().startsWith("{scrypt}")) {
            try {
                Class.forName("org.bouncycastle.crypto.params.Argon2Parameters");
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException("person " + username + ": {argon2} and {scrypt} hashes need "
                        + "BouncyCastle, which this server does not ship; use {bcrypt}");
            }
        }
        for (String role : person.roles()) {
            if (!roles.contains(role)) {
                throw new IllegalStateException("person " + username + ": role " + role
                        + " is not declared under calciscreen.auth.roles " + roles);
            }
        }
    }

    private static Map<String, Person> read(Path file) {
        try {
            return JSON.readValue(file.toFile(), new TypeReference<Map<String, Person>>() {});
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the people file " + file, e);
        }
    }

    private void writeDemoPeople(Path file, Path demoFile) {
        String clinician = randomPassword();
        String reader = randomPassword();
        Map<String, Person> demo = new LinkedHashMap<>();
        demo.put("clinician", new Person("Demo Clinician", encoder.encode(clinician), List.of("clinician"), ""));
        demo.put("reader", new Person("Demo Reader", encoder.encode(reader), List.of("reader"), ""));
        try {
            // the passwords first: should writing people.json fail, the next start makes both again
            OwnerOnlyFile.write(demoFile, "Demo users of the embedded sign-in (shown once; only their hashes are kept"
                    + " in " + file + "):\n"
                    + "  username: clinician  password: " + clinician + "  (role clinician: reads, records reviews)\n"
                    + "  username: reader     password: " + reader + "  (role reader: reads only)\n");
            OwnerOnlyFile.write(file, JSON.writeValueAsString(demo));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the demo people to " + file, e);
        }
        log.info("event=demo_people_created file={} passwords_in={}", file, demoFile);
    }

    private static String randomPassword() {
        byte[] bytes = new byte[18];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** For Spring Security's form login: the person, as a principal that carries their name, roles and fhirUser. */
    public UserDetails details(String username) {
        Person person = byUsername.get(username);
        if (person == null) {
            throw new UsernameNotFoundException("no such person");
        }
        return new SignedInPerson(username, person);
    }

    /** Checks passwords against the stored hashes, whichever encoder made them. */
    PasswordEncoder encoder() {
        return encoder;
    }

    /** The person with this username as the audit trail names them, or null for a username nobody has. */
    ClientIdentity.Person identity(String username) {
        Person person = byUsername.get(username);
        return person == null ? null : new SignedInPerson(username, person).identity();
    }

    /** What any of {@code roles} allows: the user/ scopes a person with these roles may be granted. */
    Set<String> scopesOf(Collection<String> roles) {
        Set<String> scopes = new TreeSet<>();
        roles.forEach(role -> scopes.addAll(scopesByRole.getOrDefault(role, List.of())));
        return scopes;
    }

    /** Every scope some role allows: what a sign-in client may ask for beyond its own scopes. */
    Set<String> scopesOfAllRoles() {
        return scopesOf(scopesByRole.keySet());
    }

    /** A signed-in person: Spring's user with the display name, roles and FHIR identity of the token claims. */
    static final class SignedInPerson extends User {

        private static final long serialVersionUID = 1L;
        private final String name;
        private final List<String> roles;
        private final String fhirUser;

        SignedInPerson(String username, Person person) {
            super(username, person.password(), person.roles().stream().map(role -> new SimpleGrantedAuthority("ROLE_" + role)).toList());
            this.name = person.name() == null || person.name().isBlank() ? username : person.name();
            this.roles = List.copyOf(person.roles());
            this.fhirUser = person.fhirUser() == null ? "" : person.fhirUser();
        }

        String name() {
            return name;
        }

        List<String> roles() {
            return roles;
        }

        String fhirUser() {
            return fhirUser;
        }

        ClientIdentity.Person identity() {
            return new ClientIdentity.Person(getUsername(), name, fhirUser);
        }
    }
}
