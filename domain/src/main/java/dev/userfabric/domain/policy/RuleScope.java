package dev.userfabric.domain.policy;

/** Whom a rule is checked for: everyone calling CreateUser, or only people not yet users. */
public enum RuleScope {
  ALL_USERS,
  NEW_USERS
}
