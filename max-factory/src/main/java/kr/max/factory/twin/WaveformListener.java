package kr.max.factory.twin;

/** Receives the raw vibration waveform of every equipment that has one (CNC spindles), block by block. */
@FunctionalInterface
public interface WaveformListener {

    void onWaveform(Waveform block);
}
