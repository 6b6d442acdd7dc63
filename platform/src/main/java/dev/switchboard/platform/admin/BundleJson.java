package dev.switchboard.platform.admin;

import dev.switchboard.platform.deploy.BundleDiagnosis;
import dev.switchboard.platform.deploy.BundleView;
import dev.switchboard.platform.deploy.MissingRequirement;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** The admin API's JSON for bundles: the documented shape of {@code /admin/bundles} and its diag. */
public final class BundleJson {

  private BundleJson() {
  }

  public static JsonArray of(List<BundleView> bundles) {
    return new JsonArray(bundles.stream().map(BundleJson::of).toList());
  }

  static JsonObject of(BundleView bundle) {
    JsonObject json = new JsonObject()
        .put("id", bundle.id())
        .put("name", bundle.name())
        .put("version", bundle.version())
        .put("state", bundle.state().name())
        .put("keys", bundle.keys());
    if (bundle.file() != null) {
      json.put("file", bundle.file());
    } else {
      json.put("location", bundle.location());
    }
    json.put("plugins", new JsonArray(bundle.plugins().stream()
        .map(p -> p.info().toJson().put("keys", p.keys())).toList()));
    json.put("problems", new JsonArray(bundle.problems()));
    return json;
  }

  static JsonObject of(BundleDiagnosis diagnosis) {
    return of(diagnosis.bundle())
        .put("resolved", diagnosis.resolved())
        .put("missing", new JsonArray(diagnosis.missing().stream().map(BundleJson::of).toList()))
        .put("message", diagnosis.message());
  }

  private static JsonObject of(MissingRequirement missing) {
    JsonObject json = new JsonObject().put("namespace", missing.namespace()).put("name", missing.name())
        .put("filter", missing.filter()).put("message", missing.message());
    if (missing.versionRange() != null) {
      json.put("versionRange", missing.versionRange());
    }
    return json;
  }
}
