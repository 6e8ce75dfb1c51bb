package io.github.hotpool.pipeline.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The checkpoint's optional {@code batches}: written when known, read back, absent in older directories. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class CheckpointBatchesTest {

    static final String OLD = "{\"generation\":3,\"receipts\":10,\"receiptsBytes\":100,\"cycles\":1,\"chainBytes\":50,"
        + "\"openCycleBytes\":0,\"head\":\"" + "ab".repeat(32) + "\"}";

    static Checkpoint parse(String json) {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        return Checkpoint.parse(b, 0, b.length);
    }

    @Test
    void aCheckpointWithoutBatches_readsAsNotRecorded_andWritesNone() {
        Checkpoint old = parse(OLD);
        assertThat(old.batches()).isEqualTo(-1);
        assertThat(old.toJson().containsKey("batches")).isFalse();
    }

    @Test
    void batches_roundTrip_andCarryOverToTheNextCheckpoint() {
        Checkpoint c = parse(OLD).next(11, 120, 1, 50, 0, new byte[32], null, 2258);
        Checkpoint back = parse(c.toJson().encode());
        assertThat(back.batches()).isEqualTo(2258);
        assertThat(back.next(12, 130, 1, 50, 0, new byte[32], null).batches()).isEqualTo(2258);
    }

    @Test
    void aNegativeOrFractionalBatches_isRefusedNamingTheField() {
        assertThatThrownBy(() -> parse(OLD.replace("}", ",\"batches\":-2}"))).hasMessageContaining("batches");
        assertThatThrownBy(() -> parse(OLD.replace("}", ",\"batches\":1.5}"))).hasMessageContaining("batches");
    }
}
