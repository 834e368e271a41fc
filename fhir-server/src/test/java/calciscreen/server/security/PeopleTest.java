package calciscreen.server.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.security.core.userdetails.UsernameNotFoundException;

class PeopleTest {

    static final Map<String, List<String>> ROLES = Map.of("clinician", List.of("user/Task.crs", "user/Flag.rs"),
            "reader", List.of("user/Task.rs", "user/Flag.rs"));

    @TempDir
    Path keyDir;

    static AuthProperties properties(Path keyDir, Map<String, AuthProperties.Person> people, boolean demo) {
        return new AuthProperties(false, "", "", "", Duration.ofMinutes(5), keyDir, Map.of(), "calciscreen-screening",
                people, demo, ROLES, Duration.ofMinutes(15));
    }

    @Test
    void theFirstStartWritesTheDemoUsersWithTheirPasswordsOnceOwnerOnlyAndKeepsOnlyHashes() throws Exception {
        People people = People.load(properties(keyDir, Map.of(), true));

        Path demo = keyDir.resolve(People.DEMO_FILE);
        Path file = keyDir.resolve(People.FILE);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(demo))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        String clinician = password(demo, "clinician");
        String reader = password(demo, "reader");
        assertThat(clinician).isNotEqualTo(reader).hasSizeGreaterThanOrEqualTo(20);
        String stored = Files.readString(file);
        assertThat(stored).contains("{bcrypt}").doesNotContain(clinician).doesNotContain(reader);
        assertThat(people.encoder().matches(clinician, people.details("clinician").getPassword())).isTrue();
        assertThat(people.encoder().matches(reader, people.details("clinician").getPassword())).isFalse();

        Files.delete(demo);
        People again = People.load(properties(keyDir, Map.of(), true));
        assertThat(demo).as("not written again: the users exist").doesNotExist();
        assertThat(again.encoder().matches(clinician, again.details("clinician").getPassword())).isTrue();
    }

    @Test
    void withoutDemoPeopleNoFileIsWrittenAndOnlyConfiguredPeopleSignIn() {
        People people = People.load(properties(keyDir, Map.of("dr-who", new AuthProperties.Person("Dr Who",
                "{bcrypt}$2a$10$abcdefghijklmnopqrstuuKx1OByB0K0W2c6z0ouE5bcvN3Fd0Hm6", List.of("clinician"),
                "Practitioner/7")), false));

        assertThat(keyDir.resolve(People.FILE)).doesNotExist();
        assertThat(people.identity("dr-who")).isEqualTo(new ClientIdentity.Person("dr-who", "Dr Who", "Practitioner/7"));
        assertThatThrownBy(() -> people.details("clinician")).isInstanceOf(UsernameNotFoundException.class);
        assertThat(people.identity("clinician")).isNull();
    }

    @Test
    void aPasswordThatIsNotAHashOrAnUndeclaredRoleStopsTheStart() {
        assertThatThrownBy(() -> People.load(properties(keyDir, Map.of("x", new AuthProperties.Person("X",
                "secret", List.of("clinician"), "")), false)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("must be a hash");
        assertThatThrownBy(() -> People.load(properties(keyDir, Map.of("x", new AuthProperties.Person("X",
                "{bcrypt}$2a$10$abcdefghijklmnopqrstuuKx1OByB0K0W2c6z0ouE5bcvN3Fd0Hm6", List.of("admin"), "")), false)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("role admin");
        assertThatThrownBy(() -> People.load(properties(keyDir, Map.of("x", new AuthProperties.Person("X",
                "{argon2}$argon2id$v=19$m=16384,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA", List.of("reader"), "")),
                false)))
                .as("not a hash this server could ever check").isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("BouncyCastle");
    }

    @Test
    void aRoleAllowsItsScopesAndAllRolesTogetherWhatASignInClientMayAskFor() {
        People people = People.load(properties(keyDir, Map.of(), false));
        assertThat(people.scopesOf(List.of("reader"))).containsExactlyInAnyOrder("user/Task.rs", "user/Flag.rs");
        assertThat(people.scopesOfAllRoles()).containsExactlyInAnyOrder("user/Task.crs", "user/Task.rs", "user/Flag.rs");
    }

    private static String password(Path demo, String username) throws Exception {
        Matcher line = Pattern.compile("username: " + username + " +password: (\\S+)").matcher(Files.readString(demo));
        assertThat(line.find()).isTrue();
        return line.group(1);
    }
}
