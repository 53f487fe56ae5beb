package dev.userfabric.application.policy;

import io.micronaut.context.exceptions.ConfigurationException;

/**
 * A policy file that cannot be used; the message names the file, the issuer and the rule. At start
 * it is a setting problem like any other (the start stops with that one line).
 */
public final class InvalidPolicy extends ConfigurationException {

  InvalidPolicy(String message) {
    super(message);
  }

  InvalidPolicy(String message, Throwable cause) {
    super(message, cause);
  }
}
