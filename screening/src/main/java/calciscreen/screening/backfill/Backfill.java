package calciscreen.screening.backfill;

import calciscreen.screening.context.PatientRecordCache;
import calciscreen.screening.context.PatientRecordLoader;
import calciscreen.screening.intake.DurableInstant;
import calciscreen.screening.intake.PatientQueue;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Patient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-screens every patient on the server (or one): pages through {@code Patient} in {@code _lastUpdated} order
 * and queues each. The position is kept in the state directory after every page, so a backfill interrupted by a
 * restart resumes where it stopped; progress is logged and reported (patients queued / total).
 *
 * <p>The records are read ahead in chunks of {@link #CHUNK} patients ({@link #READERS} chunks at a time), each search
 * asked once for the whole chunk ({@link PatientRecordLoader#loadAll}), and handed to the workers through the record
 * cache: a search's fixed cost on the server is paid once per chunk instead of once per patient. A notification that
 * arrives between the read and the screening makes the cache refuse the read ({@link PatientRecordCache#generation}),
 * and the worker then reads that patient alone, as it does whenever the cache is off.
 */
public class Backfill implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Backfill.class);
    private static final int PAGE_SIZE = 500;
    /** Patients read in one batch. */
    static final int CHUNK = 10;
    /**
     * Chunks read at once: the server answers a batch on one thread, so one chunk at a time would leave the other
     * cores idle.
     */
    static final int READERS = 3;

    public record Progress(String status, int queued, int total, Optional<Instant> cursor, int queueDepth) {}

    private final IGenericClient client;
    private final PatientQueue queue;
    private final PatientRecordLoader loader;
    private final PatientRecordCache records;
    private final Duration lookback;
    private final Clock clock;
    private final DurableInstant cursor;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "screening-backfill");
        t.setDaemon(true);
        return t;
    });
    private final ExecutorService readers = Executors.newFixedThreadPool(READERS, r -> {
        Thread t = new Thread(r, "screening-backfill-read");
        t.setDaemon(true);
        return t;
    });
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicInteger total = new AtomicInteger();
    private final AtomicReference<String> status = new AtomicReference<>("idle");

    public Backfill(IGenericClient client, PatientQueue queue, PatientRecordCache records, Duration lookback,
                    Clock clock, Path stateDir) {
        this.client = client;
        this.queue = queue;
        this.loader = new PatientRecordLoader(client);
        this.records = records;
        this.lookback = lookback;
        this.clock = clock;
        this.cursor = new DurableInstant(stateDir.resolve("backfill-cursor"));
    }

    /** Resumes an interrupted backfill, if one was running when the service stopped. */
    public void resumeIfInterrupted() {
        if (readCursor().isPresent()) {
            log.info("event=backfill_resume cursor={}", readCursor().get());
            start(false);
        }
    }

    /** Starts (or, with {@code restart}, starts over) a backfill of every patient; false if one is running. */
    public boolean start(boolean restart) {
        if (!running.compareAndSet(false, true)) {
            return false;
        }
        if (restart) {
            deleteCursor();
        }
        queued.set(0);
        status.set("running");
        executor.execute(this::runAll);
        return true;
    }

    public boolean screenOne(String patientId) {
        return queue.offer(patientId);
    }

    public Progress progress() {
        return new Progress(status.get(), queued.get(), total.get(), readCursor(), queue.depth());
    }

    private void runAll() {
        try {
            Optional<Instant> cursor = readCursor();
            Bundle page = cursor
                    .map(from -> client.search().forResource(Patient.class)
                            .where(new ca.uhn.fhir.rest.gclient.DateClientParam("_lastUpdated").afterOrEquals()
                                    .millis(Date.from(from))))
                    .orElseGet(() -> client.search().forResource(Patient.class))
                    .sort().ascending("_lastUpdated")
                    .elementsSubset("id")
                    .count(PAGE_SIZE)
                    .totalMode(ca.uhn.fhir.rest.api.SearchTotalModeEnum.ACCURATE)
                    .returnBundle(Bundle.class)
                    .execute();
            total.set(page.getTotal());
            log.info("event=backfill_started total={} resumed_from={}", page.getTotal(), cursor.orElse(null));
            while (true) {
                Instant last = null;
                List<String> ids = new ArrayList<>();
                for (Bundle.BundleEntryComponent entry : page.getEntry()) {
                    if (entry.getResource() instanceof Patient patient) {
                        ids.add(patient.getIdElement().getIdPart());
                        Date updated = patient.getMeta().getLastUpdated();
                        if (updated != null) {
                            last = updated.toInstant();
                        }
                    }
                }
                List<CompletableFuture<Void>> chunks = new ArrayList<>();
                for (int from = 0; from < ids.size(); from += CHUNK) {
                    List<String> chunk = ids.subList(from, Math.min(ids.size(), from + CHUNK));
                    chunks.add(CompletableFuture.runAsync(() -> screen(chunk), readers));
                }
                // the cursor moves past a page only once each of its patients is queued
                CompletableFuture.allOf(chunks.toArray(CompletableFuture[]::new)).join();
                if (last != null) {
                    writeCursor(last);
                }
                log.info("event=backfill_progress queued={} total={}", queued.get(), total.get());
                if (page.getLink(Bundle.LINK_NEXT) == null) {
                    break;
                }
                page = client.loadPage().next(page).execute();
            }
            deleteCursor();
            status.set("done");
            log.info("event=backfill_done queued={}", queued.get());
        } catch (RuntimeException e) {
            status.set("failed: " + e.getMessage());
            log.warn("event=backfill_failed queued={} reason=\"{}\" (POST again to resume)", queued.get(), e.getMessage());
        } finally {
            running.set(false);
        }
    }

    /**
     * Reads the chunk's records at once, leaves them in the cache and queues the patients. A patient whose read the
     * cache did not keep (a notification came in between, the cache is off, the chunk's read failed) is queued for a
     * read of its own.
     */
    private void screen(List<String> chunk) {
        Set<String> readAhead = new HashSet<>();
        if (records.keepsRecords()) {
            Map<String, Long> generations = new HashMap<>();
            chunk.forEach(id -> generations.put(id, records.generation(id)));
            Instant at = clock.instant();
            try {
                loader.loadAll(chunk, at, lookback).forEach((id, record) -> {
                    if (records.remember(record, generations.get(id), at)) {
                        readAhead.add(id);
                    }
                });
            } catch (RuntimeException e) {
                log.warn("event=backfill_chunk_read_failed patients={} reason=\"{}\" (each is read alone instead)",
                        chunk.size(), e.getMessage());
            }
        }
        for (String id : chunk) {
            queue.offerWaiting(id, readAhead.contains(id));
            queued.incrementAndGet();
        }
    }

    private Optional<Instant> readCursor() {
        try {
            return cursor.read();
        } catch (RuntimeException e) {
            log.warn("event=backfill_cursor_unreadable reason=\"{}\" (starting from the beginning)", e.getMessage());
            return Optional.empty();
        }
    }

    private void writeCursor(Instant position) {
        try {
            cursor.write(position);
        } catch (RuntimeException e) {
            log.warn("event=backfill_cursor_not_saved reason=\"{}\"", e.getMessage());
        }
    }

    private void deleteCursor() {
        try {
            cursor.clear();
        } catch (RuntimeException e) {
            log.warn("event=backfill_cursor_not_deleted reason=\"{}\"", e.getMessage());
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
        readers.shutdownNow();
    }
}
