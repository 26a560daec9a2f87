package kr.max.models.vibration;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import kr.max.core.Location;
import kr.max.core.MaxException;
import kr.max.core.dictionary.ColumnRole;
import kr.max.models.Frame;
import kr.max.models.Metrics;
import kr.max.models.ModelCard;
import kr.max.models.ModelError;
import kr.max.models.ModelType;
import kr.max.models.Params;
import kr.max.models.TrainedModel;
import kr.max.models.Training;

/**
 * Vibration fault diagnosis ({@code vibration-gbm}): classifies windows of a vibration signal into fault
 * classes (normal, inner race, ball, outer race, …) from spectral and envelope-spectrum features with
 * gradient-boosted trees.
 *
 * <p>Data: one row per vibration sample; the {@code asset} column names the record (a sensor on one
 * machine, one recording), the {@code timestamp} column orders samples within it (a sample index or a
 * time), each numeric {@code measurement} column is a channel (acceleration, say), and the {@code label}
 * column gives the fault class. Samples of a record must be consecutive at {@code sample_rate_hz}.
 *
 * <p>Windows of {@code window} samples are taken every {@code step} samples from each record's start.
 * Features per window and channel: RMS, peak, crest factor, kurtosis, skewness and shape factors of the
 * time signal; log energies of {@code bands} spectrum bands (linear or log spaced), spectral centroid,
 * spread and entropy; the envelope of the band {@code envelope_low_hz}–{@code envelope_high_hz} (Hilbert
 * transform by FFT) and how far its spectrum stands out at the shaft, cage (FTF), ball spin (BSF), outer-
 * race (BPFO) and inner-race (BPFI) frequencies and {@code harmonics} harmonics of each, computed from the
 * shaft speed and bearing geometry parameters, plus {@code envelope_bands} envelope-spectrum bands up to
 * {@code envelope_max_hz}. The defaults describe the CWRU drive-end bearing (SKF 6205-2RS JEM) at 1797 rpm
 * sampled at 12 kHz.
 *
 * <p>Split: the first {@code train_fraction} (default 0.5) of each record's samples train and the rest
 * test; no window straddles the cut. Random splits of overlapping windows let nearly identical windows
 * fall on both sides and overstate accuracy (Zhao et al., ISA Transactions 107, 2020), so this type never
 * makes one.
 */
public final class VibrationDiagnosis implements ModelType {

    /** The type's identifier. */
    public static final String ID = "vibration-gbm";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String titleKo() {
        return "진동 고장 진단 (스펙트럼·포락선 특징, 부스팅 트리)";
    }

    @Override
    public String titleEn() {
        return "Vibration fault diagnosis (spectral and envelope features, boosted trees)";
    }

    @Override
    public List<ColumnRole> requires() {
        return List.of(ColumnRole.TIMESTAMP, ColumnRole.LABEL);
    }

    @Override
    public Params defaults() {
        var d = new LinkedHashMap<String, Object>();
        d.put("window", 2048);
        d.put("step", 512);
        d.put("sample_rate_hz", 12000.0);
        d.put("train_fraction", 0.5);
        d.put("bands", 32);
        d.put("band_spacing", "linear");
        d.put("envelope_low_hz", 1000.0);
        d.put("envelope_high_hz", 6000.0);
        d.put("envelope_max_hz", 1000.0);
        d.put("envelope_bands", 10);
        d.put("harmonics", 3);
        d.put("shaft_rpm", 1797.0);
        d.put("balls", 9);
        d.put("ball_diameter", 0.3126);
        d.put("pitch_diameter", 1.537);
        d.put("contact_angle_deg", 0.0);
        d.put("normal_label", "Normal");
        d.put("rounds", 150);
        d.put("max_depth", 4);
        d.put("learning_rate", 0.1);
        d.put("threads", 1);
        return Params.of(d);
    }

