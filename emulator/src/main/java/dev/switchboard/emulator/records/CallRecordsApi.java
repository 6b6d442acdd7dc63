package dev.switchboard.emulator.records;

import dev.switchboard.emulator.http.GraphException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Graph's routes under {@code /v1.0/communications/callRecords} (graph-reference §7): get a record
 * (optionally with {@code $expand=sessions($expand=segments)}), list its sessions, and the
 * {@code getPstnCalls} and {@code getDirectRoutingCalls} functions.
 *
 * <p>Expanded and listed sessions come {@value #SESSION_PAGE} a page with an {@code @odata.nextLink}
 * ({@code sessions@odata.nextLink} in an expanded record) carrying {@code $skiptoken}; the
 * functions' rows {@value #ROW_PAGE} a page with {@code $skip}, for a range of at most 90 days.
 */
final class CallRecordsApi {

  static final int SESSION_PAGE = 20;
  static final int ROW_PAGE = 1000;
  static final Duration MAX_RANGE = Duration.ofDays(90);
  private static final String ROOT = "/v1.0/communications/callRecords";
  private static final String NS = "microsoft.graph.callRecords.";

  private final CallRecordsModule records;

  CallRecordsApi(CallRecordsModule records) {
    this.records = records;
  }

  void mount(Router router) {
    router.get(ROOT + "/:id").handler(this::getRecordOrFunction);
    router.get(ROOT + "/:id/sessions").handler(this::listSessions);
  }

  private void getRecordOrFunction(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    String name = id.contains("(") ? id.substring(0, id.indexOf('(')).replaceFirst("^" + NS.replace(".", "\\."), "") : null;
    if ("getPstnCalls".equals(name)) {
      rows(ctx, id, "pstnCallLogRow", false);
      return;
    }
    if ("getDirectRoutingCalls".equals(name)) {
      rows(ctx, id, "directRoutingLogRow", true);
      return;
    }
    if (name != null) {
      throw GraphException.badRequest("Resource not found for the segment '" + name + "'.");
    }
    CallRecord r = records.available(id);
    String expand = ctx.request().getParam("$expand");
    JsonObject out = RecordJson.record(r);
    if (expand == null) {
      out.put("@odata.context", records.baseUrl + "/v1.0/$metadata#communications/callRecords/$entity");
      record(ctx, r, out);
      return;
    }
    String e = expand.replace(" ", "");
    boolean segments;
    if (e.equals("sessions")) {
      segments = false;
    } else if (e.equals("sessions($expand=segments)")) {
      segments = true;
    } else {
      throw GraphException.badRequest("Parsing OData Select and Expand failed: Could not find a property named '"
          + e.replaceFirst("\\(.*", "") + "' on type 'microsoft.graph.callRecords.callRecord'; expand sessions or"
          + " sessions($expand=segments).");
    }
    out.put("@odata.context", records.baseUrl + "/v1.0/$metadata#communications/callRecords("
        + (segments ? "sessions(segments())" : "sessions()") + ")/$entity");
    out.put("sessions@odata.context", records.baseUrl + "/v1.0/$metadata#communications/callRecords('" + r.id()
        + "')/sessions" + (segments ? "(segments())" : ""));
    Page page = page(r, 0, segments);
    out.put("sessions", page.sessions);
    if (page.next != null) {
      out.put("sessions@odata.nextLink", page.next);
    }
    record(ctx, r, out);
  }

  private void listSessions(RoutingContext ctx) {
    CallRecord r = records.available(ctx.pathParam("id"));
    String expand = ctx.request().getParam("$expand");
    if (expand != null && !expand.trim().equals("segments")) {
      throw GraphException.badRequest("Parsing OData Select and Expand failed: Could not find a property named '"
          + expand.trim() + "' on type 'microsoft.graph.callRecords.session'; expand segments.");
    }
    String token = ctx.request().getParam("$skiptoken");
    int skip = offset(token, "Invalid $skiptoken '" + token + "': use the @odata.nextLink as given.");
    Page page = page(r, skip, expand != null);
    JsonObject out = new JsonObject()
        .put("@odata.context", records.baseUrl + "/v1.0/$metadata#communications/callRecords('" + r.id() + "')/sessions")
        .put("value", page.sessions);
    if (page.next != null) {
      out.put("@odata.nextLink", page.next);
    }
    json(ctx, out);
  }

  private record Page(JsonArray sessions, String next) {
  }

  private Page page(CallRecord r, int skip, boolean segments) {
    JsonArray out = new JsonArray();
    List<Session> all = r.sessions();
    String segmentsContext = records.baseUrl + "/v1.0/$metadata#communications/callRecords('" + r.id() + "')/sessions('%s')/segments";
    for (int i = skip; i < Math.min(all.size(), skip + SESSION_PAGE); i++) {
      Session s = all.get(i);
      out.add(RecordJson.session(s, segments ? segmentsContext.formatted(s.id()) : null));
    }
    String next = skip + SESSION_PAGE < all.size()
        ? records.baseUrl + ROOT + "/" + r.id() + "/sessions?" + (segments ? "$expand=segments&" : "")
            + "$skiptoken=" + (skip + SESSION_PAGE)
        : null;
    return new Page(out, next);
  }

  /** A non-negative integer query value ($skiptoken, $skip); 0 when absent. */
  private static int offset(String value, String error) {
    if (value == null) {
      return 0;
    }
    try {
      int n = Integer.parseInt(value);
      if (n >= 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw GraphException.badRequest(error);
  }

  // ---------------------------------------------------------------- getPstnCalls, getDirectRoutingCalls

  private void rows(RoutingContext ctx, String call, String rowType, boolean directRouting) {
    String function = call.substring(0, call.indexOf('('));
    if (!call.endsWith(")")) {
      throw GraphException.badRequest("Malformed function call '" + call + "': expected " + function
          + "(fromDateTime=...,toDateTime=...).");
    }
    Instant from = null;
    Instant to = null;
    for (String arg : call.substring(call.indexOf('(') + 1, call.length() - 1).split(",")) {
      String[] kv = arg.split("=", 2);
      if (kv.length != 2) {
        throw GraphException.badRequest("Malformed parameter '" + arg + "' of " + function + ".");
      }
      switch (kv[0].trim()) {
        case "fromDateTime" -> from = date(kv[0], kv[1]);
        case "toDateTime" -> to = date(kv[0], kv[1]);
        default -> throw GraphException.badRequest("The parameter '" + kv[0].trim() + "' is not in scope of "
            + function + "; it takes fromDateTime and toDateTime.");
      }
    }
    if (from == null || to == null) {
      throw GraphException.badRequest("The function '" + function + "' needs both fromDateTime and toDateTime.");
    }
    if (!to.isAfter(from)) {
      throw GraphException.badRequest("toDateTime must be after fromDateTime.");
    }
    if (Duration.between(from, to).compareTo(MAX_RANGE) > 0) {
      throw new GraphException(400, "BadRequest", "The date range between fromDateTime and toDateTime cannot exceed"
          + " 90 days; requested " + Duration.between(from, to).toDays() + " days.");
    }
    String skipText = ctx.request().getParam("$skip");
    int skip = offset(skipText, "Invalid value '" + skipText + "' for $skip: a non-negative integer is expected.");
    List<JsonObject> all = new ArrayList<>();
    for (CallRecord r : records.availableRecords()) {
      if (r.directRouting() == directRouting && !r.start().isBefore(from) && r.start().isBefore(to)) {
        for (String number : r.phoneNumbers()) {
          all.add(directRouting ? directRoutingRow(r, number) : pstnRow(r, number));
        }
      }
    }
    JsonArray value = new JsonArray();
    all.subList(Math.min(skip, all.size()), Math.min(all.size(), skip + ROW_PAGE)).forEach(value::add);
    JsonObject out = new JsonObject()
        .put("@odata.context", records.baseUrl + "/v1.0/$metadata#Collection(" + NS + rowType + ")")
        .put("@odata.count", all.size())
        .put("value", value);
    if (skip + ROW_PAGE < all.size()) {
      out.put("@odata.nextLink", records.baseUrl + ROOT + "/" + call + "?$skip=" + (skip + ROW_PAGE));
    }
    json(ctx, out);
  }

  private static Instant date(String name, String value) {
    String v = value.trim().replaceAll("^'|'$", "");
    try {
      if (v.length() == 10) {
        return LocalDate.parse(v).atStartOfDay(ZoneOffset.UTC).toInstant();
      }
      return OffsetDateTime.parse(v).toInstant();
    } catch (DateTimeParseException e) {
      throw GraphException.badRequest("The value '" + value + "' of " + name.trim() + " is not a valid"
          + " Edm.DateTimeOffset, such as 2019-11-01 or 2019-11-01T00:00:00Z.");
    }
  }

  private JsonObject pstnRow(CallRecord r, String number) {
    String bot = records.botName();
    long duration = Duration.between(r.start(), r.end()).toSeconds();
    return new JsonObject()
        .put("id", UUID.nameUUIDFromBytes((r.id() + number).getBytes()).toString())
        .put("callId", r.id())
        .put("userId", records.botInstanceId())
        .put("userPrincipalName", records.botInstanceId() + "@" + records.tenantDomain())
        .put("userDisplayName", bot)
        .put("startDateTime", r.start().toString())
        .put("endDateTime", r.end().toString())
        .put("duration", duration)
        .put("charge", 0.0)
        .put("callType", r.incoming() ? "ucap_in" : "ucap_out")
        .put("currency", "USD")
        .put("calleeNumber", r.incoming() ? records.botPhone() : number)
        .put("usageCountryCode", "US")
        .put("tenantCountryCode", "US")
        .put("connectionCharge", 0.0)
        .put("callerNumber", r.incoming() ? number : records.botPhone())
        .put("destinationContext", null)
        .put("destinationName", "United States")
        .put("conferenceId", null)
        .put("licenseCapability", "MCOPSTNU")
        .put("inventoryType", "Service")
        .put("operator", "Microsoft")
        .put("callDurationSource", "microsoft");
  }

  private JsonObject directRoutingRow(CallRecord r, String number) {
    long duration = Duration.between(r.start(), r.end()).toSeconds();
    return new JsonObject()
        .put("id", UUID.nameUUIDFromBytes((r.id() + number).getBytes()).toString())
        .put("correlationId", r.id())
        .put("userId", records.botInstanceId())
        .put("userPrincipalName", records.botInstanceId() + "@" + records.tenantDomain())
        .put("userDisplayName", records.botName())
        .put("startDateTime", r.start().toString())
        .put("inviteDateTime", r.start().minusSeconds(3).toString())
        .put("failureDateTime", "0001-01-01T00:00:00Z")
        .put("endDateTime", r.end().toString())
        .put("duration", duration)
        .put("callType", r.incoming() ? "ByotInUcap" : "ByotOutUcap")
        .put("successfulCall", true)
        .put("callerNumber", r.incoming() ? number : records.botPhone())
        .put("calleeNumber", r.incoming() ? records.botPhone() : number)
        .put("mediaPathLocation", "USWE")
        .put("signalingLocation", "USWE")
        .put("finalSipCode", 0)
        .put("callEndSubReason", 540000)
        .put("finalSipCodePhrase", "BYE")
        .put("trunkFullyQualifiedDomainName", "sbc.contoso.example")
        .put("mediaBypassEnabled", false);
  }

  private static void json(RoutingContext ctx, JsonObject body) {
    ctx.response().setStatusCode(200).putHeader("Content-Type", "application/json").end(body.encode());
  }

  /** The record's JSON, or the broken body the control API asked for ({@link MalformedBody}). */
  private void record(RoutingContext ctx, CallRecord r, JsonObject body) {
    MalformedBody broken = records.malformed(r.id());
    if (broken == null) {
      json(ctx, body);
    } else {
      ctx.response().setStatusCode(200).putHeader("Content-Type", "application/json").end(broken.render(body));
    }
  }
}
