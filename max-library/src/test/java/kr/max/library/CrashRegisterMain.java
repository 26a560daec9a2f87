package kr.max.library;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import kr.max.core.Principal;
import kr.max.library.crypto.MasterKey;

/**
 * Run in a child JVM by {@link ModelAssetTest}: registers a model and halts the JVM inside the commit's transaction,
 * after the encrypted object is durable in its staging area, as a power cut or {@code kill -9} would.
 */
public final class CrashRegisterMain {

    static final String MODEL = "crashed-model";
    static final int HALTED = 77;

    private CrashRegisterMain() {
    }

    static Models.Registration registration() {
        byte[] bytes = new byte[256 * 1024];
        new java.util.Random(5).nextBytes(bytes);
        return new Models.Registration(MODEL, "onnx", bytes, null, null, Map.of(), null, "crash test", List.of(), null, null,
                "crash.onnx");
    }

    public static void main(String[] args) {
        var lib = Library.open(LibraryConfig.embedded(Path.of(args[0]), MasterKey.of(args[1])));
        // halt(): no finally blocks, no shutdown hooks, the transaction never commits
        lib.models().register(Principal.localOperator(), registration(), (h, committed) -> Runtime.getRuntime().halt(HALTED));
        throw new IllegalStateException("the registration was to be killed in its commit");
    }
}
