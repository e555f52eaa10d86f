package io.quiver.flight.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quiver.flight.ErrorCode;
import io.quiver.flight.FlightException;
import io.quiver.flight.ReadConsistency;
import io.quiver.flight.ReadOptions;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class TicketCodecTest {
  private static final ReadTicket TICKET = new ReadTicket("cluster-ü", 16, 7, List.of("up{job=\"x\"}", "cpu"),
      -5, Long.MAX_VALUE, new ReadOptions(ReadConsistency.FOLLOWER, 1234), List.of("__name__", "job"));

  @Test
  void shouldRoundTripEveryField() {
    assertThat(TicketCodec.decode(TicketCodec.encode(TICKET))).isEqualTo(TICKET);
  }

  @Test
  void shouldRejectTruncatedTicketsAsUnknown() {
    byte[] bytes = TicketCodec.encode(TICKET);
    for (int len = 0; len < bytes.length; len++) {
      byte[] cut = Arrays.copyOf(bytes, len);
      assertThatThrownBy(() -> TicketCodec.decode(cut))
          .isInstanceOfSatisfying(FlightException.class, e -> assertThat(e.code()).isEqualTo(
              ErrorCode.UNKNOWN_TICKET));
    }
  }

  @Property(tries = 200)
  void shouldRejectAnySingleBitFlip(@ForAll int position, @ForAll byte mask) {
    byte[] bytes = TicketCodec.encode(TICKET);
    int i = Math.floorMod(position, bytes.length);
    byte m = mask == 0 ? 1 : mask;
    bytes[i] ^= m;
    assertThatThrownBy(() -> TicketCodec.decode(bytes))
        .isInstanceOfSatisfying(FlightException.class, e -> assertThat(e.code()).isEqualTo(
            ErrorCode.UNKNOWN_TICKET));
  }
}
