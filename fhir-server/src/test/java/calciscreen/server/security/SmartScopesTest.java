package calciscreen.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import calciscreen.server.security.SmartScopes.Interaction;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SmartScopesTest {

    @ParameterizedTest(name = "{0} -> {1} {2}")
    @CsvSource(delimiter = ';', value = {
            "system/Observation.cruds; Observation; CREATE READ UPDATE DELETE SEARCH",
            "system/Observation.c; Observation; CREATE",
            "system/Flag.rs; Flag; READ SEARCH",
            "system/*.rs; *; READ SEARCH",
            "system/Patient.cu; Patient; CREATE UPDATE",
            "system/Observation.read; Observation; READ SEARCH",
            "system/Observation.write; Observation; CREATE UPDATE DELETE",
            "system/Observation.*; Observation; CREATE READ UPDATE DELETE SEARCH",
            "user/Task.crs; Task; CREATE READ SEARCH",
            "user/Patient.rs; Patient; READ SEARCH",
            "user/*.cruds; *; CREATE READ UPDATE DELETE SEARCH"})
    void grantsWhatTheScopeSpellsForSystemAndUserScopesAlike(String scope, String type, String interactions) {
        EnumSet<Interaction> expected = EnumSet.noneOf(Interaction.class);
        for (String interaction : interactions.split(" ")) {
            expected.add(Interaction.valueOf(interaction));
        }
        assertThat(SmartScopes.parse(List.of(scope)).byType()).containsOnlyKeys(type);
        assertThat(SmartScopes.parse(List.of(scope)).byType().get(type)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} grants nothing")
    @CsvSource({"patient/Observation.rs", "user/Task.rsc", "users/Task.rs", "system/Observation.",
            "system/Observation.sr", "system/Observation.x", "openid", "fhirUser", "launch/patient",
            "system/observation-lab.rs"})
    void grantsNothingForScopesThatAreNotSystemOrUserScopesOrAreMisspelled(String scope) {
        assertThat(SmartScopes.parse(List.of(scope)).isEmpty()).isTrue();
    }

    @ParameterizedTest(name = "{1} within {0}: {2}")
    @CsvSource(delimiter = ';', value = {
            "system/Observation.cruds; system/Observation.c; true",
            "system/Observation.cruds; system/Observation.rs; true",
            "system/Observation.c; system/Observation.cr; false",
            "system/*.rs; system/Flag.rs; true",
            "system/*.rs; system/Flag.c; false",
            "system/Flag.rs; system/*.rs; false",
            "system/Observation.cruds; system/Observation.read; true",
            "system/Observation.cruds; patient/Observation.r; false",
            "user/Task.crs; user/Task.rs; true",
            "user/Task.rs; user/Task.crs; false"})
    void coversNarrowerScopes(String registered, String asked, boolean covered) {
        assertThat(SmartScopes.parse(List.of(registered)).covers(asked)).isEqualTo(covered);
    }

    @ParameterizedTest(name = "{0}: everything = {1}")
    @CsvSource(delimiter = ';', value = {"system/*.cruds; true", "system/*.*; true", "system/*.rs; false",
            "system/Observation.cruds; false"})
    void onlyTheWildcardWithEveryInteractionGrantsEverything(String scope, boolean everything) {
        assertThat(SmartScopes.parse(List.of(scope)).grantsEverything()).isEqualTo(everything);
    }
}
