package io.github.hotpool.core;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Options: original defaults, copies, and validation messages that name field, value and limit. */
class PoolOptionsTest {

    @Test
    void defaults_followTheOriginalDesign() {
        PoolOptions o = new PoolOptions();
        assertThat(o.getSoaBuffers()).isEqualTo(16);
        assertThat(o.getReceipts()).isEqualTo(1024);
        assertThat(SoaLayout.MAX_RUN_LEN).isEqualTo(8);
        assertThat(o.validate()).isSameAs(o);
    }

    @Test
    void copy_isEqualAndIndependent() {
        PoolOptions o = new PoolOptions().setSoaBuffers(3).setReceipts(9).setReceiptsPerBuffer(2).setName("x");
        PoolOptions copy = new PoolOptions(o);
        assertThat(copy).isEqualTo(o).hasSameHashCodeAs(o);
        copy.setSoaBuffers(4);
        assertThat(o.getSoaBuffers()).isEqualTo(3);
    }

    @Test
    void badValues_areRejectedNamingFieldValueAndLimit() {
        assertThatThrownBy(() -> new PoolOptions().setSoaBuffers(0).validate())
            .isInstanceOf(IllegalArgumentException.class).hasMessage("soaBuffers must be in [1, 1048576]: soaBuffers=0");
        assertThatThrownBy(() -> new PoolOptions().setReceipts(-1).validate())
            .hasMessage("receipts must be in [0, 4194304]: receipts=-1");
        assertThatThrownBy(() -> new PoolOptions().setReceipts(10).setReceiptsPerBuffer(11).validate())
            .hasMessage("receiptsPerBuffer must be in [0, receipts 10]: receiptsPerBuffer=11");
        assertThatThrownBy(() -> new PoolOptions().setName(" ").validate())
            .hasMessage("name must not be blank: name=' '");
        assertThatThrownBy(() -> new BufferPool(new PoolOptions().setSoaBuffers(-5)))
            .hasMessageContaining("soaBuffers=-5");
    }

    @Test
    void poolCopiesItsOptions() {
        PoolOptions o = new PoolOptions().setSoaBuffers(2);
        BufferPool pool = new BufferPool(o);
        o.setSoaBuffers(50);
        assertThat(pool.capacityUsage().soaBuffersTotal()).isEqualTo(2);
    }
}
