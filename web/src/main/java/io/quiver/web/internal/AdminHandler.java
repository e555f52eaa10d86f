package io.quiver.web.internal;

import io.quiver.web.AdminService;
import io.quiver.web.ErrorCode;
import io.quiver.web.WebException;
import io.vertx.core.Future;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.CompletableFuture;

/**
 * {@code /api/admin/*}: cluster status and the few named mutations (move a shard replica, cancel a move, join a
 * node, decommission a node). Answers 501 when the node has no admin service (single-process server).
 */
final class AdminHandler {
  private final AdminService admin;

  AdminHandler(AdminService admin) {
    this.admin = admin;
  }

  void status(RoutingContext ctx) {
    reply(ctx, service().status().thenApply(WebCodec::object), 200);
  }

  void moveShard(RoutingContext ctx) {
    int shard = intParam(ctx.pathParam("id"), "id");
    JsonObject body = body(ctx);
    AdminService.MoveRequest req = new AdminService.MoveRequest(shard, body.getString("from"),
        body.getString("to"));
    reply(ctx, service().moveShard(req).thenApply(id -> new JsonObject().put("move", id)), 202);
  }

  void cancelMove(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    reply(ctx, service().cancelMove(id).thenApply(v -> new JsonObject().put("move", id)
        .put("status", "cancelling")), 202);
  }

  void addNode(RoutingContext ctx) {
    JsonObject body = body(ctx);
    AdminService.JoinRequest req = new AdminService.JoinRequest(body.getString("id"), body.getString("raft"),
        body.getString("http"), body.getString("flight"), body.getString("zone"));
    reply(ctx, service().addNode(req).thenApply(id -> new JsonObject().put("id", id)), 201);
  }

  void decommission(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    reply(ctx, service().decommission(id).thenApply(v -> new JsonObject().put("id", id)
        .put("state", "draining")), 202);
  }

  private AdminService service() {
    if (admin == null) {
      throw new WebException(ErrorCode.NOT_IMPLEMENTED, "this node serves no admin API");
    }
    return admin;
  }

  private static void reply(RoutingContext ctx, CompletableFuture<JsonObject> result, int status) {
    Future.fromCompletionStage(result, ctx.vertx().getOrCreateContext())
        .onSuccess(json -> ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
            .end(json.encode()))
        .onFailure(ctx::fail);
  }

  private static JsonObject body(RoutingContext ctx) {
    try {
      return WebCodec.parseObject(ctx.body().buffer());
    } catch (DecodeException | ClassCastException e) {
      // Translate: the body is not a JSON object.
      throw new WebException(ErrorCode.BAD_REQUEST, "body must be a JSON object [reason=" + e.getMessage() + "]");
    }
  }

  private static int intParam(String raw, String name) {
    try {
      return Integer.parseInt(raw);
    } catch (NumberFormatException e) {
      // Translate: a malformed path parameter.
      throw new WebException(ErrorCode.BAD_REQUEST, "not an integer [param=" + name + ", value="
          + LabelChecks.abbreviate(String.valueOf(raw)) + "]");
    }
  }
}
