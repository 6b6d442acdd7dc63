package dev.switchboard.platform.plugin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ser.DefaultSerializerProvider;
import com.fasterxml.jackson.databind.type.TypeFactory;
import io.vertx.core.json.jackson.DatabindCodec;
import java.lang.reflect.Field;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Empties the caches of the Jackson mapper shared through Vert.x ({@code JsonObject.mapFrom} and
 * {@code mapTo}), which keep the classes of plugins they have seen and so would pin a removed bundle's
 * classloader. Called after a plugin stops. Emptying costs a few re-introspections of the platform's own
 * types; nothing else.
 */
final class JacksonCaches {

  private static final Logger LOG = LoggerFactory.getLogger(JacksonCaches.class);

  private JacksonCaches() {
  }

  static void flush() {
    ObjectMapper mapper = DatabindCodec.mapper();
    mapper.getTypeFactory().clearCache();
    TypeFactory.defaultInstance().clearCache();
    if (mapper.getSerializerProvider() instanceof DefaultSerializerProvider provider) {
      provider.flushCachedSerializers();
    }
    // Deserializers have no public flush: the mapper's root-deserializer map and the context's cache.
    try {
      clearMap(ObjectMapper.class, mapper, "_rootDeserializers");
      Object cache = field(com.fasterxml.jackson.databind.DeserializationContext.class, "_cache")
          .get(mapper.getDeserializationContext());
      cache.getClass().getMethod("flushCachedDeserializers").invoke(cache);
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.warn("Could not empty Jackson's deserializer caches ({}); an old plugin version's classes may stay in "
          + "memory until restart", e.toString());
    }
  }

  private static void clearMap(Class<?> owner, Object target, String name) throws ReflectiveOperationException {
    ((Map<?, ?>) field(owner, name).get(target)).clear();
  }

  private static Field field(Class<?> owner, String name) throws NoSuchFieldException {
    Field field = owner.getDeclaredField(name);
    field.setAccessible(true);
    return field;
  }
}
