package kr.max.factory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import kr.max.factory.assets.AssetModel;
import kr.max.factory.assets.TagPath;
import kr.max.factory.twin.LineSimulator;
import kr.max.factory.twin.Sample;
import kr.max.factory.twin.SampleListener;
import kr.max.factory.twin.SimulationSettings;

/** The demo line as a twin for protocol tests, and a thread-safe sample collector. */
public final class Twins {

    public static final AssetModel DEMO = AssetModel.demoLine();

    /** The demo line with a low vibration rate: protocol tests need the tags, not the raw waveform's cost. */
    public static LineSimulator demo(long seed) {
        return LineSimulator.create(DEMO, seed, SimulationSettings.defaults().withVibrationSampleRate(1000));
    }

    public static TagPath tag(String path) {
        return TagPath.parse(path);
    }

    /** Collects samples from any thread. */
    public static final class Collector implements SampleListener {
        private final ConcurrentLinkedQueue<Sample> samples = new ConcurrentLinkedQueue<>();

        @Override
        public void onSample(Sample s) {
            samples.add(s);
        }

        public int size() {
            return samples.size();
        }

        public List<Sample> all() {
            return new ArrayList<>(samples);
        }

        public List<Sample> of(TagPath tag) {
            return samples.stream().filter(s -> s.tag().equals(tag)).toList();
        }

        public void clear() {
            samples.clear();
        }

        /** By equipment, then sequence, then tag: the order a comparison of two streams wants. */
        public List<Sample> sorted() {
            var l = all();
            l.sort(Comparator.comparing((Sample s) -> s.tag().equipment().toString()).thenComparingLong(Sample::sequence)
                    .thenComparing(s -> s.tag().tag()));
            return l;
        }
    }

    private Twins() {
    }
}
