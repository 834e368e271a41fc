package calciscreen.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * CPU time used by each part of the stack (user + system, from {@code /proc}), so that a phase can say where its
 * work went: the server, the screening, PostgreSQL (every {@code postgres} process on the machine) and this load
 * generator. Empty figures where {@code /proc} is not there.
 *
 * <p>Beside them, the part of each service's time its JVM spent on itself rather than on the work: the JIT compiler
 * threads ({@code C1/C2 CompilerThread}) and the garbage collector's ({@code GC Thread#n}, {@code G1 ...}), from
 * {@code /proc/PID/task/TID/stat}. On two cores a service still compiling its paths takes that time from the work.
 *
 * @param seconds    CPU seconds by part: {@code server}, {@code screening}, {@code postgresql}, {@code load_generator}
 * @param jvmThreads CPU seconds of the services' JIT and GC threads ({@code server_jit}, {@code server_gc},
 *                   {@code screening_jit}, {@code screening_gc}), already counted in {@code seconds}
 */
public record CpuTime(Map<String, Double> seconds, Map<String, Double> jvmThreads) {

    /** Clock ticks per second of {@code /proc/PID/stat}; 100 on every Linux we run on. */
    private static final double TICKS = 100.0;

    public static CpuTime now(long serverPid, long screeningPid) {
        Map<String, Double> seconds = new LinkedHashMap<>();
        seconds.put("server", processSeconds(serverPid).orElse(-1) / TICKS);
        seconds.put("screening", screeningPid <= 0 ? 0 : processSeconds(screeningPid).orElse(-1) / TICKS);
        seconds.put("postgresql", postgresTicks() / TICKS);
        seconds.put("load_generator", ((com.sun.management.OperatingSystemMXBean) ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime() / 1e9);
        Map<String, Double> jvmThreads = new LinkedHashMap<>();
        jvmThreads.putAll(jvmThreadSeconds("server", serverPid));
        jvmThreads.putAll(jvmThreadSeconds("screening", screeningPid));
        return new CpuTime(seconds, jvmThreads);
    }

    /** CPU milliseconds each part spent between {@code before} and this, per unit of work ({@code units} > 0). */
    public Map<String, Double> millisPerUnitSince(CpuTime before, long units) {
        Map<String, Double> perUnit = new LinkedHashMap<>();
        double total = 0;
        for (Map.Entry<String, Double> part : seconds.entrySet()) {
            Double earlier = before.seconds.get(part.getKey());
            if (earlier == null || earlier < 0 || part.getValue() < 0 || units <= 0) {
                continue;
            }
            double ms = (part.getValue() - earlier) * 1000 / units;
            perUnit.put(part.getKey(), Math.round(ms * 10) / 10.0);
            total += ms;
        }
        perUnit.put("total", Math.round(total * 10) / 10.0);
        for (Map.Entry<String, Double> part : jvmThreads.entrySet()) {
            Double earlier = before.jvmThreads.get(part.getKey());
            if (earlier != null && units > 0) {
                // a compiler thread that ended takes its time with it: never below zero
                perUnit.put(part.getKey(), Math.round(Math.max(0, part.getValue() - earlier) * 10_000 / units) / 10.0);
            }
        }
        return perUnit;
    }

    /** CPU seconds of the JIT compiler threads and of the GC threads of one JVM, by thread name. */
    static Map<String, Double> jvmThreadSeconds(String part, long pid) {
        if (pid <= 0) {
            return Map.of();
        }
        long jit = 0;
        long gc = 0;
        try (Stream<Path> tasks = Files.list(Path.of("/proc", String.valueOf(pid), "task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                String name;
                try {
                    name = Files.readString(task.resolve("comm")).trim();
                } catch (IOException e) {
                    continue; // the thread ended meanwhile
                }
                boolean isJit = name.contains("CompilerThre");
                boolean isGc = name.startsWith("GC Thread") || name.startsWith("G1 ");
                if (isJit || isGc) {
                    long ticks = threadTicks(task.resolve("stat")).orElse(0);
                    if (isJit) {
                        jit += ticks;
                    } else {
                        gc += ticks;
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            return Map.of();
        }
        return Map.of(part + "_jit", jit / TICKS, part + "_gc", gc / TICKS);
    }

    /** utime + stime of one process and of its children that ended (PostgreSQL's closed connections), in ticks. */
    static OptionalLong processSeconds(long pid) {
        return ticks(Path.of("/proc", String.valueOf(pid), "stat"));
    }

    static OptionalLong ticks(Path stat) {
        return times(stat).map(t -> OptionalLong.of(t[0] + t[1] + t[2] + t[3])).orElse(OptionalLong.empty());
    }

    /** utime + stime of one thread, in ticks. */
    static OptionalLong threadTicks(Path stat) {
        return times(stat).map(t -> OptionalLong.of(t[0] + t[1])).orElse(OptionalLong.empty());
    }

    /** utime, stime, cutime and cstime of a {@code stat} file (fields 14 to 17), in ticks; empty if unreadable. */
    private static java.util.Optional<long[]> times(Path stat) {
        try {
            String line = Files.readString(stat);
            // the command name is in parentheses and may hold spaces: count fields after its closing one
            String[] fields = line.substring(line.lastIndexOf(')') + 2).split(" ");
            // fields[0] is field 3 (state)
            return java.util.Optional.of(new long[] {Long.parseLong(fields[11]), Long.parseLong(fields[12]),
                    Long.parseLong(fields[13]), Long.parseLong(fields[14])});
        } catch (IOException | RuntimeException e) {
            return java.util.Optional.empty();
        }
    }

    private static long postgresTicks() {
        try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
            return processes.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
                    .filter(CpuTime::isPostgres)
                    .mapToLong(p -> ticks(p.resolve("stat")).orElse(0))
                    .sum();
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static boolean isPostgres(Path process) {
        try {
            return Files.readString(process.resolve("comm")).trim().startsWith("postgres");
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
