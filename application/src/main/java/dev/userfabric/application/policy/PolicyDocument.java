package dev.userfabric.application.policy;

import dev.userfabric.domain.policy.Condition;
import dev.userfabric.domain.policy.LinkGroup;
import dev.userfabric.domain.policy.PolicyMode;
import dev.userfabric.domain.policy.PolicyRule;
import dev.userfabric.domain.policy.ProvisioningPolicy;
import dev.userfabric.domain.policy.RuleScope;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Reads a provisioning policy from YAML (JSON is YAML too) and checks all of it: every unknown
 * key, missing field, bad pattern and untrusted issuer is an {@link InvalidPolicy} naming where
 * it is, so a typo never silently weakens the policy. The format is in the README.
 */
public final class PolicyDocument {

  private static final Set<String> TOP_LEVEL = Set.of("issuers", "linking");
  private static final Set<String> COMMON = Set.of("name", "type", "mode", "applies-to");
  private static final Map<String, Set<String>> FIELDS_BY_TYPE = Map.of(
      "allowed-email-domains", Set.of("domains"),
      "email-verified", Set.of(),
      "claim-equals", Set.of("claim", "values"),
      "claim-contains", Set.of("claim", "values"),
      "claim-matches", Set.of("claim", "pattern"),
      "required-scopes", Set.of("scopes"),
      "denied-subjects", Set.of("subjects"),
      "denied-emails", Set.of("emails"));

  private PolicyDocument() {}

  /**
   * @param trustedIssuers the issuer ids the service trusts: rules and link groups may name only
   *     these (a mistyped issuer would otherwise leave its users unchecked)
   */
  public static ProvisioningPolicy parse(String text, Set<String> trustedIssuers) {
    Object document;
    try {
      document = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
    } catch (YAMLException e) {
      throw new InvalidPolicy("not YAML: " + firstLine(e.getMessage()), e);
    }
    if (document == null) {
      return ProvisioningPolicy.OPEN; // an empty file: no rules
    }
    Map<String, Object> top = object(document, "the document");
    unknownKeys(top, TOP_LEVEL, "the document");

    Map<String, List<PolicyRule>> rules = new LinkedHashMap<>();
    if (top.get("issuers") != null) {
      object(top.get("issuers"), "issuers").forEach((issuer, list) -> {
        String where = "issuer " + issuer;
        if (!issuer.equals(ProvisioningPolicy.EVERY_ISSUER) && !trustedIssuers.contains(issuer)) {
          throw new InvalidPolicy(where + " is not a trusted issuer (trusted: " + trustedIssuers + ")");
        }
        List<PolicyRule> parsed = new ArrayList<>();
        for (Object rule : list(list, where)) {
          parsed.add(rule(object(rule, "a rule of " + where), where));
        }
        rules.put(issuer, parsed);
      });
    }
    List<LinkGroup> groups = top.get("linking") == null ? List.of() : linkGroups(top.get("linking"), trustedIssuers);
    try {
      return new ProvisioningPolicy(rules, groups);
    } catch (IllegalArgumentException e) {
      throw new InvalidPolicy(e.getMessage(), e);
    }
  }

  private static PolicyRule rule(Map<String, Object> fields, String issuer) {
    String name = text(fields.get("name"), "a rule of " + issuer + " has no name: name");
    String where = issuer + " rule " + name;
    String type = text(fields.get("type"), where + ": type");
    Set<String> own = FIELDS_BY_TYPE.get(type);
    if (own == null) {
      throw new InvalidPolicy(where + ": unknown type \"" + type + "\" (one of "
          + FIELDS_BY_TYPE.keySet().stream().sorted().toList() + ")");
    }
    Set<String> allowed = new LinkedHashSet<>(COMMON);
    allowed.addAll(own);
    unknownKeys(fields, allowed, where);
    try {
      Condition condition = switch (type) {
        case "allowed-email-domains" -> new Condition.AllowedEmailDomains(values(fields, "domains", where));
        case "email-verified" -> new Condition.EmailVerified();
        case "claim-equals" -> new Condition.ClaimEquals(text(fields.get("claim"), where + ": claim"),
            values(fields, "values", where));
        case "claim-contains" -> new Condition.ClaimContains(text(fields.get("claim"), where + ": claim"),
            values(fields, "values", where));
        case "claim-matches" -> new Condition.ClaimMatches(text(fields.get("claim"), where + ": claim"),
            pattern(text(fields.get("pattern"), where + ": pattern"), where));
        case "required-scopes" -> new Condition.RequiredScopes(values(fields, "scopes", where));
        case "denied-subjects" -> new Condition.DeniedSubjects(values(fields, "subjects", where));
        case "denied-emails" -> new Condition.DeniedEmails(values(fields, "emails", where));
        default -> throw new IllegalStateException("type " + type + " is listed but not read");
      };
      return new PolicyRule(name, condition, mode(fields.get("mode"), where), scope(fields.get("applies-to"), where));
    } catch (IllegalArgumentException e) {
      throw new InvalidPolicy(where + ": " + e.getMessage(), e);
    }
  }

