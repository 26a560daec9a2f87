package kr.max.models.rul;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import kr.max.core.Location;
import kr.max.core.MaxException;
import kr.max.core.dictionary.ColumnRole;
import kr.max.models.Frame;
import kr.max.models.ModelCard;
import kr.max.models.ModelError;
import kr.max.models.ModelType;
import kr.max.models.Params;
import kr.max.models.TrainedModel;
import kr.max.models.Training;

/**
 * Remaining useful life (잔존 유효 수명) of run-to-failure equipment — turbofan engines of NASA C-MAPSS, pumps,
 * spindles — by gradient-boosted trees (XGBoost) on windowed features of each unit's recent history.
 *
 * <p>Data: one row per unit and cycle; the {@code asset} column names the unit, the {@code timestamp} column
 * orders its cycles (an integer cycle number serves), the measurement and setpoint columns are the features.
 * A {@code label} column, when present, holds the cycles left at each row (a test set with known life);
 * without it every unit is taken to run to failure at its last row and the life left is counted back from
 * there, capped at {@code rul_cap} (default 125: wear cannot be seen early in life, so the target is flat
 * until then — the piecewise-linear target of Heimes, 2008).
 *
 * <p>Operating regimes are found by k-means on the setting columns and every sensor is z-normalized within its
 * regime with statistics of the training data. With {@code settings: auto} (the default; a frame does not say
 * which features are setpoints) each feature is clustered alone and the features that agree on the same number
 * of tight groups, two at least, define the regimes: the six flight conditions of FD002/FD004, one regime for
 * FD001/FD003. Sensors unrelated to wear within units are dropped. Each unit's latest {@code window/3},
 * {@code window} and {@code 3·window} cycles give per-sensor levels and trends (means, least-squares slopes)
 * and a smoothed level against the unit's own first cycles; a linear health index over the sensors is one more
 * channel. {@code predict} gives one row {@code unit,rul} per unit, for its last cycle; {@code evaluate} gives
 * RMSE and the NASA score there.
 *
 * <p>Parameters: {@code window, rul_cap, rounds, max_depth, eta, subsample, colsample, min_child_weight,
 * lambda, bins} (of XGBoost), {@code ensemble} (models averaged, seeds {@code seed … seed+ensemble−1}),
 * {@code settings} ({@code auto}, {@code none} or setting names separated by commas), {@code regimes}
 * (0 = choose), {@code min_correlation} (a sensor whose mean absolute correlation with the life left, within
 * each unit, is lower is dropped), {@code alarm_below} (the online scorer alarms below this many cycles),
 * {@code holdout} (share of units held out for the returned metrics), {@code refit} (train the returned model
 * again on all units) and {@code threads} (0 = all processors).
 */
public final class RulGbm implements ModelType {

    public static final String ID = "rul-gbm";
    static final RulGbm TYPE = new RulGbm();
    /** Fewest units that can train: some to learn from, at least one to hold out. */
    static final int MIN_UNITS = 5;

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String titleKo() {
        return "잔존 유효 수명 예측 (그래디언트 부스팅, 운전 조건별 정규화)";
    }

    @Override
    public String titleEn() {
        return "Remaining useful life (gradient boosting, per-regime normalization)";
    }

    @Override
    public List<ColumnRole> requires() {
        return List.of(ColumnRole.ASSET, ColumnRole.TIMESTAMP);
    }

    @Override
    public Params defaults() {
        return RulSettings.defaults();
    }

    @Override
    public Training train(Frame data, Params params, long seed) {
        requireRoles(data);
        var s = RulSettings.of(params);
        var units = data.byAsset();
        if (units.size() < MIN_UNITS) {
            throw new MaxException(ModelError.TOO_LITTLE_DATA, Location.NOWHERE, ID, units.size(), MIN_UNITS);
        }
        if (data.hasLabels()) for (var l : data.labels()) label(l);

        // hold out whole units, never cycles of a unit that also trains
        var names = new ArrayList<>(units.keySet());
        Collections.shuffle(names, new java.util.Random(seed));
        int held = Math.max(1, (int) Math.round(s.holdout() * names.size()));
        var heldOut = new HashSet<>(names.subList(0, held));
        var trainRows = new ArrayList<Integer>();
        var heldRows = new ArrayList<Integer>();
        for (var e : units.entrySet()) {
            for (int i : e.getValue()) (heldOut.contains(e.getKey()) ? heldRows : trainRows).add(i);
        }
        var trainPart = data.select(trainRows.stream().mapToInt(Integer::intValue).toArray());
        var heldPart = data.select(heldRows.stream().mapToInt(Integer::intValue).toArray());

        var partial = RulFit.fit(trainPart, params, seed);
        var split = String.format(Locale.ROOT, "%d of %d units (%.0f %%) held out at random (seed %d); %s; the truth is the life left "
                + "after the cut, not capped (rmse_capped caps it at %d); metrics of a model trained on the other %d units",
                held, names.size(), 100.0 * held / names.size(), seed, Truncation.PROTOCOL, s.rulCap(), names.size() - held);
        var metrics = partial.evaluateLabelled(Truncation.cut(heldPart, seed, 1), "held-out " + held + " units, cut at random points");
        var model = s.refit() ? RulFit.fit(data, params, seed) : partial;
        return new Training(model, metrics, card(data, model, s, split + (s.refit() ? "; the model returned is trained again on all "
                + names.size() + " units with the same parameters" : "")));
    }

