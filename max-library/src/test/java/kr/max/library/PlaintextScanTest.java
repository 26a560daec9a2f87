package kr.max.library;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import kr.max.library.sample.SampleData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import kr.max.core.Principal;
import kr.max.library.crypto.MasterKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * After every command that touches data, no value of a deposited file is found in any file under the
 * library home, in any common encoding: plaintext never touches disk.
 */
class PlaintextScanTest {

    @TempDir
    Path dir;

    @Test
    void noDepositedValueAppearsAnywhereUnderTheHome() throws Exception {
        Path home = dir.resolve("home");
        Path out = dir.resolve("exports");
        Files.createDirectories(out);
        Principal me = Principal.localOperator();
        Path file = SampleData.injectionMolding(dir, 2000, 9);
        try (Library lib = Library.open(LibraryConfig.embedded(home, MasterKey.of("scan test master secret 0123")))) {
            lib.ingest(me, IngestRequest.of(file, "kamp/injection"));
            lib.ingest(me, IngestRequest.of(file, "kamp/injection"));
            lib.ingest(me, IngestRequest.of(SampleData.meltingTankCp949(dir, 100), "kamp/melting"));
            LibraryTest.rows(lib, me, "SELECT EQUIP_NAME, Worker, count(*) FROM \"kamp/injection\" WHERE EQUIP_NAME = '"
                    + SampleData.DISTINCT_MACHINE + "' GROUP BY ALL");
            lib.show(me, "kamp/injection", 20);
            lib.dictionary(me, "kamp/injection@1");
            lib.export(me, "kamp/injection", out.resolve("x.parquet"), "parquet");
            lib.export(me, "kamp/injection@1", out.resolve("x.csv"), "csv");
            lib.datasets(me);
            lib.delete(me, "kamp/melting");
            lib.verifyAudit(me);
            assertNoPlaintext(home);
        }
        assertNoPlaintext(home);
        // the exports, outside the home, do hold the values: the scan is able to find them
        assertThat(find(out.resolve("x.csv"), SampleData.DISTINCT_MACHINE)).isTrue();
    }

    private static void assertNoPlaintext(Path home) throws IOException {
        assertThat(PlaintextScan.hits(home, List.of(SampleData.DISTINCT_MACHINE, SampleData.DISTINCT_WORKER,
                SampleData.DISTINCT_PART, "용해탱크", "ZQX7731", "QXW"))).isEmpty();
    }

    private static boolean find(Path file, String needle) throws IOException {
        return PlaintextScan.find(file, needle);
    }
}
