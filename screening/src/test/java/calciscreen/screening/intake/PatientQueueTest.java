package calciscreen.screening.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class PatientQueueTest {

    @Test
    void twoHundredNotificationsForOnePatientMakeOneEvaluation() {
        Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
        try (PatientQueue queue = queue(id -> runs.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet(),
                4, Duration.ofMillis(200), 100)) {
            for (int i = 0; i < 200; i++) {
                assertThat(queue.offer("p1")).isTrue();
            }
            await().atMost(Duration.ofSeconds(5)).until(queue::idle);
            assertThat(runs.get("p1").get()).isEqualTo(1);
        }
    }

    @Test
    void aPatientIsNeverEvaluatedTwiceAtOnceAndNewsDuringAnEvaluationIsNotLost() {
        Set<String> running = ConcurrentHashMap.newKeySet();
        AtomicInteger overlaps = new AtomicInteger();
        AtomicInteger runs = new AtomicInteger();
        try (PatientQueue queue = queue(id -> {
            if (!running.add(id)) {
                overlaps.incrementAndGet();
            }
            runs.incrementAndGet();
            sleep(100);
            running.remove(id);
        }, 4, Duration.ofMillis(10), 100)) {
            queue.offer("p1");
            sleep(50); // p1 is being evaluated now
            queue.offer("p1");
            await().atMost(Duration.ofSeconds(5)).until(queue::idle);
            assertThat(overlaps.get()).isZero();
            assertThat(runs.get()).isEqualTo(2);
        }
    }

    @Test
    void aFailingPatientDoesNotBlockTheOthers() {
        Set<String> done = ConcurrentHashMap.newKeySet();
        try (PatientQueue queue = queue(id -> {
            if (id.equals("bad")) {
                throw new IllegalStateException("unreadable record");
            }
            done.add(id);
        }, 2, Duration.ofMillis(10), 100)) {
            queue.offer("bad");
            for (int i = 0; i < 20; i++) {
                queue.offer("p" + i);
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> done.size() == 20);
            assertThat(queue.depth()).isEqualTo(1); // "bad" waits for its retry
        }
    }

    @Test
    void aFullQueueRefusesInsteadOfDropping() {
        try (PatientQueue queue = queue(id -> sleep(1_000), 1, Duration.ofSeconds(10), 3)) {
            assertThat(queue.offer("a")).isTrue();
            assertThat(queue.offer("b")).isTrue();
            assertThat(queue.offer("c")).isTrue();
            assertThat(queue.offer("d")).isFalse();
            assertThat(queue.offer("a")).isTrue(); // already waiting: coalesced, not refused
        }
    }

    @Test
    void notificationsOfATransactionAlreadyReadAreDropped() {
        AtomicInteger runs = new AtomicInteger();
        java.time.Instant transaction = java.time.Instant.parse("2026-11-25T10:00:00.123Z");
        try (PatientQueue queue = queue(id -> {
            runs.incrementAndGet();
            sleep(100);
        }, 2, Duration.ofMillis(20), 100)) {
            queue.offer("p1", java.util.Optional.of(transaction));
            sleep(60); // the read has started: the transaction is committed and in it
            for (int i = 0; i < 199; i++) {    // the rest of its notifications, delivered one by one
                queue.offer("p1", java.util.Optional.of(transaction));
                sleep(1);
            }
            await().atMost(Duration.ofSeconds(5)).until(queue::idle);
            sleep(100);
            assertThat(runs.get()).isEqualTo(1);

            queue.offer("p1", java.util.Optional.of(transaction.plusMillis(5))); // a later change is news
            await().atMost(Duration.ofSeconds(5)).until(() -> runs.get() == 2);
        }
    }

    @Test
    void aStampIsAlreadyReadFromItsFirstNotificationUntilTheNextReadWithoutIt() {
        java.time.Instant transaction = java.time.Instant.parse("2026-11-25T10:00:00.123Z");
        java.util.concurrent.CountDownLatch reading = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        AtomicInteger runs = new AtomicInteger();
        try (PatientQueue queue = queue(id -> {
            if (runs.incrementAndGet() == 1) {
                reading.countDown();
                awaitLatch(release);
            }
        }, 2, Duration.ofMillis(20), 100)) {
            assertThat(queue.alreadyReads("p1", transaction)).as("nothing known of p1").isFalse();
            queue.offer("p1", Optional.of(transaction));
            assertThat(queue.alreadyReads("p1", transaction)).as("waiting for its read").isTrue();
            assertThat(queue.alreadyReads("p1", transaction.plusMillis(1))).as("another transaction").isFalse();
            assertThat(queue.alreadyReads("p2", transaction)).as("another patient").isFalse();

            awaitLatch(reading);
            assertThat(queue.alreadyReads("p1", transaction)).as("its read has started").isTrue();
            release.countDown();
            await().atMost(Duration.ofSeconds(5)).until(queue::idle);
            assertThat(queue.alreadyReads("p1", transaction)).as("its read is done").isTrue();

            queue.offer("p1"); // a read for another reason (reconciliation): it covers no notified stamp
            await().atMost(Duration.ofSeconds(5)).until(() -> runs.get() == 2 && queue.idle());
            assertThat(queue.alreadyReads("p1", transaction)).isFalse();
        }
    }

    @Test
    void patientsAreSettledOnlyOnceScreenedOrParked() {
        try (PatientQueue queue = queue(id -> sleep(300), 2, Duration.ofMillis(10), 100)) {
            queue.offer("a");
            queue.offer("b");
            assertThat(queue.settled(java.util.List.of("a", "b"))).isFalse();
            await().atMost(Duration.ofSeconds(5)).until(() -> queue.settled(java.util.List.of("a", "b")));
            assertThat(queue.idle()).isTrue();
        }
    }

    @Test
    void aScreeningThatAsksToComeBackLaterRunsAgainThenAndUntilThenThePatientIsNotSettled() {
        java.util.List<Long> starts = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        try (PatientQueue queue = comingBackOnce(starts, Duration.ofMillis(400))) { // a write put off for 400 ms
            queue.offer("p1");
            await().atMost(Duration.ofSeconds(5)).until(() -> starts.size() == 1);
            sleep(100);
            assertThat(queue.settled(java.util.List.of("p1"))).isFalse(); // reconciliation must wait for the write
            await().atMost(Duration.ofSeconds(5)).until(queue::idle);
            assertThat(starts).hasSize(2);
            assertThat(Duration.ofNanos(starts.get(1) - starts.get(0))).isGreaterThanOrEqualTo(Duration.ofMillis(390));
        }
    }

    @Test
    void newsForAPatientDueLaterScreensItNow() {
        java.util.List<Long> starts = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        try (PatientQueue queue = comingBackOnce(starts, Duration.ofSeconds(30))) {
            queue.offer("p1");
            await().atMost(Duration.ofSeconds(5)).until(() -> starts.size() == 1);
            sleep(50);
            long news = System.nanoTime();
            queue.offer("p1", java.util.Optional.of(java.time.Instant.now())); // a tier change cannot wait 30 s
            await().atMost(Duration.ofSeconds(5)).until(() -> starts.size() == 2);
            assertThat(Duration.ofNanos(starts.get(1) - news)).isLessThan(Duration.ofSeconds(2));
            assertThat(queue.idle()).isTrue();
        }
    }

    /** A queue whose screening notes when each run starts and, at its first, asks to be run again in {@code later}. */
    private static PatientQueue comingBackOnce(java.util.List<Long> starts, Duration later) {
        return new PatientQueue(id -> {
            starts.add(System.nanoTime());
            return starts.size() == 1 ? Optional.of(later) : Optional.empty();
        }, 2, Duration.ofMillis(10), 100, e -> false, id -> {}, waited -> {});
    }

    /** A queue whose screening never asks to come back, with no listeners. */
    private static PatientQueue queue(Consumer<String> screening, int workers, Duration debounce, int capacity) {
        return new PatientQueue(id -> {
            screening.accept(id);
            return Optional.empty();
        }, workers, debounce, capacity, e -> false, id -> {}, waited -> {});
    }

    private static void awaitLatch(java.util.concurrent.CountDownLatch latch) {
        try {
            assertThat(latch.await(5, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
