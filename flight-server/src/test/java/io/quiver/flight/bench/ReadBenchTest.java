package io.quiver.flight.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.arrow.flight.Location;
import org.junit.jupiter.api.Test;

class ReadBenchTest {
  @Test
  void shouldShareOneClientKeyWhenGrpcAndGrpcTcpNameTheSameServer() {
    URI a = ReadBench.clientKey(new Location(URI.create("grpc://127.0.0.1:19301")));
    URI b = ReadBench.clientKey(Location.forGrpcInsecure("127.0.0.1", 19301));

    assertThat(a).isEqualTo(b);
    assertThat(ReadBench.clientKey(Location.forGrpcInsecure("127.0.0.1", 19311))).isNotEqualTo(a);
  }

  @Test
  void shouldWriteCommandJsonWithNumericTimesAsNumbers() {
    ReadBench.Options o = new ReadBench.Options(URI.create("grpc://127.0.0.1:1"), List.of("up"), "1000", "now-1h",
        2, "follower");

    assertThat(new String(ReadBench.command(o), StandardCharsets.UTF_8))
        .isEqualTo("{\"match\":[\"up\"],\"start\":1000,\"end\":\"now-1h\",\"consistency\":\"follower\"}");
  }

  @Test
  void shouldPrintTheFinalLineInTheIssueFormat() {
    ReadBench.Result r = new ReadBench.Result(5_000_000, 160_000_000, 16, 2_000_000_000L, 100_000_000L,
        50_000_000L, 30_000_000L);

    assertThat(r.line()).isEqualTo("read samples=5000000 samples_per_s=2500000 bytes_per_s=80000000 "
        + "first_batch_ms=100.0");
    assertThat(r.phases()).isEqualTo("phases endpoints=16 connect_ms=30.0 plan_ms=50.0 first_batch_ms=100.0 "
        + "elapsed_ms=2000.0");
  }
}
