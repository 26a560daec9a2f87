package kr.max.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import kr.max.library.PostgresExtension;
import kr.max.library.sample.SampleData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's commands with the catalog on PostgreSQL ({@code --catalog jdbc:postgresql://…}). */
class PostgresCatalogCliTest {

    @org.junit.jupiter.api.extension.RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    @TempDir
    Path dir;


    @Test
    void depositQueryExportDeleteAndVerifyWithThePostgresCatalog() throws Exception {
        Cli max = Cli.in(dir);
        Path file = SampleData.injectionMolding(dir, 500, 11);
        String catalog = PG.url();

        var ingest = max.run("ingest", file.toString(), "--dataset", "kamp/press", "--catalog", catalog);
        assertThat(ingest.exit()).as(ingest.toString()).isZero();
        var again = max.run("ingest", file.toString(), "--dataset", "kamp/press", "--catalog", catalog);
        assertThat(again.outLines().getFirst()).startsWith("Deposited kamp/press version 2");

        var count = max.run("query", "SELECT count(*) AS n FROM \"kamp/press@1\"", "--format", "csv", "--catalog", catalog);
        assertThat(count.outLines()).containsExactly("n", "500");
        // the embedded catalog of the same home knows nothing of it: the catalog really is PostgreSQL
        assertThat(max.run("datasets", "--format", "csv").outLines()).hasSize(1);
        var export = max.run("export", "kamp/press", "--to", dir.resolve("p.parquet").toString(), "--catalog", catalog);
        assertThat(export.exit()).as(export.toString()).isZero();
        assertThat(max.run("delete", "kamp/press", "--catalog", catalog).exit()).isZero();
        var verify = max.run("audit", "verify", "--catalog", catalog);
        assertThat(verify.exit()).as(verify.toString()).isZero();
        assertThat(verify.out()).startsWith("Audit chain intact: ");
    }
}
