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
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 1_000_000 / TICKS_PER_SECOND;
    } catch (IOException | RuntimeException e) {
      return 0;
    }
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
    private final long wallStart = System.nanoTime();

    CpuMeter(Map<String, Long> pids) {
      this.pids = pids;
      pids.forEach((name, pid) -> processStart.put(name, processMicros(pid)));
    }

    Reading read() {
      Map<String, Long> processes = new LinkedHashMap<>();
      pids.forEach((name, pid) -> processes.put(name, processMicros(pid) - processStart.get(name)));
      return new Reading(busyMicros() - machineStart, processes, (System.nanoTime() - wallStart) / 1_000);
    }
  }

  /** Machine and per-process CPU microseconds over a wall-clock span. */
  record Reading(long machineMicros, Map<String, Long> processMicros, long wallMicros) {

    double machinePerOp(long ops) {
      return ops == 0 ? 0 : (double) machineMicros / ops;
    }

    String perProcess(long ops) {
      StringBuilder text = new StringBuilder();
      processMicros.forEach((name, micros) ->
          text.append(String.format("%s %.0f, ", name, ops == 0 ? 0.0 : (double) micros / ops)));
      return text.isEmpty() ? "" : text.substring(0, text.length() - 2);
    }
  }
}
