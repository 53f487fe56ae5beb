package dev.userfabric.application.policy;

import dev.userfabric.domain.policy.ProvisioningPolicy;
import dev.userfabric.domain.port.out.PolicySource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The policy of a file, read again when its content changes (checked every interval, so that a
 * Kubernetes ConfigMap's symlink swap is seen too) or when {@link #reload} is asked (SIGHUP). A
 * file that fails validation changes nothing: the previous policy stays and the log says why.
 * The content's digest, not the file's time, decides whether to read it again.
 */
public final class ReloadablePolicy implements PolicySource, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ReloadablePolicy.class);
  private static final long MAX_FILE_BYTES = 1 << 20;

  private final Path file;
  private final Set<String> trustedIssuers;
  private final AtomicReference<ProvisioningPolicy> current = new AtomicReference<>();
  private final Counter reloaded;
  private final Counter refused;
  private final ScheduledExecutorService watcher;
  private byte[] lastDigest = new byte[0];

  /**
   * Reads the file once: a policy that cannot be used stops the start.
   *
   * @throws InvalidPolicy naming the file and what is wrong with it
   */
  public ReloadablePolicy(Path file, Set<String> trustedIssuers, Duration checkInterval, MeterRegistry registry) {
    this.file = file;
    this.trustedIssuers = Set.copyOf(trustedIssuers);
    this.reloaded = Counter.builder("userfabric.policy.reloads").tag("result", "applied")
        .description("Policy file reloads by result").register(registry);
    this.refused = Counter.builder("userfabric.policy.reloads").tag("result", "invalid")
        .description("Policy file reloads by result").register(registry);
    byte[] content = read();
    current.set(parse(content));
    lastDigest = digest(content);
    Gauge.builder("userfabric.policy.rules", this, policy -> policy.current().rulesByIssuer().values().stream()
        .mapToInt(java.util.List::size).sum()).description("Rules in the provisioning policy in force").register(registry);
    log.info("provisioning policy read from {}: {}", file, summary(current.get()));
    watcher = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "policy-file-watcher");
      thread.setDaemon(true);
      return thread;
    });
    long millis = Math.max(100, checkInterval.toMillis());
    watcher.scheduleWithFixedDelay(() -> reload(false), millis, millis, TimeUnit.MILLISECONDS);
  }

  @Override
  public ProvisioningPolicy current() {
    return current.get();
  }

  /**
   * Reads the file again and applies it if it changed and is valid.
   *
   * @param asked whether an operator asked (a signal): then an unchanged file is said to be so
   * @return whether a new policy is in force
   */
  public synchronized boolean reload(boolean asked) {
    byte[] content;
    try {
      content = read();
    } catch (InvalidPolicy e) {
      if (asked || lastDigest.length > 0) {
        log.error("provisioning policy not reloaded, the previous one stays: {}", e.getMessage());
        refused.increment();
      }
      lastDigest = new byte[0]; // say it once; a file that comes back is read again
      return false;
    }
    byte[] digest = digest(content);
    if (Arrays.equals(digest, lastDigest)) {
      if (asked) {
        log.info("provisioning policy {} is unchanged", file);
      }
      return false;
    }
    lastDigest = digest;
    try {
      ProvisioningPolicy policy = parse(content);
      current.set(policy);
      reloaded.increment();
      log.info("provisioning policy reloaded from {}: {}", file, summary(policy));
      return true;
    } catch (InvalidPolicy e) {
      refused.increment();
      log.error("provisioning policy not reloaded, the previous one stays: {}", e.getMessage());
      return false;
    }
  }

  @Override
  public void close() {
    watcher.shutdownNow();
  }

  private byte[] read() {
    try {
      if (Files.size(file) > MAX_FILE_BYTES) {
        throw new InvalidPolicy("policy file " + file + " is larger than " + MAX_FILE_BYTES + " bytes");
      }
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new InvalidPolicy("policy file " + file + " cannot be read: " + e, e);
    }
  }

  private ProvisioningPolicy parse(byte[] content) {
    try {
      return PolicyDocument.parse(new String(content, StandardCharsets.UTF_8), trustedIssuers);
    } catch (InvalidPolicy e) {
      throw new InvalidPolicy("policy file " + file + ": " + e.getMessage(), e);
    }
  }

  private static String summary(ProvisioningPolicy policy) {
    int rules = policy.rulesByIssuer().values().stream().mapToInt(java.util.List::size).sum();
    return rules + " rule(s) for " + policy.rulesByIssuer().size() + " issuer key(s), "
        + policy.linkGroups().size() + " link group(s)";
  }

  private static byte[] digest(byte[] content) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(content);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
