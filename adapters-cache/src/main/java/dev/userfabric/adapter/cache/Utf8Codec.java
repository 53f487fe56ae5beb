package dev.userfabric.adapter.cache;

import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Lettuce's UTF-8 string codec, with replies read straight into strings and arguments encoded
 * into arrays of their own size. {@link StringCodec}
 * wraps every key and value of a reply in a Netty buffer before decoding it: two objects a field,
 * which for a stored user's hash (a dozen fields, each with its name) came to a seventh of a known
 * user's garbage. Replies are decoded on the connection's event loop, a platform thread, which
 * keeps one scratch array for the copy.
 */
final class Utf8Codec implements RedisCodec<String, String> {

  static final Utf8Codec INSTANCE = new Utf8Codec();

  private static final byte[] EMPTY = new byte[0];
  private static final int SCRATCH_BYTES = 4096;
  private static final ThreadLocal<byte[]> scratch = ThreadLocal.withInitial(() -> new byte[SCRATCH_BYTES]);

  private Utf8Codec() {}

  @Override
  public String decodeKey(ByteBuffer bytes) {
    return decode(bytes);
  }

  @Override
  public String decodeValue(ByteBuffer bytes) {
    return decode(bytes);
  }

  @Override
  public ByteBuffer encodeKey(String key) {
    return encode(key);
  }

  @Override
  public ByteBuffer encodeValue(String value) {
    return encode(value);
  }

  /**
   * The text's own bytes, wrapped. {@link StringCodec} allocates three bytes a character (UTF-8's
   * worst case) and wraps them in a Netty buffer to encode into: for the store's script, a dozen
   * fields with their names, that was 6 % of a first login's garbage.
   */
  private static ByteBuffer encode(String text) {
    return text == null ? ByteBuffer.wrap(EMPTY) : ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
  }

  private static String decode(ByteBuffer bytes) {
    if (bytes == null) {
      return null; // Lettuce's own codecs read a missing value as null
    }
    int length = bytes.remaining();
    if (bytes.hasArray()) {
      return new String(bytes.array(), bytes.arrayOffset() + bytes.position(), length, StandardCharsets.UTF_8);
    }
    // A virtual thread would keep an array of its own for one reply: a copy of its own is cheaper.
    byte[] copy = length <= SCRATCH_BYTES && !Thread.currentThread().isVirtual() ? scratch.get() : new byte[length];
    bytes.get(bytes.position(), copy, 0, length);
    return new String(copy, 0, length, StandardCharsets.UTF_8);
  }
}
