package dev.userfabric.adapter.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.lettuce.core.codec.StringCodec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/** Reads every reply as Lettuce's own UTF-8 codec does, from the buffers Netty hands it. */
class Utf8CodecTest {

  private static final List<String> TEXTS = List.of("", "user:00:id", "Zoë Ångström 李小龍 🙂",
      "x".repeat(4096), "é".repeat(5000), "\u0000 control \u0007 and \uFFFD");

  @Test
  void decodesDirectAndHeapBuffersAsStringCodecDoes() {
    for (String text : TEXTS) {
      for (ByteBuffer buffer : buffersHolding(text)) {
        int position = buffer.position();
        assertEquals(StringCodec.UTF8.decodeValue(buffer.duplicate()), Utf8Codec.INSTANCE.decodeValue(buffer));
        assertEquals(text, Utf8Codec.INSTANCE.decodeKey(buffer));
        assertEquals(position, buffer.position(), "the buffer is left as it was");
      }
    }
  }

  @Test
  void aShortReplyAfterALongOneIsNotMixedWithIt() {
    assertEquals("é".repeat(1000), Utf8Codec.INSTANCE.decodeValue(direct("é".repeat(1000))));
    assertEquals("ab", Utf8Codec.INSTANCE.decodeValue(direct("ab")));
  }

  @Test
  void decodesOnVirtualThreadsToo() throws Exception {
    try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
      assertEquals("Zoë", threads.submit(() -> Utf8Codec.INSTANCE.decodeValue(direct("Zoë"))).get());
    }
  }

  @Test
  void encodesAsStringCodecDoes() {
    // A lone surrogate cannot be encoded: both write a '?' for it.
    for (String text : java.util.stream.Stream.concat(TEXTS.stream(), java.util.stream.Stream.of("a lone \uD800 surrogate")).toList()) {
      assertEquals(StringCodec.UTF8.encodeValue(text), Utf8Codec.INSTANCE.encodeValue(text));
      assertEquals(StringCodec.UTF8.encodeKey(text), Utf8Codec.INSTANCE.encodeKey(text));
    }
    assertEquals(StringCodec.UTF8.encodeValue(null), Utf8Codec.INSTANCE.encodeValue(null));
  }

  /** The text alone in a direct buffer, in a slice of a larger one, and in a heap buffer with an offset. */
  private static List<ByteBuffer> buffersHolding(String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    ByteBuffer padded = ByteBuffer.allocateDirect(bytes.length + 10);
    padded.position(3).put(bytes).position(3).limit(3 + bytes.length);
    ByteBuffer heap = ByteBuffer.wrap(new byte[bytes.length + 7], 5, bytes.length).slice();
    heap.put(bytes).flip();
    return List.of(direct(text), padded, heap);
  }

  private static ByteBuffer direct(String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
  }
}
