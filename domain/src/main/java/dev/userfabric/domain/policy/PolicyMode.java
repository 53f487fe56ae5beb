package dev.userfabric.domain.policy;

/** What a failing rule does: refuse the call, or only say that it would have (to roll a rule out safely). */
public enum PolicyMode {
  ENFORCE,
  REPORT
}
