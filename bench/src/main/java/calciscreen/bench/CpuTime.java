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
 * @param seconds CPU seconds by part: {@code server}, {@code screening}, {@code postgresql}, {@code load_generator}
 */
public record CpuTime(Map<String, Double> seconds) {

    /** Clock ticks per second of {@code /proc/PID/stat}; 100 on every Linux we run on. */
    private static final double TICKS = 100.0;

    public static CpuTime now(long serverPid, long screeningPid) {
        Map<String, Double> seconds = new LinkedHashMap<>();
        seconds.put("server", processSeconds(serverPid).orElse(-1) / TICKS);
        seconds.put("screening", screeningPid <= 0 ? 0 : processSeconds(screeningPid).orElse(-1) / TICKS);
        seconds.put("postgresql", postgresTicks() / TICKS);
        seconds.put("load_generator", ((com.sun.management.OperatingSystemMXBean) ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime() / 1e9);
        return new CpuTime(seconds);
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
        return perUnit;
    }

    /** utime + stime of one process and of its children that ended (PostgreSQL's closed connections), in ticks. */
    static OptionalLong processSeconds(long pid) {
        return ticks(Path.of("/proc", String.valueOf(pid), "stat"));
    }

    static OptionalLong ticks(Path stat) {
        try {
            String line = Files.readString(stat);
            // the command name is in parentheses and may hold spaces: count fields after its closing one
            String[] fields = line.substring(line.lastIndexOf(')') + 2).split(" ");
            // fields[0] is field 3 (state); utime, stime, cutime, cstime are fields 14 to 17
            return OptionalLong.of(Long.parseLong(fields[11]) + Long.parseLong(fields[12]) + Long.parseLong(fields[13])
                    + Long.parseLong(fields[14]));
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
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
