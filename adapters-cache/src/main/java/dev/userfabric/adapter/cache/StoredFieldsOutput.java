package dev.userfabric.adapter.cache;

import io.lettuce.core.output.CommandOutput;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.AbstractMap;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * An {@code HGETALL} reply of a stored record, read for {@link UserCacheCodec#decode}: a field
 * whose name is one the codec writes gets that name's constant rather than a string of its own,
 * and the fields sit in two arrays rather than a hash map. Lettuce's map output built a string
 * per name and a linked hash map per reply: with the values, a tenth of a known user's garbage.
 * A name the codec does not know (a newer writer's) is read like a value, so nothing is lost.
 */
final class StoredFieldsOutput extends CommandOutput<String, String, Map<String, String>> {

  private static final byte[][] KNOWN_NAMES = UserCacheCodec.FIELD_NAMES.stream()
      .map(name -> name.getBytes(StandardCharsets.UTF_8)).toArray(byte[][]::new);

  private final StoredFields fields;
  private String name;

  StoredFieldsOutput() {
    this(new StoredFields());
  }

  private StoredFieldsOutput(StoredFields fields) {
    super(Utf8Codec.INSTANCE, fields);
    this.fields = fields;
  }

  @Override
  public void multi(int count) {
    fields.expect(count / 2);
  }

  @Override
  public void set(ByteBuffer bytes) {
    if (name == null) {
      name = nameOf(bytes);
    } else {
      fields.add(name, codec.decodeValue(bytes));
      name = null;
    }
  }

  private String nameOf(ByteBuffer bytes) {
    for (int known = 0; known < KNOWN_NAMES.length; known++) {
      if (equal(bytes, KNOWN_NAMES[known])) {
        return UserCacheCodec.FIELD_NAMES.get(known);
      }
    }
    return codec.decodeKey(bytes);
  }

  private static boolean equal(ByteBuffer bytes, byte[] name) {
    if (bytes == null || bytes.remaining() != name.length) {
      return false;
    }
    int at = bytes.position();
    for (int i = 0; i < name.length; i++) {
      if (bytes.get(at + i) != name[i]) {
        return false;
      }
    }
    return true;
  }

  /** A record's fields in reply order; lookups scan them (a record has about twenty). */
  static final class StoredFields extends AbstractMap<String, String> {
    private String[] names = new String[0];
    private String[] values = new String[0];
    private int size;

    void expect(int count) {
      if (count > names.length) {
        names = Arrays.copyOf(names, count);
        values = Arrays.copyOf(values, count);
      }
    }

    void add(String name, String value) {
      if (size == names.length) {
        expect(Math.max(16, size * 2));
      }
      names[size] = name;
      values[size] = value;
      size++;
    }

    @Override
    public String get(Object name) {
      int at = indexOf(name);
      return at < 0 ? null : values[at];
    }

    @Override
    public boolean containsKey(Object name) {
      return indexOf(name) >= 0;
    }

    @Override
    public int size() {
      return size;
    }

    private int indexOf(Object name) {
      for (int i = 0; i < size; i++) {
        if (names[i].equals(name)) {
          return i;
        }
      }
      return -1;
    }

    /** For equality and iteration, which the decoder never uses: a copy, in reply order. */
    @Override
    public Set<Entry<String, String>> entrySet() {
      Set<Entry<String, String>> entries = new LinkedHashSet<>();
      for (int i = 0; i < size; i++) {
        entries.add(new SimpleImmutableEntry<>(names[i], values[i]));
      }
      return entries;
    }
  }
}
