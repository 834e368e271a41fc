package calciscreen.hl7v2.delivery;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Messages for one patient are stored one at a time, in the order they reached the intake: a fair lock per patient
 * identifier (first come, first served), held while the message's transaction runs. A message for several patients
 * takes their locks in one fixed order, so two such messages never wait for each other in a circle. A message that
 * waits longer than the timeout is answered AE (the sender resends) rather than holding its connection forever.
 */
public final class PatientLocks {

    private final Map<String, Entry> locks = new ConcurrentHashMap<>();
    private final Duration timeout;

    public PatientLocks(Duration timeout) {
        this.timeout = timeout;
    }

    /** The locks of all {@code keys}, held until the returned handle is closed; empty when the wait timed out. */
    public Optional<Held> lock(java.util.Collection<String> keys) throws InterruptedException {
        List<String> ordered = keys.stream().sorted().toList();
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> taken = new java.util.ArrayList<>();
        for (String key : ordered) {
            Entry entry = locks.compute(key, (k, e) -> {
                Entry current = e == null ? new Entry() : e;
                current.users++;
                return current;
            });
            boolean got = false;
            try {
                got = entry.lock.tryLock(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } finally {
                if (!got) {
                    release(key, false);
                }
            }
            if (!got) {
                taken.forEach(k -> release(k, true));
                return Optional.empty();
            }
            taken.add(key);
        }
        return Optional.of(() -> taken.forEach(k -> release(k, true)));
    }

    /** Patients with a message being stored or waiting (for tests and health). */
    public int active() {
        return locks.size();
    }

    private void release(String key, boolean unlock) {
        locks.computeIfPresent(key, (k, e) -> {
            if (unlock) {
                e.lock.unlock();
            }
            return --e.users == 0 ? null : e;
        });
    }

    /** Held patient locks; closing releases them. */
    @FunctionalInterface
    public interface Held extends AutoCloseable {
        @Override
        void close();
    }

    private static final class Entry {
        final ReentrantLock lock = new ReentrantLock(true);
        int users;
    }
}