    @Override
    public Training train(Frame data, Params params, long seed) {
        var c = VibrationConfig.of(defaults().with(params.asMap(), ID));
        if (!data.hasLabels()) throw missing(ColumnRole.LABEL);
        if (!data.hasTimes()) throw missing(ColumnRole.TIMESTAMP);
        if (data.features().isEmpty()) throw missing(ColumnRole.MEASUREMENT);
        var records = data.byAsset();
        var trainWindows = labelled(data, Windows.of(records, c.window(), c.step(), Windows.Part.TRAIN, c.trainFraction()), c);
        if (trainWindows.isEmpty()) {
            throw new MaxException(VibrationError.NO_TRAINING_WINDOW, Location.NOWHERE, ID, c.window(),
                    Windows.longestTrainingPart(records, c.trainFraction()));
        }
        var classes = new ArrayList<String>();
        var counts = new LinkedHashMap<String, Integer>();
        for (var label : trainWindows.values()) {
            if (!classes.contains(label)) classes.add(label);
            counts.merge(label, 1, Integer::sum);
        }
        if (classes.size() < 2) {
            throw new MaxException(VibrationError.ONE_CLASS, Location.NOWHERE, ID, classes.get(0), trainWindows.size());
        }
        var windows = new ArrayList<>(trainWindows.keySet());
        var x = Windows.features(data, windows, c);
        var y = new float[windows.size()];
        for (int i = 0; i < y.length; i++) y[i] = classes.indexOf(trainWindows.get(windows.get(i)));
        var booster = Boosting.train(x, windows.size(), x.length / windows.size(), y,
                VibrationModel.boosterParams(c, classes.size(), seed), c.rounds());
        var model = new VibrationModel(c, data.features(), classes, Boosting.bytes(booster), booster);
        var testWindows = Windows.of(records, c.window(), c.step(), Windows.Part.TEST, c.trainFraction());
        Metrics metrics = model.score(data, testWindows,
                "last " + percent(1 - c.trainFraction()) + " of each record (time split), " + testWindows.size() + " windows");
        return new Training(model, metrics, card(c, data, records.size(), counts, metrics));
    }

    private static Map<Windows.Window, String> labelled(Frame data, List<Windows.Window> windows, VibrationConfig c) {
        var out = new LinkedHashMap<Windows.Window, String>();
        for (var w : windows) {
            var label = Windows.label(data, w, c.window());
            if (label != null) out.put(w, label);
        }
        return out;
    }

    private static MaxException missing(ColumnRole role) {
        return new MaxException(ModelError.MISSING_ROLE, Location.NOWHERE, ID, role.word(), "frame");
    }

    private static String percent(double f) {
        return String.format(Locale.ROOT, "%.0f %%", f * 100);
    }

    private static ModelCard card(VibrationConfig c, Frame data, int records, Map<String, Integer> counts, Metrics m) {
        var b = c.bearing();
        String data0 = String.format(Locale.ROOT,
                "%,d samples in %d records, channels %s, %.0f Hz; windows of %d samples every %d; training windows per class %s;"
                        + " bearing: %d balls, ball/pitch diameter %.4f/%.4f, contact angle %.1f°, shaft %.0f rpm"
                        + " (BPFI %.1f Hz, BPFO %.1f Hz, BSF %.1f Hz, FTF %.1f Hz)",
                data.rows(), records, data.features(), c.sampleRateHz(), c.window(), c.step(), counts, b.balls(),
                b.ballDiameter(), b.pitchDiameter(), b.contactAngleDeg(), b.shaftRpm(), b.bpfi(), b.bpfo(), b.bsf(), b.ftf());
        String split = "time-ordered within each record: the first " + percent(c.trainFraction())
                + " of its samples train, the rest test; no window crosses the cut (windows overlap only within a side)";
        double acc = m.values().getOrDefault("accuracy", Double.NaN);
        return new ModelCard(
                "진동 신호의 창(window)마다 베어링 고장 종류(정상, 내륜, 볼, 외륜 및 결함 크기)를 분류합니다.",
                "Classifies each window of a vibration signal into a bearing fault class (normal, inner race, ball, outer race, and defect size).",
                "같은 설비, 같은 센서 위치, 비슷한 회전 속도와 부하에서 상태 감시와 정비 우선순위 판단을 돕는 용도입니다. 단독으로 설비 정지를 결정하지 마십시오.",
                "To support condition monitoring and maintenance priorities on the same machine, sensor position, speed and load it was trained on."
                        + " Do not stop equipment on its word alone.",
                data0, split,
                List.of(String.format(Locale.ROOT, "시험 창 정확도 %.4f: 같은 기록의 뒷부분으로 잰 값이며, 다른 설비·부하·속도에서는 낮아질 수 있습니다.", acc),
                        "학습에 없던 고장 종류나 결함 크기는 아는 종류 중 하나로 잘못 분류됩니다.",
                        "축 속도와 베어링 치수가 실제와 다르면 포락선 특징(BPFI·BPFO·BSF·FTF)이 엉뚱한 주파수를 봅니다.",
                        "한 기록이 한 클래스이므로, 창 사이의 차이보다 기록 사이의 차이(센서 부착, 날짜)를 배웠을 가능성을 배제할 수 없습니다."),
                List.of(String.format(Locale.ROOT, "Test-window accuracy %.4f, measured on the later part of the same records; it may be lower on another machine, load or speed.", acc),
                        "Fault types or defect sizes not in the training data are misclassified as one of the known classes.",
                        "If the shaft speed or bearing geometry is wrong, the envelope features (BPFI, BPFO, BSF, FTF) look at the wrong frequencies.",
                        "Each record holds one class, so the model may have learned differences between recordings (mounting, day) as well as between faults."));
    }

    @Override
    public TrainedModel read(byte[] bytes) {
        return VibrationModel.read(bytes);
    }
}
