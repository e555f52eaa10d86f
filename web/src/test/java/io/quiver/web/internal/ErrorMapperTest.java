package io.quiver.web.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.quiver.columnar.StoreException;
import io.quiver.index.IndexException;
import io.quiver.raft.RaftException;
import io.quiver.web.ErrorCode;
import io.quiver.web.WebException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class ErrorMapperTest {
  @Test
  void shouldMapEveryCodeOfEveryModuleAndNeverAnswer429() {
    for (ErrorCode c : ErrorCode.values()) {
      ErrorMapper.HttpError e = ErrorMapper.map(new WebException(c, "x"));
      assertThat(e.code()).isEqualTo(c.id());
      assertThat(e.status()).isBetween(400, 599).isNotEqualTo(429);
      assertThat(e.status() == 503).isEqualTo(c.retryable());
    }
    for (io.quiver.raft.ErrorCode c : io.quiver.raft.ErrorCode.values()) {
      assertThat(ErrorMapper.map(new RaftException(c, "x")).status()).isBetween(400, 599).isNotEqualTo(429);
    }
    for (io.quiver.index.ErrorCode c : io.quiver.index.ErrorCode.values()) {
      assertThat(ErrorMapper.map(new IndexException(c, "x")).status()).isBetween(400, 599);
    }
    for (io.quiver.columnar.ErrorCode c : io.quiver.columnar.ErrorCode.values()) {
      assertThat(ErrorMapper.map(new StoreException(c, "x")).status()).isBetween(400, 599);
    }
  }

  @Test
  void shouldMapOverloadNoQuorumAndTimeoutTo503() {
    assertThat(ErrorMapper.map(new RaftException(io.quiver.raft.ErrorCode.OVERLOADED, "x")).status()).isEqualTo(503);
    assertThat(ErrorMapper.map(new RaftException(io.quiver.raft.ErrorCode.UNAVAILABLE, "x")).status()).isEqualTo(503);
    assertThat(ErrorMapper.map(new java.util.concurrent.TimeoutException("t")).code()).isEqualTo("web.timeout");
    assertThat(ErrorMapper.map(new java.util.concurrent.TimeoutException("t")).retryAfter()).isTrue();
  }

  @Test
  void shouldUnwrapCompletionExceptionsAndTreatUnknownTypesAsBugs() {
    assertThat(ErrorMapper.map(new CompletionException(new WebException(ErrorCode.BAD_REQUEST, "b"))).status())
        .isEqualTo(400);
    ErrorMapper.HttpError bug = ErrorMapper.map(new NullPointerException("npe"));
    assertThat(bug.status()).isEqualTo(500);
    assertThat(bug.code()).isEqualTo("web.internal");
    assertThat(ErrorMapper.fromStatus(413).code()).isEqualTo("web.payload_too_large");
    assertThat(ErrorMapper.fromStatus(404).status()).isEqualTo(404);
  }
}
