package dev.switchboard.platform.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.encoder.EncoderBase;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

/**
 * {@code logging.format: json}: one JSON object a line, {@code {"time", "level", "logger", "thread", "message",
 * "plugin", "version", "callId", "key", "mdc", "exception"}}; {@code plugin} and {@code version} come from the MDC key
 * {@code plugin} ({@code name@version}, set around every plugin handler), {@code callId} and {@code key} from the keys
 * of the same names (set around keyed handlers). Absent values are left out.
 */
public final class JsonLogEncoder extends EncoderBase<ILoggingEvent> {

  private static final JsonFactory JSON = new JsonFactory();
  private static final byte[] NONE = new byte[0];

  @Override
  public byte[] headerBytes() {
    return NONE;
  }

  @Override
  public byte[] encode(ILoggingEvent event) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try (JsonGenerator json = JSON.createGenerator(out)) {
      json.writeStartObject();
      json.writeStringField("time", Instant.ofEpochMilli(event.getTimeStamp()).toString());
      json.writeStringField("level", event.getLevel().toString());
      json.writeStringField("logger", event.getLoggerName());
      json.writeStringField("thread", event.getThreadName());
      json.writeStringField("message", event.getFormattedMessage());
      Map<String, String> mdc = event.getMDCPropertyMap();
      String plugin = mdc.get("plugin");
      if (plugin != null) {
        int at = plugin.indexOf('@');
        json.writeStringField("plugin", at < 0 ? plugin : plugin.substring(0, at));
        if (at >= 0) {
          json.writeStringField("version", plugin.substring(at + 1));
        }
      }
      writeIf(json, "callId", mdc.get("callId"));
      writeIf(json, "key", mdc.get("key"));
      boolean others = mdc.keySet().stream().anyMatch(k -> !k.equals("plugin") && !k.equals("callId")
          && !k.equals("key"));
      if (others) {
        json.writeObjectFieldStart("mdc");
        for (Map.Entry<String, String> e : mdc.entrySet()) {
          if (!e.getKey().equals("plugin") && !e.getKey().equals("callId") && !e.getKey().equals("key")) {
            json.writeStringField(e.getKey(), e.getValue());
          }
        }
        json.writeEndObject();
      }
      IThrowableProxy thrown = event.getThrowableProxy();
      if (thrown != null) {
        json.writeStringField("exception", ThrowableProxyUtil.asString(thrown));
      }
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    out.write('\n');
    return out.toByteArray();
  }

  @Override
  public byte[] footerBytes() {
    return NONE;
  }

  private static void writeIf(JsonGenerator json, String field, String value) throws IOException {
    if (value != null) {
      json.writeStringField(field, value);
    }
  }

  /** The encoder's output for {@code event} as text, for tests. */
  static String line(ILoggingEvent event) {
    return new String(new JsonLogEncoder().encode(event), StandardCharsets.UTF_8);
  }
}
