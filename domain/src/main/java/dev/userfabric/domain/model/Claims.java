package dev.userfabric.domain.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The claims of a verified token as JSON gave them: text, numbers, flags, lists and objects. Kept
 * so that a provisioning policy can ask about claims the fabric itself has no use for
 * ({@code groups}, {@code tenant}, {@code realm_access.roles}); anything that is not JSON is left
 * out.
 */
public final class Claims {

  public static final Claims NONE = new Claims(Map.of());

  private final Map<String, Object> values;

  private Claims(Map<String, Object> values) {
    this.values = values;
  }

  /** An immutable copy of {@code json}, keeping only JSON values (nested maps and lists too). */
  public static Claims of(Map<String, ?> json) {
    Objects.requireNonNull(json, "json must not be null");
    return json.isEmpty() ? NONE : new Claims(copyObject(json));
  }

  /**
   * The value at a dotted path ({@code realm_access.roles}); a name that itself holds a dot is
   * found too, so {@code "https://example.com/groups"} works as a claim name.
   */
  public Optional<Object> at(String path) {
    if (values.containsKey(path)) {
      return Optional.of(values.get(path));
    }
    Object current = values;
    for (String step : path.split("\\.", -1)) {
      if (!(current instanceof Map<?, ?> object) || !object.containsKey(step)) {
        return Optional.empty();
      }
      current = object.get(step);
    }
    return Optional.of(current);
  }

  public Map<String, Object> asMap() {
    return values;
  }

  private static Map<String, Object> copyObject(Map<?, ?> json) {
    Map<String, Object> copy = new LinkedHashMap<>();
    json.forEach((key, value) -> {
      Object kept = copyValue(value);
      if (key instanceof String name && kept != null) {
        copy.put(name, kept);
      }
    });
    return java.util.Collections.unmodifiableMap(copy);
  }

  private static Object copyValue(Object value) {
    return switch (value) {
      case String text -> text;
      case Boolean flag -> flag;
      case Number number -> number;
      case Map<?, ?> object -> copyObject(object);
      case List<?> list -> {
        List<Object> copy = new ArrayList<>(list.size());
        list.forEach(element -> {
          Object kept = copyValue(element);
          if (kept != null) {
            copy.add(kept);
          }
        });
        yield List.copyOf(copy);
      }
      case null, default -> null;
    };
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Claims claims && values.equals(claims.values);
  }

  @Override
  public int hashCode() {
    return values.hashCode();
  }

  @Override
  public String toString() {
    return "Claims" + values.keySet();
  }
}
