package io.quiver.web;

/**
 * Stable error codes of the web module. Every code is mapped to an HTTP status by exactly one switch (with no
 * {@code default}) in {@code io.quiver.web.internal.ErrorMapper}; the id is what clients see in the JSON body
 * {@code {"code": "...", "message": "..."}}.
 */
public enum ErrorCode {
  /** The request is malformed (body, parameters, labels, samples); retrying the same request fails again. */
  BAD_REQUEST("web.bad_request", false),
  /** The Content-Type or Content-Encoding is not supported on this route. */
  UNSUPPORTED_MEDIA_TYPE("web.unsupported_media_type", false),
  /** The body, its decompressed form, or its series/sample count exceeds a configured limit. */
  PAYLOAD_TOO_LARGE("web.payload_too_large", false),
  /** A read would return more than the configured number of samples; narrow the selector or time range. */
  QUERY_TOO_LARGE("web.query_too_large", false),
  /** No such route or resource. */
  NOT_FOUND("web.not_found", false),
  /** The route exists but not for this HTTP method. */
  METHOD_NOT_ALLOWED("web.method_not_allowed", false),
  /** The node is over its in-flight ingest byte budget; retry after the advertised delay. */
  OVERLOADED("web.overloaded", true),
  /** A shard (or the node) cannot serve the request now, e.g. no quorum; retry. */
  UNAVAILABLE("web.unavailable", true),
  /** The deadline passed; the outcome of a write is unknown (it may or may not have been committed). */
  TIMEOUT("web.timeout", true),
  /** The route is not wired on this node (e.g. no admin service in a single-process server). */
  NOT_IMPLEMENTED("web.not_implemented", false),
  /** A bug or broken invariant. */
  INTERNAL("web.internal", false);

  private final String id;
  private final boolean retryable;

  ErrorCode(String id, boolean retryable) {
    this.id = id;
    this.retryable = retryable;
  }

  /** Stable identifier, safe to show to clients and to match on. */
  public String id() {
    return id;
  }

  /** Whether retrying the same request may succeed. */
  public boolean retryable() {
    return retryable;
  }
}
