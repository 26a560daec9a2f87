package kr.max.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import kr.max.core.MaxException;
import kr.max.library.DatasetSummary;
import kr.max.library.IngestRequest;
import kr.max.library.IngestResult;
import kr.max.library.Library;
import kr.max.library.audit.AuditRecord;
import kr.max.library.ingest.SourceOptions;
import kr.max.library.query.ResultSink;
import kr.max.library.sample.SampleData;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/**
 * {@code max demo}: a library on embedded defaults with KAMP-shaped and C-MAPSS-shaped sample data
 * made on the spot, queried, exported and audited — the whole deposit-to-audit path in one command.
 */
@Command(name = "demo", mixinStandardHelpOptions = true)
final class Demo implements Callable<Integer> {

    @ParentCommand
    MaxCli root;

    @Override
    public Integer call() throws Exception {
        if (root.home == null) {
            root.home = Files.createTempDirectory("max-demo-");
        }
        Path data = Files.createDirectories(root.home.resolve("sample-files"));
        var out = root.out;
        out.println(root.text("demo.start", root.home));
        Path injection = SampleData.injectionMolding(data, 5000, 2020);
        Path melting = SampleData.meltingTankCp949(data, 1440);
        Path turbofan = SampleData.cmapss(data, 20, 150);
        Path sensors = SampleData.sensors(data.resolve("press_line_sensors.csv"), 200_000, 20);
        var cmapssColumns = new ArrayList<>(List.of("unit", "cycle", "setting1", "setting2", "setting3"));
        for (int s = 1; s <= 21; s++) cmapssColumns.add("s" + s);
        try (Library lib = root.open()) {
            var who = MaxCli.principal();
            for (var req : List.of(
                    IngestRequest.of(injection, "kamp/injection-molding"),
                    IngestRequest.of(melting, "kamp/melting-tank"),
                    IngestRequest.of(turbofan, "nasa/cmapss-fd001-sample")
                            .withSource(new SourceOptions(null, null, null, false, cmapssColumns)),
                    IngestRequest.of(sensors, "plant/press-line"))) {
                IngestResult r = lib.ingest(who, req);
                out.println("  " + root.text("ingest.done", r.dataset(), r.version(), r.rows(), r.chunks(), MaxCli.human(r.bytes()),
                        r.source().format(), Encodings.display(r.source().charset())));
            }
            out.println();
            var table = new Output(out, Output.Format.TABLE, ZoneId.of("Asia/Seoul"));
            table.columns(List.of(root.text("col.dataset"), root.text("col.versions"), root.text("col.rows"),
                    root.text("col.size"), root.text("col.classification")));
            for (DatasetSummary d : lib.datasets(who)) {
                table.row(d.name(), d.versions(), d.rows(), MaxCli.human(d.bytes()), d.classification().word());
            }
            table.end();

            query(lib, root.text("demo.q1"), "SELECT EQUIP_NAME, count(*) AS shots, "
                    + "round(avg(CASE WHEN PassOrFail = 'N' THEN 1 ELSE 0 END) * 100, 2) AS defect_pct, "
                    + "round(avg(Cycle_Time), 2) AS avg_cycle_s FROM \"kamp/injection-molding\" GROUP BY 1 ORDER BY 1");
            query(lib, root.text("demo.q2"), "SELECT 설비, round(avg(용해온도), 1) AS 평균온도, count(*) FILTER (WHERE 판정 = '불량') AS 불량 "
                    + "FROM \"kamp/melting-tank\" GROUP BY 1 ORDER BY 1");
            query(lib, root.text("demo.q3"), "SELECT time_bucket(INTERVAL '1 hour', timestamp) AS hour, round(avg(temperature), 2) AS temp, "
                    + "round(max(vibration), 2) AS max_vib FROM \"plant/press-line\" WHERE asset = 'press-3' "
                    + "AND timestamp >= '2026-01-01 06:00:00' AND timestamp < '2026-01-01 10:00:00' GROUP BY 1 ORDER BY 1");

            Path export = root.home.resolve("exports");
            Files.createDirectories(export);
            var stats = lib.export(who, "nasa/cmapss-fd001-sample", export.resolve("fd001.parquet").toAbsolutePath(), "parquet");
            out.println();
            out.println(root.text("export.done", "nasa/cmapss-fd001-sample", export.resolve("fd001.parquet"), stats.rows()));

            out.println();
            out.println(root.text("demo.audit"));
            var audit = new Output(out, Output.Format.TABLE, ZoneId.of("Asia/Seoul"));
            audit.columns(List.of(root.text("col.seq"), root.text("col.principal"), root.text("col.action"),
                    root.text("col.dataset"), root.text("col.version"), root.text("col.outcome")));
            var records = new ArrayList<AuditRecord>();
            lib.audit(who, null, records::add);
            for (AuditRecord r : records.subList(Math.max(0, records.size() - 8), records.size())) {
                audit.row(r.seq(), r.principal(), r.action(), r.dataset(), r.version(), r.outcome());
            }
            audit.end();
            var v = lib.verifyAudit(who);
            out.println(v.intact() ? root.text("audit.intact", v.records(), v.checkpoints())
                    : root.text("audit.broken", v.firstBrokenSeq(), root.text("audit.reason." + v.reason())));
            try {
                lib.query(who, "SELECT * FROM read_csv('/etc/passwd')", new Printer(null));
            } catch (MaxException e) {
                out.println(root.text("demo.blocked", e.message(root.locale())));
            }
        }
        out.println();
        out.println(root.text("demo.next", root.home));
        out.flush();
        return 0;
    }

    private void query(Library lib, String title, String sql) {
        root.out.println();
        root.out.println(title);
        root.out.println("  " + sql);
        var o = new Output(root.out, Output.Format.TABLE, ZoneId.of("Asia/Seoul"));
        lib.query(MaxCli.principal(), sql, new Printer(o));
        o.end();
    }

    private record Printer(Output o) implements ResultSink {
        @Override
        public void columns(List<String> names, List<String> sqlTypes) {
            if (o != null) o.columns(names);
        }

        @Override
        public void row(Object[] values) {
            if (o != null) o.row(values);
        }
    }
}
