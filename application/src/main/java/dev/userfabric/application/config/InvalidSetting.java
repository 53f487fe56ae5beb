package dev.userfabric.application.config;

import io.micronaut.context.exceptions.ConfigurationException;
import java.util.Locale;

/**
 * A setting that cannot be used, said in one line: the property (and its environment variable),
 * the value as given (credentials masked), what was expected, and why it failed.
 */
public final class InvalidSetting extends ConfigurationException {

  public InvalidSetting(String property, String value, String expected, Throwable cause) {
    super(property + " (" + environmentVariable(property) + ") is \"" + masked(value) + "\": expected "
        + expected + (cause != null && cause.getMessage() != null ? " (" + cause.getMessage() + ")" : ""), cause);
  }

  static String environmentVariable(String property) {
    return property.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  /** {@code scheme://user:password@host} loses its credentials before it is printed. */
  public static String masked(String value) {
    return value == null ? "" : value.replaceAll("//[^@/]*@", "//***@");
  }
}
