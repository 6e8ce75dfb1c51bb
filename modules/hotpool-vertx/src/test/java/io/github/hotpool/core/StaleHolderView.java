package io.github.hotpool.core;

/**
 * Test fixture: makes a handle's holder-side lease flag say what a thread without happens-before
 * on the release might see, while the pool's slot state stays exact. Lives in the core's package
 * because that flag is package-private; used to prove the binding's leak watch does not trust it.
 */
public final class StaleHolderView {

    private StaleHolderView() {
    }

    /** Sets what {@link SoaBuffer#isReleased()} answers, leaving the slot's lease state alone. */
    public static void looksReleased(SoaBuffer b, boolean released) {
        b.leased = !released;
    }
}
