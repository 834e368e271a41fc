package calciscreen.hl7v2.mllp;

import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.app.HL7Service;
import ca.uhn.hl7v2.parser.CanonicalModelClassFactory;
import ca.uhn.hl7v2.validation.impl.ValidationContextFactory;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * HAPI's MLLP server ({@link HapiContext#newServer}) on the configured port, started with the application and
 * stopped with it. One thread reads each connection and each message is handled on a thread of its own, so a slow
 * FHIR server never stops the listener reading other connections. Messages of versions 2.3 to 2.5.1 are read into the
 * v2.5.1 structures (HAPI's canonical model), without HAPI's validation: what the intake needs is checked by the
 * mapping, which says where a message is wrong.
 */
public final class MllpListener implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(MllpListener.class);

    private final HapiContext context;
    private final ExecutorService threads;
    private final int port;
    private final LabMessages application;
    private volatile HL7Service server;

    public MllpListener(int port, HapiContext context, ExecutorService threads, LabMessages application) {
        this.port = port;
        this.context = context;
        this.threads = threads;
        this.application = application;
    }

    /** HAPI's context as the intake uses it: canonical v2.5.1 model, no validation, MLLP with limits. */
    public static HapiContext context(BoundedMllp framing, ExecutorService threads) {
        DefaultHapiContext context = new DefaultHapiContext();
        context.setModelClassFactory(new CanonicalModelClassFactory("2.5.1"));
        context.setValidationContext(ValidationContextFactory.noValidation());
        context.getParserConfiguration().setIdGenerator(new AckIds());
        context.setLowerLayerProtocol(framing);
        if (threads != null) {
            context.setExecutorService(threads);
        }
        return context;
    }

    /** A pool of named threads: each connection's reader and each message being handled. */
    public static ExecutorService threads() {
        AtomicInteger count = new AtomicInteger();
        ThreadFactory factory = r -> {
            Thread thread = new Thread(r, "mllp-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
        return Executors.newCachedThreadPool(factory);
    }

    /** Binds the port and starts accepting; the application fails to start when the port cannot be bound. */
    @Override
    public void start() {
        // acceptAll: a message carrying MSA-2 (an ACK, or garbage shaped like one) is handed to the application and
        // answered too; HAPI would otherwise take it for the answer to a message of its own and say nothing
        HL7Service started = context.newServer(port, false, true);
        started.registerApplication("*", "*", application);
        started.setExceptionHandler(application);
        try {
            started.startAndWait();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the MLLP listener", e);
        }
        if (started.getServiceExitedWithException() != null || !started.isRunning()) {
            started.stop();
            throw new IllegalStateException("the MLLP listener could not start on port " + port,
                    started.getServiceExitedWithException());
        }
        server = started;
        log.info("event=mllp_listening port={}", port);
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stopAndWait();
            server = null;
        }
        threads.shutdownNow();
        try {
            threads.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        log.info("event=mllp_stopped port={}", port);
    }

    @Override
    public boolean isRunning() {
        return server != null && server.isRunning();
    }

    /** Control ids of the ACKs: unique across restarts (time-based), at most 20 characters as v2.5.1 allows. */
    static final class AckIds implements ca.uhn.hl7v2.util.idgenerator.IDGenerator {
        private final AtomicLong next = new AtomicLong(System.currentTimeMillis() * 1000);

        @Override
        public String getID() {
            return "CS" + Long.toString(next.incrementAndGet(), 36).toUpperCase(java.util.Locale.ROOT);
        }
    }
}
