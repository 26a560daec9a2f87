package kr.max.models.onnx;

import java.util.List;
import kr.max.core.Location;
import kr.max.core.MaxException;
import kr.max.core.dictionary.ColumnRole;
import kr.max.models.Frame;
import kr.max.models.ModelType;
import kr.max.models.Params;
import kr.max.models.TrainedModel;
import kr.max.models.Training;

/**
 * Deep models trained elsewhere and imported into the registry ({@code max model import FILE.onnx}), run with ONNX
 * Runtime inside the library. The model's one input is a float tensor {@code [rows, features]}: each row of the frame,
 * its features (the dictionary's numeric measurement and setpoint columns) in dictionary order. Its first output is
 * the prediction of each row, {@code [rows]} or {@code [rows, k]}. The stored bytes are the ONNX file itself.
 */
public final class OnnxModelType implements ModelType {

    public static final String ID = "onnx";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String titleKo() {
        return "가져온 ONNX 모델 (다른 곳에서 학습한 딥러닝 모델)";
    }

    @Override
    public String titleEn() {
        return "Imported ONNX model (a deep model trained elsewhere)";
    }

    @Override
    public List<ColumnRole> requires() {
        return List.of();
    }

    @Override
    public Params defaults() {
        return Params.of(java.util.Map.of());
    }

    /** ONNX models are trained elsewhere: always {@code MAX-MODEL-705}. */
    @Override
    public Training train(Frame data, Params params, long seed) {
        throw new MaxException(OnnxError.NOT_TRAINABLE, Location.NOWHERE);
    }

    @Override
    public TrainedModel read(byte[] bytes) {
        return OnnxModel.load(bytes, ID);
    }

    /** Reads a stored model, naming it in messages (its registry reference, say). */
    public TrainedModel read(byte[] bytes, String name) {
        return OnnxModel.load(bytes, name);
    }

    /**
     * Loads an ONNX file's bytes and checks that the registry can run it: one float input {@code [rows, features]}
     * and a first output of one prediction (or one row of them) per input row.
     *
     * @param source the file or model name, for messages
     * @return the number of features per row its input takes, or -1 when the model leaves it open
     */
    public static Inspection inspect(byte[] bytes, String source) {
        var model = OnnxModel.load(bytes, source);
        return new Inspection(model.width(), model.inputName(), model.inputDescription(), model.outputName(),
                model.outputDescription());
    }

    /** What an ONNX model takes and gives, as its card states it. */
    public record Inspection(int width, String inputName, String input, String outputName, String output) {
    }
}
