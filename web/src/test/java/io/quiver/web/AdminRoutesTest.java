package io.quiver.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.quiver.raft.ErrorCode;
import io.quiver.raft.RaftException;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Admin routes against a scripted {@link AdminService}: bodies parsed, results rendered, raft codes mapped. */
class AdminRoutesTest {
  private final List<String> calls = new CopyOnWriteArrayList<>();
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private Vertx vertx;
  private WebServer server;
  private String base;

  private final AdminService admin = new AdminService() {
    @Override
    public CompletableFuture<Map<String, Object>> status() {
      return CompletableFuture.completedFuture(Map.of("clusterId", "c1", "shards", List.of(Map.of("shard", 0))));
    }

    @Override
    public CompletableFuture<String> moveShard(MoveRequest request) {
      calls.add("move " + request);
      if (request.shard() == 99) {
        return CompletableFuture.failedFuture(new RaftException(ErrorCode.SHARD_NOT_FOUND, "no such shard"));
      }
      return CompletableFuture.completedFuture("7");
    }

    @Override
    public CompletableFuture<Void> cancelMove(String moveId) {
      calls.add("cancel " + moveId);
      return CompletableFuture.failedFuture(new RaftException(ErrorCode.CONFLICT, "past the point of no return"));
    }

    @Override
    public CompletableFuture<String> addNode(JoinRequest request) {
      calls.add("join " + request);
      return CompletableFuture.completedFuture(request.id());
    }

    @Override
    public CompletableFuture<Void> decommission(String nodeId) {
      calls.add("decommission " + nodeId);
      return CompletableFuture.completedFuture(null);
    }
  };

  @BeforeEach
  void setUp() {
    MemoryStore store = new MemoryStore();
    vertx = Vertx.vertx();
    server = WebServer.create(vertx, WebConfigKeys.read(Map.of(WebConfigKeys.BIND_HOST.name(), "127.0.0.1")),
        WebServices.of(store, store).withAdmin(admin));
    base = "http://127.0.0.1:" + server.start(0).join();
  }

  @AfterEach
  void tearDown() {
    server.close();
    vertx.close().toCompletionStage().toCompletableFuture().join();
  }

  private HttpResponse<String> send(String method, String path, String body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(base + path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
        .build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void shouldServeStatusAndMutationsWithStableErrorCodes() throws Exception {
    HttpResponse<String> status = send("GET", "/api/admin/status", null);
    assertThat(status.statusCode()).isEqualTo(200);
    assertThat(status.body()).contains("\"clusterId\":\"c1\"");

    HttpResponse<String> move = send("POST", "/api/admin/shards/3/move", "{\"from\":\"n1\",\"to\":\"n4\"}");
    assertThat(move.statusCode()).isEqualTo(202);
    assertThat(move.body()).isEqualTo("{\"move\":\"7\"}");
    assertThat(calls).contains("move MoveRequest[shard=3, fromNode=n1, toNode=n4]");

    assertThat(send("POST", "/api/admin/shards/99/move", "{\"to\":\"n4\"}").statusCode()).isEqualTo(404);
    assertThat(send("POST", "/api/admin/shards/x/move", "{\"to\":\"n4\"}").statusCode()).isEqualTo(400);
    assertThat(send("POST", "/api/admin/shards/1/move", "{}").statusCode()).isEqualTo(400);
    assertThat(send("POST", "/api/admin/shards/1/move", "not json").statusCode()).isEqualTo(400);

    HttpResponse<String> cancel = send("POST", "/api/admin/moves/7/cancel", null);
    assertThat(cancel.statusCode()).isEqualTo(409);
    assertThat(cancel.body()).contains("\"code\":\"raft.conflict\"");

    HttpResponse<String> join = send("POST", "/api/admin/nodes",
        "{\"id\":\"n4\",\"raft\":\"127.0.0.1:9002\",\"http\":\"127.0.0.1:9000\",\"flight\":\"127.0.0.1:9001\"}");
    assertThat(join.statusCode()).isEqualTo(201);
    assertThat(join.body()).isEqualTo("{\"id\":\"n4\"}");
    assertThat(send("POST", "/api/admin/nodes", "{\"id\":\"n5\"}").statusCode()).isEqualTo(400);

    assertThat(send("POST", "/api/admin/nodes/n2/decommission", null).statusCode()).isEqualTo(202);
    assertThat(calls).contains("decommission n2");
  }
}
