package calciscreen.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * One of our services (the FHIR server or the screening jar) as a separate process, the way production runs it:
 * started with its environment, its output in {@code <dir>/<name>.log}, awaited until it answers, stopped gently
 * and then forcibly. The end-to-end tests and the benchmark both start the stack through it.
 */
public final class ServiceProcess {

    private ServiceProcess() {}

    /** Starts {@code java <jvmArgs> -jar <jar>} in {@code dir} with {@code env} added to this process's environment. */
    public static Process launch(String name, Path jar, List<String> jvmArgs, Map<String, String> env, Path dir) {
        return launch(name, Path.of(System.getProperty("java.home"), "bin", "java"), jar, jvmArgs, env, dir);
    }

    /** The same on the JVM {@code java} (an executable), e.g. a newer JDK than this process's. */
    public static Process launch(String name, Path java, Path jar, List<String> jvmArgs, Map<String, String> env,
                                 Path dir) {
        if (jar == null || !Files.exists(jar)) {
            throw new IllegalStateException(name + " jar not found at " + jar + " (build it first: mvn package, or "
                    + "./calciscreen build)");
        }
        try {
            Files.createDirectories(dir);
            List<String> command = new ArrayList<>();
            command.add(java.toString());
            command.addAll(jvmArgs);
            command.add("-jar");
            command.add(jar.toString());
            ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log(name, dir).toFile()));
            builder.environment().putAll(env);
            return builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
    }

    /**
     * Waits until {@code up} holds (an exception from it counts as "not yet"); fails at once when the process exits,
     * and after {@code timeout}, naming the log to read.
     */
    public static void awaitUp(String name, Process process, BooleanSupplier up, Duration timeout, Path dir) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + "; see " + log(name, dir));
            }
            try {
                if (up.getAsBoolean()) {
                    return;
                }
            } catch (RuntimeException e) {
                // not listening yet
            }
            sleep(250);
        }
        throw new IllegalStateException(name + " did not answer within " + timeout + "; see " + log(name, dir));
    }

    /** Asks the process to stop (SIGTERM, so Spring shuts down cleanly), and kills it after 30 s. */
    public static void stop(Process process) {
        stop(process, Duration.ofSeconds(30));
    }

    /** The same, killing it only after {@code grace} (a JVM writing its class cache at the exit needs longer). */
    public static void stop(Process process, Duration grace) {
        if (process != null && process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Path log(String name, Path dir) {
        return dir.resolve(name + ".log");
    }
}
