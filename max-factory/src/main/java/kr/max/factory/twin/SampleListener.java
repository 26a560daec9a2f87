package kr.max.factory.twin;

/**
 * Receives every sample the simulator produces, in order: by simulated time, then by equipment and tag in the
 * asset model's order. Called on the simulation's thread; keep it short (hand the sample to a queue for slow work).
 * An exception thrown here stops the simulation step and reaches the caller of {@link LineSimulator#step()}.
 */
@FunctionalInterface
public interface SampleListener {

    void onSample(Sample sample);
}