  private static List<LinkGroup> linkGroups(Object linking, Set<String> trustedIssuers) {
    Map<String, Object> fields = object(linking, "linking");
    unknownKeys(fields, Set.of("groups"), "linking");
    List<LinkGroup> groups = new ArrayList<>();
    for (Object group : list(fields.get("groups"), "linking.groups")) {
      Map<String, Object> groupFields = object(group, "a link group");
      String name = text(groupFields.get("name"), "a link group has no name: name");
      String where = "link group " + name;
      unknownKeys(groupFields, Set.of("name", "issuers"), where);
      Set<String> issuers = values(groupFields, "issuers", where);
      for (String issuer : issuers) {
        if (!trustedIssuers.contains(issuer)) {
          throw new InvalidPolicy(where + ": issuer " + issuer + " is not a trusted issuer");
        }
      }
      try {
        groups.add(new LinkGroup(name, issuers));
      } catch (IllegalArgumentException e) {
        throw new InvalidPolicy(where + ": " + e.getMessage(), e);
      }
    }
    return groups;
  }

  private static PolicyMode mode(Object value, String where) {
    if (value == null) {
      return PolicyMode.ENFORCE;
    }
    return switch (text(value, where + ": mode")) {
      case "enforce" -> PolicyMode.ENFORCE;
      case "report" -> PolicyMode.REPORT;
      default -> throw new InvalidPolicy(where + ": mode must be enforce or report, not \"" + value + "\"");
    };
  }

  private static RuleScope scope(Object value, String where) {
    if (value == null) {
      return RuleScope.ALL_USERS;
    }
    return switch (text(value, where + ": applies-to")) {
      case "all-users" -> RuleScope.ALL_USERS;
      case "new-users" -> RuleScope.NEW_USERS;
      default -> throw new InvalidPolicy(where + ": applies-to must be all-users or new-users, not \"" + value + "\"");
    };
  }

  private static Pattern pattern(String regex, String where) {
    try {
      return Pattern.compile(regex);
    } catch (PatternSyntaxException e) {
      throw new InvalidPolicy(where + ": pattern is not a regular expression: " + firstLine(e.getDescription()), e);
    }
  }

  /** One value or a list of them; numbers and flags are read as their text (claims are compared as text). */
  private static Set<String> values(Map<String, Object> fields, String key, String where) {
    Object value = fields.get(key);
    if (value == null) {
      throw new InvalidPolicy(where + ": " + key + " must be set");
    }
    List<?> items = value instanceof List<?> list ? list : List.of(value);
    Set<String> texts = new LinkedHashSet<>();
    for (Object item : items) {
      if (!(item instanceof String || item instanceof Number || item instanceof Boolean)) {
        throw new InvalidPolicy(where + ": every one of " + key + " must be text");
      }
      texts.add(item.toString());
    }
    if (texts.isEmpty()) {
      throw new InvalidPolicy(where + ": " + key + " must not be empty");
    }
    return texts;
  }

  private static void unknownKeys(Map<String, Object> fields, Set<String> allowed, String where) {
    for (String key : fields.keySet()) {
      if (!allowed.contains(key)) {
        throw new InvalidPolicy(where + ": unknown key \"" + key + "\" (allowed: "
            + allowed.stream().sorted().toList() + ")");
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> object(Object value, String where) {
    if (!(value instanceof Map<?, ?> map)) {
      throw new InvalidPolicy(where + " must be a mapping");
    }
    for (Object key : map.keySet()) {
      if (!(key instanceof String)) {
        throw new InvalidPolicy(where + ": key " + key + " must be text");
      }
    }
    return (Map<String, Object>) map;
  }

  private static List<?> list(Object value, String where) {
    if (!(value instanceof List<?> list)) {
      throw new InvalidPolicy(where + " must be a list");
    }
    return list;
  }

  private static String text(Object value, String where) {
    if (!(value instanceof String text) || text.isBlank()) {
      throw new InvalidPolicy(where + " must be set (text)");
    }
    return text;
  }

  private static String firstLine(String message) {
    return message == null ? "" : message.lines().findFirst().orElse("");
  }
}
