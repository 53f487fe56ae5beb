package dev.userfabric.application;

import io.micronaut.context.exceptions.ConfigurationException;
import java.util.Optional;

/** Turns whatever stopped the start into the one line an operator needs. */
final class StartupFailure {

  private StartupFailure() {}

  /** The innermost setting problem's message when there is one, else the root cause's. */
  static String describe(Throwable failure) {
    return settingProblem(failure).map(Throwable::getMessage).orElseGet(() -> {
      Throwable root = failure;
      while (root.getCause() != null && root.getCause() != root) {
        root = root.getCause();
      }
      return root.getClass().getSimpleName() + ": " + root.getMessage();
    });
  }

  static boolean isSettingProblem(Throwable failure) {
    return settingProblem(failure).isPresent();
  }

  private static Optional<Throwable> settingProblem(Throwable failure) {
    Throwable found = null;
    for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
      if (cause instanceof ConfigurationException) {
        found = cause;
      }
    }
    return Optional.ofNullable(found);
  }
}
