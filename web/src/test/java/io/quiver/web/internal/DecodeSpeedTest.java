package io.quiver.web.internal;

import io.quiver.web.WebConfig;
import io.quiver.web.bench.IngestBench;
import java.net.URI;
import org.junit.jupiter.api.Test;

class DecodeSpeedTest {
  @Test
  void shouldReportDecodeThroughputWhenAsked() {
    if (!Boolean.getBoolean("quiver.speed")) {
      return;
    }
    IngestBench b = new IngestBench(new IngestBench.Options(URI.create("http://x/"), 100_000, 2_000_000, 10_000, 1,
        10_000, 1, 1), 1_700_000_000_000L);
    byte[][] payloads = new byte[20][];
    for (int i = 0; i < payloads.length; i++) {
      payloads[i] = b.payload(i);
    }
    RemoteWriteAdapter a = new RemoteWriteAdapter(WebConfig.defaults());
    // Prints decode throughput (-Dquiver.speed=true); rounds after the first hit the label cache.
    for (int round = 0; round < 8; round++) {
      long t0 = System.nanoTime();
      long cpu0 = java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
      long n = 0;
      RemoteWriteAdapter use = round % 2 == 0 ? new RemoteWriteAdapter(WebConfig.defaults()) : a;
      for (int rep = 0; rep < 2; rep++) {
        for (byte[] p : payloads) {
          n += use.decode(p, p.length, RemoteWriteAdapter.Version.V1).samples();
        }
      }
      double s = (System.nanoTime() - t0) / 1e9;
      double cpu = (java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpu0) / 1e9;
      System.out.printf((round % 2 == 0 ? "cold " : "warm ") + "decode: %d samples in %.3f s = %.0f samples/s, %.0f samples per CPU-second (payload %d bytes)%n", n, s,
          n / s, n / cpu,
          payloads[0].length);
    }
  }
}
