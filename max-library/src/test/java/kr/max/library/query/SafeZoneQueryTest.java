package kr.max.library.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import kr.max.core.MaxException;
import kr.max.core.dictionary.ColumnRole;
import kr.max.core.dictionary.ColumnSpec;
import kr.max.core.dictionary.ColumnType;
import kr.max.core.dictionary.DataDictionary;
import kr.max.library.store.Scratch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The safe zone's output rule on a real DuckDB: aggregates only, and no result row behind fewer than k stored rows. */
class SafeZoneQueryTest {

    @TempDir
    Path dir;

    Scratch scratch;
    QueryEngine engine;
    QueryEngine.ResolvedTable table;

    @BeforeEach
    void tableOfThreeMachines() throws Exception {
        Path parquet = dir.resolve("press.parquet");
        try (var c = DriverManager.getConnection("jdbc:duckdb:"); var st = c.createStatement()) {
            // 10 strokes of press-a, 6 of press-b, 2 of press-c
            st.execute("COPY (SELECT CASE WHEN i < 10 THEN 'press-a' WHEN i < 16 THEN 'press-b' ELSE 'press-c' END AS machine, "
                    + "100.0 + i AS pressure FROM range(18) t(i)) TO '" + parquet + "' (FORMAT parquet)");
        }
        var dictionary = new DataDictionary(List.of(ColumnSpec.of("machine", ColumnRole.ASSET, ColumnType.STRING),
                ColumnSpec.of("pressure", ColumnRole.MEASUREMENT, ColumnType.DECIMAL)), DataDictionary.DEFAULT_TIME_ZONE);
        table = new QueryEngine.ResolvedTable("kamp/press", dictionary,
                List.of(new QueryEngine.ChunkRef(0, "chunk-0", null, out -> Files.copy(parquet, out))));
        Path base = Files.createTempDirectory(Path.of("/dev/shm"), "max-safe-zone-test-");
        scratch = Scratch.open(base);
        engine = new QueryEngine(scratch);
    }

    @AfterEach
    void close() {
        engine.close();
        Path base = scratch.dir().getParent();
        scratch.close();
        Scratch.deleteTree(base);
    }

    List<Object[]> run(String sql, int k, List<String> columns, QueryEngine.QueryStats[] stats) {
        var rows = new ArrayList<Object[]>();
        stats[0] = engine.querySafeZone(sql, name -> table, new ResultSink() {
            @Override
            public void columns(List<String> names, List<String> sqlTypes) {
                columns.addAll(names);
            }

            @Override
            public void row(Object[] values) {
                rows.add(values);
            }
        }, k);
        return rows;
    }

    @Test
    void groupsBehindFewerThanKStoredRowsAreHeldBackAndTheCountNeverLeaves() {
        var columns = new ArrayList<String>();
        var stats = new QueryEngine.QueryStats[1];
        var rows = run("SELECT machine, avg(pressure) AS mean FROM \"kamp/press\" GROUP BY machine ORDER BY machine", 5, columns, stats);
        assertThat(columns).containsExactly("machine", "mean");
        assertThat(rows).extracting(r -> r[0]).containsExactly("press-a", "press-b");
        assertThat(rows).allSatisfy(r -> assertThat(r).hasSize(2));
        assertThat(stats[0].rows()).isEqualTo(2);
        assertThat(stats[0].heldBackRows()).isEqualTo(1);

        // a filter shrinks the groups: press-b has 4 strokes with pressure >= 112
        rows = run("SELECT machine, count(*) FROM \"kamp/press\" WHERE pressure >= 112 GROUP BY machine", 5, new ArrayList<>(), stats);
        assertThat(rows).isEmpty();
        assertThat(stats[0].heldBackRows()).isEqualTo(2);

        // an aggregate over the whole table stands on all 18 rows
        rows = run("SELECT avg(pressure), max(pressure) FROM \"kamp/press\"", 5, new ArrayList<>(), stats);
        assertThat(rows).hasSize(1);
        assertThat(((Number) rows.getFirst()[1]).doubleValue()).isEqualTo(117.0);
    }

    @Test
    void anythingButAPlainAggregateOverDatasetsIsRefused() {
        for (String sql : List.of(
                "SELECT * FROM \"kamp/press\"",
                "SELECT machine, pressure FROM \"kamp/press\" ORDER BY pressure",
                "SELECT DISTINCT machine FROM \"kamp/press\"",
                "SELECT machine, avg(pressure) OVER (PARTITION BY machine) FROM \"kamp/press\"",
                "SELECT machine, count(*) FROM (SELECT * FROM \"kamp/press\" WHERE pressure > 0) GROUP BY machine",
                "WITH p AS (SELECT * FROM \"kamp/press\") SELECT machine, count(*) FROM p GROUP BY machine",
                "SELECT machine, count(*) FROM \"kamp/press\" GROUP BY machine UNION ALL SELECT 'x', 1",
                "SELECT machine, count(*) AS __max_contributors FROM \"kamp/press\" GROUP BY machine",
                "SELECT 42",
                "SELECT machine, list(pressure) FROM \"kamp/press\" GROUP BY machine",
                "SELECT machine, len(string_agg(CAST(pressure AS VARCHAR), ',')) FROM \"kamp/press\" GROUP BY machine",
                "SELECT machine, arg_max(pressure, pressure) FROM \"kamp/press\" GROUP BY machine")) {
            assertThatThrownBy(() -> run(sql, 5, new ArrayList<>(), new QueryEngine.QueryStats[1])).as(sql)
                    .isInstanceOfSatisfying(MaxException.class, e -> assertThat(e.code()).isEqualTo(QueryError.SAFE_ZONE_NOT_AGGREGATE));
        }
        // and the ordinary gate still stands in front of the rewrite
        assertThatThrownBy(() -> run("SELECT count(*) FROM read_csv('/etc/passwd')", 5, new ArrayList<>(), new QueryEngine.QueryStats[1]))
                .isInstanceOfSatisfying(MaxException.class, e -> assertThat(e.code()).isEqualTo(QueryError.FORBIDDEN));
    }
}