    private static ModelCard card(Frame data, RulModel model, RulSettings s, String split) {
        var r = model.regimes();
        var regimeCols = RulFit.names(data, r.columns());
        var keptNames = RulFit.names(data, model.kept());
        var dataText = String.format(Locale.ROOT, "%d rows, %d units, %d features; %d operating regime(s) found on %s; "
                + "%d sensors kept after per-regime normalization: %s; life left capped at %d; window %d cycles (features over the last %d, %d and %d cycles)",
                data.rows(), data.byAsset().size(), data.features().size(), r.count(),
                regimeCols.isEmpty() ? "no column" : regimeCols, keptNames.size(), keptNames, s.rulCap(), s.window(),
                Math.max(1, Math.round(s.window() / 3f)), s.window(), 3 * s.window());
        return new ModelCard(
                "설비 단위(엔진 등)의 최근 이력으로 고장까지 남은 사이클 수(잔존 유효 수명)를 예측합니다.",
                "Predicts the cycles left before failure (remaining useful life) of each unit, such as an engine, from its recent history.",
                "고장까지 운전한 이력이 있는 같은 종류 설비의 정비 계획용입니다. 학습에 없던 고장 모드나 운전 조건에는 쓰지 마십시오.",
                "For maintenance planning on equipment of the same kind as the run-to-failure units it learned from; "
                        + "not for failure modes or operating conditions it has not seen.",
                dataText, split,
                List.of("평가 기준은 각 단위의 마지막 사이클 하나입니다. 수명 초기의 예측은 상한(" + s.rulCap() + ")에 머뭅니다.",
                        "데이터 세트(FD001–FD004)마다 따로 학습합니다. 운전 조건이 다른 데이터에 옮겨 쓰지 마십시오.",
                        "단위가 수십 개뿐이라 보류 단위 지표의 편차가 큽니다.",
                        "사이클 번호 대신 관측한 샘플 수를 나이로 씁니다. 스트림은 수명 처음부터 들어와야 합니다."),
                List.of("Only the last cycle of each unit is the evaluated protocol; early in life the prediction stays at the cap (" + s.rulCap() + ").",
                        "Trained per data set (FD001–FD004); do not carry a model to data of other operating conditions.",
                        "With a few dozen units the held-out figures vary a lot between seeds.",
                        "A unit's age is the number of samples seen, not the cycle number: a stream must start at the beginning of life."));
    }

    @Override
    public TrainedModel read(byte[] bytes) {
        return RulModel.read(bytes);
    }

    /** The roles a frame must carry for this type. */
    static void requireRoles(Frame data) {
        if (!data.hasAssets()) {
            throw new MaxException(ModelError.MISSING_ROLE, Location.NOWHERE, ID, ColumnRole.ASSET.word(), "frame");
        }
        if (!data.hasTimes()) {
            throw new MaxException(ModelError.MISSING_ROLE, Location.NOWHERE, ID, ColumnRole.TIMESTAMP.word(), "frame");
        }
    }

    /** A label: the cycles left, a number not below zero. */
    static double label(String text) {
        double v;
        try {
            v = text == null ? Double.NaN : Double.parseDouble(text.trim());
        } catch (NumberFormatException e) {
            v = Double.NaN;
        }
        if (!(v >= 0) || Double.isInfinite(v)) {
            throw new MaxException(ModelError.UNREADABLE_LABEL, Location.NOWHERE, text, "the cycles left, a number 0 or more");
        }
        return v;
    }
}
