package kr.max.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import kr.max.library.sample.SampleData;
import kr.max.library.store.Scratch;

/**
 * The work the launcher shows the JVM once per build, so that its ahead-of-time cache (JDK 25 and later) holds
 * the classes, links and method profiles of real commands: a deposit of a sensor log and of molding shots,
 * listing, a query, exports, the audit chain. Runs in a home of its own that it deletes; prints nothing.
 */
public final class AotTraining {

    private AotTraining() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Files.createTempDirectory("max-aot-training-");
        try {
            Path home = dir.resolve("home");
            String h = home.toString();
            Path sensors = SampleData.sensors(dir.resolve("sensors.csv"), 200_000, 4);
            Path shots = SampleData.injectionMoldingWithPeople(dir, 2_000, 3);
            var quiet = new PrintWriter(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
            String[][] commands = {
                {"ingest", sensors.toString(), "--dataset", "training/sensors", "--home", h},
                {"ingest", shots.toString(), "--dataset", "training/shots", "--home", h},
                {"datasets", "--home", h},
                {"show", "training/sensors", "--home", h},
                {"dictionary", "training/shots", "--to", dir.resolve("shots.yaml").toString(), "--home", h},
                {"query", "SELECT asset, avg(pressure) FROM \"training/sensors\" GROUP BY 1", "--format", "csv", "--home", h},
                {"export", "training/sensors", "--to", dir.resolve("out.parquet").toString(), "--home", h},
                {"export", "training/shots", "--to", dir.resolve("out.csv").toString(), "--home", h},
                {"audit", "--home", h},
                {"audit", "verify", "--home", h},
            };
            for (String[] command : commands) MaxCli.run(command, quiet, quiet);
        } finally {
            Scratch.deleteTree(dir);
        }
    }
}
