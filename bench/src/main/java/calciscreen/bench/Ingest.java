package calciscreen.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Posts Synthea's transaction Bundles to the server as a client would, and times it. */
public final class Ingest {

    private static final Logger log = LoggerFactory.getLogger(Ingest.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A Bundle file and how many resources it carries (counted before the clock starts). */
    public record BundleFile(Path path, int resources) {}

    /** A Bundle the server did not take: its file, the HTTP status and the start of the answer. */
    public record Refused(String file, int status, String answer) {}

    /**
     * @param bundles    the Bundles posted, refused ones included
     * @param resources  the resources of the Bundles the server took
     * @param patientIds the server ids of the Patients created
     * @param refused    the Bundles answered with a 4xx (413: over the request-size limit), not retried
     */
    public record Result(int bundles, long resources, int patients, double seconds, List<String> patientIds,
                         List<Refused> refused) {
        public double resourcesPerSecond() {
            return resources / seconds;
        }

        public double patientsPerSecond() {
            return patients / seconds;
        }
    }

    private final FhirHttp fhir;

    public Ingest(FhirHttp fhir) {
        this.fhir = fhir;
    }

    public static List<BundleFile> describe(List<Path> files) {
        List<BundleFile> out = new ArrayList<>();
        for (Path file : files) {
            out.add(new BundleFile(file, countEntries(file)));
        }
        return out;
    }

    /** Posts each Bundle in order, one at a time (hospitals and practitioners: the patients refer to them). */
    public Result sequential(List<BundleFile> bundles) {
        return post(bundles, 1);
    }

    /** Posts the Bundles with {@code threads} at once; the wall time from first post to last answer. */
    public Result post(List<BundleFile> bundles, int threads) {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<String> patientIds = Collections.synchronizedList(new ArrayList<>());
        List<Refused> refused = Collections.synchronizedList(new ArrayList<>());
        AtomicLong resources = new AtomicLong();
        long started = System.nanoTime();
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (BundleFile bundle : bundles) {
                futures.add(pool.submit(() -> {
                    List<String> created = postOne(bundle, refused);
                    if (created != null) {
                        patientIds.addAll(created);
                        resources.addAndGet(bundle.resources());
                    }
                }));
            }
            for (Future<?> future : futures) {
                future.get();
            }
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("ingest failed: " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            pool.shutdownNow();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        return new Result(bundles.size(), resources.get(), patientIds.size(), seconds, List.copyOf(patientIds),
                List.copyOf(refused));
    }

    /** The ids of the Patients the transaction created; null when the server refused it with a 4xx. */
    private List<String> postOne(BundleFile bundle, List<Refused> refused) {
        long started = System.nanoTime();
        HttpResponse<String> response;
        try {
            response = fhir.send(fhir.request("").header("Content-Type", "application/fhir+json")
                    .header("Accept", "application/fhir+json")
                    .POST(HttpRequest.BodyPublishers.ofFile(bundle.path())).build());
        } catch (java.io.FileNotFoundException e) {
            throw new UncheckedIOException(e);
        }
        if (response.statusCode() >= 400 && response.statusCode() < 500) {
            // a refusal is the server's answer to this Bundle (413: over its request-size limit): counted, the rest go on
            long bytes = bundle.path().toFile().length();
            log.warn("event=bundle_refused file={} bytes={} status={} answer={}", bundle.path().getFileName(), bytes,
                    response.statusCode(), abbreviate(response.body()).replaceAll("[\\r\\n]+", " "));
            refused.add(new Refused(bundle.path().getFileName().toString(), response.statusCode(),
                    abbreviate(response.body())));
            return null;
        }
        if (response.statusCode() != 200) {
            throw new IllegalStateException("transaction " + bundle.path().getFileName() + " answered "
                    + response.statusCode() + ": " + abbreviate(response.body()));
        }
        List<String> patients = new ArrayList<>();
        try {
            for (JsonNode entry : JSON.readTree(response.body()).path("entry")) {
                String location = entry.path("response").path("location").asText("");
                if (location.startsWith("Patient/")) {
                    patients.add(location.split("/")[1]);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        log.info("event=bundle_posted resources={} patients={} took_ms={}", bundle.resources(), patients.size(),
                (System.nanoTime() - started) / 1_000_000);
        return patients;
    }

    static int countEntries(Path file) {
        try (JsonParser parser = new JsonFactory().createParser(Files.newInputStream(file))) {
            int depth = 0;
            int count = 0;
            boolean inEntry = false;
            int entryDepth = -1;
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                if (token == JsonToken.FIELD_NAME && depth == 1 && "entry".equals(parser.currentName())) {
                    inEntry = true;
                    entryDepth = depth;
                } else if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
                    if (inEntry && token == JsonToken.START_OBJECT && depth == entryDepth + 1) {
                        count++;
                    }
                    depth++;
                } else if (token == JsonToken.END_OBJECT || token == JsonToken.END_ARRAY) {
                    depth--;
                    if (inEntry && depth == entryDepth) {
                        inEntry = false;
                    }
                }
            }
            return count;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String abbreviate(String body) {
        return body.length() > 800 ? body.substring(0, 800) + "..." : body;
    }
}
