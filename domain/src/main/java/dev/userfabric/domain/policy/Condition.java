package dev.userfabric.domain.policy;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What a rule asks of an applicant. Each kind answers with the reason it fails, or nothing when
 * it holds; the reasons are for operators and the dry-run, so they name what was missing but
 * never echo a whole token.
 */
public sealed interface Condition {

  /** Why the applicant does not meet the condition; empty when it does. */
  Optional<String> failure(Applicant applicant);

  /** The kind's name in the policy file. */
  String type();

  /** The profile's email must be at one of these domains; {@code *.example.com} means any subdomain. */
  record AllowedEmailDomains(Set<String> domains) implements Condition {
    public AllowedEmailDomains {
      domains = lowerCased(domains, "domains");
    }

    @Override
    public Optional<String> failure(Applicant applicant) {
      Optional<String> email = applicant.email();
      if (email.isEmpty()) {
        return Optional.of("the profile has no email");
      }
      int at = email.get().lastIndexOf('@');
      if (at < 0) {
        return Optional.of("the email has no domain");
      }
      String domain = email.get().substring(at + 1);
      boolean allowed = domains.stream().anyMatch(allowedDomain -> allowedDomain.startsWith("*.")
          ? domain.endsWith(allowedDomain.substring(1))
          : domain.equals(allowedDomain));
      return allowed ? Optional.empty() : Optional.of("email domain " + domain + " is not allowed");
    }

    @Override
    public String type() {
      return "allowed-email-domains";
    }
  }

  /** The provider must say the profile's email is verified. */
  record EmailVerified() implements Condition {
    @Override
    public Optional<String> failure(Applicant applicant) {
      if (applicant.profile().email().isEmpty()) {
        return Optional.of("the profile has no email");
      }
      return applicant.profile().emailVerified() ? Optional.empty() : Optional.of("the email is not verified");
    }

    @Override
    public String type() {
      return "email-verified";
    }
  }

  /** The claim must hold a single value equal to one of these. */
  record ClaimEquals(String claim, Set<String> values) implements Condition {
    public ClaimEquals {
      claim = requireText(claim, "claim");
      values = requireValues(values);
    }

    @Override
    public Optional<String> failure(Applicant applicant) {
      Optional<List<String>> found = applicant.claim(claim);
      if (found.isEmpty() || found.get().isEmpty()) {
        return Optional.of("claim " + claim + " is missing");
      }
      if (found.get().size() > 1) {
        return Optional.of("claim " + claim + " holds a list, not one value");
      }
      return values.contains(found.get().getFirst()) ? Optional.empty()
          : Optional.of("claim " + claim + " is not one of " + sorted(values));
    }

    @Override
    public String type() {
      return "claim-equals";
    }
  }

  /**
   * The claim, a list (a single value counts as a list of one), must hold at least one of these.
   * To require two values, write two rules.
   */
  record ClaimContains(String claim, Set<String> values) implements Condition {
    public ClaimContains {
      claim = requireText(claim, "claim");
      values = requireValues(values);
    }

    @Override
    public Optional<String> failure(Applicant applicant) {
      Optional<List<String>> found = applicant.claim(claim);
      if (found.isEmpty()) {
        return Optional.of("claim " + claim + " is missing");
      }
      return found.get().stream().anyMatch(values::contains) ? Optional.empty()
          : Optional.of("claim " + claim + " holds none of " + sorted(values));
    }

    @Override
    public String type() {
      return "claim-contains";
    }
  }

  /** The claim's value, or one element of it when it is a list, must match the whole pattern. */
  record ClaimMatches(String claim, Pattern pattern) implements Condition {
    public ClaimMatches {
      claim = requireText(claim, "claim");
      Objects.requireNonNull(pattern, "pattern must not be null");
    }

    @Override
    public Optional<String> failure(Applicant applicant) {
      Optional<List<String>> found = applicant.claim(claim);
      if (found.isEmpty() || found.get().isEmpty()) {
        return Optional.of("claim " + claim + " is missing");
      }
      return found.get().stream().anyMatch(value -> pattern.matcher(value).matches()) ? Optional.empty()
          : Optional.of("claim " + claim + " does not match " + pattern.pattern());
    }

    @Override
    public String type() {
      return "claim-matches";
    }
  }

  /** The token must grant every one of these scopes. */
  record RequiredScopes(Set<String> scopes) implements Condition {
    public RequiredScopes {
      scopes = requireValues(scopes);
    }

    @Override
    public Optional<String> failure(Applicant applicant) {
      Set<String> missing = scopes.stream().filter(scope -> !applicant.token().grants(scope))
          .collect(Collectors.toSet());
      return missing.isEmpty() ? Optional.empty() : Optional.of("the token lacks scope " + sorted(missing));
    }

    @Override
    public String type() {
      return "required-scopes";
    }
  }

  /** These subjects of the rule's issuer never become (or stay) users. */
  record DeniedSubjects(Set<String> subjects) implements Condition {
    public DeniedSubjects {
      subjects = requireValues(subjects);
    }

    @Override
    public Optional<String> failure(Applicant applicant) {
      return subjects.contains(applicant.token().identity().subject())
          ? Optional.of("the subject is denied") : Optional.empty();
    }

    @Override
    public String type() {
      return "denied-subjects";
    }
  }

  /** These email addresses (compared without regard to case) never become users. */
  record DeniedEmails(Set<String> emails) implements Condition {
    public DeniedEmails {
      emails = lowerCased(emails, "emails");
    }

    @Override
    public Optional<String> failure(Applicant applicant) {
      return applicant.email().filter(emails::contains).map(email -> "the email is denied");
    }

    @Override
    public String type() {
      return "denied-emails";
    }
  }

  private static String requireText(String value, String field) {
    Objects.requireNonNull(value, field + " must not be null");
    if (value.isBlank()) {
      throw new IllegalArgumentException(field + " must not be blank");
    }
    return value;
  }

  private static Set<String> requireValues(Set<String> values) {
    Set<String> copy = Set.copyOf(values);
    if (copy.isEmpty()) {
      throw new IllegalArgumentException("at least one value is needed");
    }
    copy.forEach(value -> requireText(value, "a value"));
    return copy;
  }

  private static Set<String> lowerCased(Set<String> values, String field) {
    Set<String> copy = requireValues(values).stream().map(value -> value.toLowerCase(Locale.ROOT))
        .collect(Collectors.toUnmodifiableSet());
    if (copy.isEmpty()) {
      throw new IllegalArgumentException(field + " must not be empty");
    }
    return copy;
  }

  private static List<String> sorted(Set<String> values) {
    return values.stream().sorted().toList();
  }
}
