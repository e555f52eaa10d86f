package io.quiver.node;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A small blocking client of a node's admin API, for the CLI. */
final class StatusClient {
  private final String baseUrl;
  private final Duration timeout;
  private final HttpClient http;

  StatusClient(String baseUrl, Duration timeout) {
    this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    this.timeout = timeout;
    this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
  }

  /** GET /api/admin/status; throws on transport errors and non-200 answers. */
  JsonObject status() throws IOException, InterruptedException {
    HttpResponse<String> r = send("GET", "/api/admin/status", null);
    if (r.statusCode() != 200) {
      throw new IOException("status answered HTTP " + r.statusCode() + ": " + r.body());
    }
    return new JsonObject(r.body());
  }

  /** Whether the node answers and every shard reports a leader; false on any error. */
  boolean allShardsLed() {
    try {
      JsonObject s = status();
      JsonArray shards = s.getJsonArray("shards");
      if (shards == null || shards.isEmpty()) {
        return false;
      }
      for (int i = 0; i < shards.size(); i++) {
        if (shards.getJsonObject(i).getString("leader") == null) {
          return false;
        }
      }
      return true;
    } catch (IOException | RuntimeException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Sends a request with an optional JSON body. */
  HttpResponse<String> send(String method, String path, String jsonBody) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(timeout);
    if (jsonBody == null) {
      b.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(jsonBody));
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
