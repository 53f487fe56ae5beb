package dev.userfabric.application.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** CPU and memory as Linux counts them: /proc/stat for the machine, /proc/PID for a process. */
final class Machine {

  /** Linux's USER_HZ: /proc counts CPU time in these ticks. */
  private static final long TICKS_PER_SECOND = 100;

  private Machine() {}

  /** Busy CPU time of the whole machine so far, in microseconds (all cores). */
  static long busyMicros() {
    try {
      String[] fields = Files.readAllLines(Path.of("/proc/stat")).getFirst().trim().split("\\s+");
      long busy = 0;
      for (int i = 1; i < fields.length && i <= 8; i++) {
        if (i != 4 && i != 5) { // idle, iowait
          busy += Long.parseLong(fields[i]);
        }
      }
      return busy * 1_000_000 / TICKS_PER_SECOND;
    } catch (IOException e) {
      throw new IllegalStateException("cannot read /proc/stat", e);
    }
  }

  /** CPU time (user + system) of one process so far, in microseconds; 0 when it is gone. */
  static long processMicros(long pid) {
    try {
      return cpuMicros(Files.readString(Path.of("/proc/" + pid + "/stat")));
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  /**
   * CPU time (user + system) so far of a JVM's JIT compiler threads and of its garbage collector's
   * threads, in microseconds: {@code [jit, gc]}, both 0 for a process that is not a HotSpot JVM.
   */
  static long[] jitAndGcMicros(long pid) {
    long[] micros = new long[2];
    try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
      tasks.forEach(task -> {
        try {
          String stat = Files.readString(task.resolve("stat"));
          String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
          int kind = name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler") ? 0
              : name.startsWith("GC Thread") || name.startsWith("G1 ") ? 1 : -1;
          if (kind >= 0) {
            micros[kind] += cpuMicros(stat);
          }
        } catch (IOException | RuntimeException e) {
          // the thread ended meanwhile
        }
      });
    } catch (IOException | RuntimeException e) {
      return micros;
    }
    return micros;
  }

  /** User + system CPU in a process's or a thread's {@code stat} line, in microseconds. */
  private static long cpuMicros(String stat) {
    // the name, in parentheses, may hold spaces: count the fields after it
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 1_000_000 / TICKS_PER_SECOND;
  }

  /** Resident set of one process now, in MiB. */
  static long residentMegabytes(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
        }
      }
    } catch (IOException e) {
      return 0;
    }
    return 0;
  }

  /** The CPU the named processes and the whole machine spend from now on. */
  static final class CpuMeter {
    private final Map<String, Long> pids;
    private final long machineStart = busyMicros();
    private final Map<String, Long> processStart = new LinkedHashMap<>();
    private final Map<String, long[]> jitAndGcStart = new LinkedHashMap<>();
    private final long wallStart = System.nanoTime();

    CpuMeter(Map<String, Long> pids) {
      this.pids = pids;
      pids.forEach((name, pid) -> {
        processStart.put(name, processMicros(pid));
        jitAndGcStart.put(name, jitAndGcMicros(pid));
      });
    }

    Reading read() {
      Map<String, Long> processes = new LinkedHashMap<>();
      Map<String, long[]> jitAndGc = new LinkedHashMap<>();
      pids.forEach((name, pid) -> {
        processes.put(name, processMicros(pid) - processStart.get(name));
        long[] now = jitAndGcMicros(pid);
        long[] start = jitAndGcStart.get(name);
        jitAndGc.put(name, new long[] {now[0] - start[0], now[1] - start[1]});
      });
      return new Reading(busyMicros() - machineStart, processes, jitAndGc, (System.nanoTime() - wallStart) / 1_000);
    }
  }

  /**
   * Machine and per-process CPU microseconds over a wall-clock span; of a JVM's, what its JIT
   * compiler and its garbage collector spent.
   */
  record Reading(long machineMicros, Map<String, Long> processMicros, Map<String, long[]> jitAndGcMicros,
      long wallMicros) {

    double machinePerOp(long ops) {
      return ops == 0 ? 0 : (double) machineMicros / ops;
    }

    String perProcess(long ops) {
      StringBuilder text = new StringBuilder();
      processMicros.forEach((name, micros) -> {
        text.append(String.format("%s %.0f", name, perOp(micros, ops)));
        long[] jitAndGc = jitAndGcMicros.get(name);
        if (jitAndGc[0] + jitAndGc[1] > 0) {
          text.append(String.format(" [JIT %.0f, GC %.0f]", perOp(jitAndGc[0], ops), perOp(jitAndGc[1], ops)));
        }
        text.append(", ");
      });
      return text.isEmpty() ? "" : text.substring(0, text.length() - 2);
    }

    private static double perOp(long micros, long ops) {
      return ops == 0 ? 0.0 : (double) micros / ops;
    }
  }
}
