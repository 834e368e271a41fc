package calciscreen.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IngestTest {

    @TempDir
    Path dir;

    @Test
    void countsTheEntriesOfATransactionBundleNotTheObjectsInsideThem() throws Exception {
        Path bundle = dir.resolve("b.json");
        Files.writeString(bundle, """
                {"resourceType":"Bundle","type":"transaction","meta":{"tag":[{"code":"x"}]},"entry":[
                  {"fullUrl":"urn:uuid:1","resource":{"resourceType":"Patient","name":[{"given":["A"]}]},
                   "request":{"method":"POST","url":"Patient"}},
                  {"fullUrl":"urn:uuid:2","resource":{"resourceType":"Observation","code":{"coding":[{"code":"1"}]},
                   "component":[{"code":{}},{"code":{}}]},"request":{"method":"POST","url":"Observation"}},
                  {"resource":{"resourceType":"Condition","entry":[{"nested":"not an entry of the Bundle"}]}}
                ],"link":[{"relation":"self"}]}
                """);
        assertThat(Ingest.countEntries(bundle)).isEqualTo(3);
    }

    @Test
    void aBundleWithoutEntriesHasNone() throws Exception {
        Path bundle = dir.resolve("empty.json");
        Files.writeString(bundle, "{\"resourceType\":\"Bundle\",\"type\":\"transaction\"}");
        assertThat(Ingest.countEntries(bundle)).isZero();
    }
}
