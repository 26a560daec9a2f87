package kr.max.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

/**
 * Times DuckDB's COPY of the library benchmark's sensor CSV in the layouts the DuckDB ingest path can
 * choose, to show what each costs: {@code max-bench/run copy-variants FILE.csv [name-filter]}. Output goes
 * to {@code /dev/shm/max-copy-variants}. The column names are those of {@code SampleData.sensors}.
 */
public final class CopyVariants {

    private CopyVariants() {
    }

    /** User and system CPU time of this process (DuckDB's threads included), from /proc. */
    static double cpuSeconds() throws java.io.IOException {
        String stat = Files.readString(Path.of("/proc/self/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
    }

    public static void main(String[] a) throws Exception {
        String csv = a[0];
        String cols = "{'timestamp': 'TIMESTAMPTZ', 'asset': 'VARCHAR', 'temperature': 'DOUBLE', 'pressure': 'DOUBLE', "
                + "'vibration': 'DOUBLE', 'current': 'DOUBLE', 'speed': 'DOUBLE', 'flow': 'DOUBLE', 'humidity': 'DOUBLE', 'power': 'DOUBLE'}";
        String read = "read_csv('" + csv + "', header = true, delim = ',', quote = '\"', escape = '\"', auto_detect = false, strict_mode = true, null_padding = false, columns = " + cols + ")";
        String[][] variants = {
            {"baseline", "COPY (SELECT * FROM read_csv('" + csv + "')) TO '/dev/shm/max-copy-variants/x.parquet' (FORMAT parquet, COMPRESSION zstd)"},
            {"explicit-cols single", "COPY (SELECT * FROM " + read + ") TO '/dev/shm/max-copy-variants/x.parquet' (FORMAT parquet, COMPRESSION zstd)"},
            {"rg16k 1MiB files", "COPY (SELECT * FROM " + read + ") TO '/dev/shm/max-copy-variants/d' (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 16384, FILE_SIZE_BYTES 1048576, OVERWRITE_OR_IGNORE true)"},
            {"rg64k 1MiB files", "COPY (SELECT * FROM " + read + ") TO '/dev/shm/max-copy-variants/d' (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 65536, FILE_SIZE_BYTES 1048576, OVERWRITE_OR_IGNORE true)"},
            {"rg16k 1MiB 4 buckets", "COPY (SELECT *, CAST(hash(asset) % 4 AS INTEGER) AS __max_bucket FROM " + read + ") TO '/dev/shm/max-copy-variants/d' (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 16384, FILE_SIZE_BYTES 1048576, OVERWRITE_OR_IGNORE true, PARTITION_BY (__max_bucket))"},
            {"rg32k 1MiB 4 buckets", "COPY (SELECT *, CAST(hash(asset) % 4 AS INTEGER) AS __max_bucket FROM " + read + ") TO '/dev/shm/max-copy-variants/d' (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 32768, FILE_SIZE_BYTES 1048576, OVERWRITE_OR_IGNORE true, PARTITION_BY (__max_bucket))"},
            {"rg64k 1MiB 4 buckets", "COPY (SELECT *, CAST(hash(asset) % 4 AS INTEGER) AS __max_bucket FROM " + read + ") TO '/dev/shm/max-copy-variants/d' (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 65536, FILE_SIZE_BYTES 1048576, OVERWRITE_OR_IGNORE true, PARTITION_BY (__max_bucket))"},
            {"rg64k 1MiB 4 buckets flush64k", "SET partitioned_write_flush_threshold = 65536; " + "COPY (SELECT *, CAST(hash(asset) % 4 AS INTEGER) AS __max_bucket FROM " + read + ") TO '/dev/shm/max-copy-variants/d' (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 65536, FILE_SIZE_BYTES 1048576, OVERWRITE_OR_IGNORE true, PARTITION_BY (__max_bucket))"},
            {"rg64k 1MiB 4 buckets flush128k", "SET partitioned_write_flush_threshold = 131072; " + "COPY (SELECT *, CAST(hash(asset) % 4 AS INTEGER) AS __max_bucket FROM " + read + ") TO '/dev/shm/max-copy-variants/d' (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 65536, FILE_SIZE_BYTES 1048576, OVERWRITE_OR_IGNORE true, PARTITION_BY (__max_bucket))"},
            {"rg64k 1MiB 4 buckets flush2m", "SET partitioned_write_flush_threshold = 2097152; " + "COPY (SELECT *, CAST(hash(asset) % 4 AS INTEGER) AS __max_bucket FROM " + read + ") TO '/dev/shm/max-copy-variants/d' (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 65536, FILE_SIZE_BYTES 1048576, OVERWRITE_OR_IGNORE true, PARTITION_BY (__max_bucket))"},
            {"rg64k 1MiB 2 buckets", "COPY (SELECT *, CAST(hash(asset) % 2 AS INTEGER) AS __max_bucket FROM " + read + ") TO '/dev/shm/max-copy-variants/d' (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 65536, FILE_SIZE_BYTES 1048576, OVERWRITE_OR_IGNORE true, PARTITION_BY (__max_bucket))"},
            {"rg64k 4MiB files", "COPY (SELECT * FROM " + read + ") TO '/dev/shm/max-copy-variants/d' (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 65536, FILE_SIZE_BYTES 4194304, OVERWRITE_OR_IGNORE true)"},
            {"rg64k 1MiB 4 buckets unordered", "SET preserve_insertion_order = false; COPY (SELECT *, CAST(hash(asset) % 4 AS INTEGER) AS __max_bucket FROM " + read + ") TO '/dev/shm/max-copy-variants/d' (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 65536, FILE_SIZE_BYTES 1048576, OVERWRITE_OR_IGNORE true, PARTITION_BY (__max_bucket))"},
            {"rg64k 1MiB unordered", "SET preserve_insertion_order = false; COPY (SELECT * FROM " + read + ") TO '/dev/shm/max-copy-variants/d' (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 65536, FILE_SIZE_BYTES 1048576, OVERWRITE_OR_IGNORE true)"},
            {"explicit-cols single unordered", "SET preserve_insertion_order = false; COPY (SELECT * FROM " + read + ") TO '/dev/shm/max-copy-variants/x.parquet' (FORMAT parquet, COMPRESSION zstd)"},
            {"baseline unordered", "SET preserve_insertion_order = false; COPY (SELECT * FROM read_csv('" + csv + "')) TO '/dev/shm/max-copy-variants/x.parquet' (FORMAT parquet, COMPRESSION zstd)"},
            {"rg16k 4MiB 4 buckets", "COPY (SELECT *, CAST(hash(asset) % 4 AS INTEGER) AS __max_bucket FROM " + read + ") TO '/dev/shm/max-copy-variants/d' (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 16384, FILE_SIZE_BYTES 4194304, OVERWRITE_OR_IGNORE true, PARTITION_BY (__max_bucket))"},
        };
        Files.createDirectories(Path.of("/dev/shm/max-copy-variants"));
        int reps = Integer.getInteger("reps", 2);
        for (int rep = 0; rep < reps; rep++) for (String[] v : variants) {
            if (a.length > 1 && !v[0].contains(a[1])) continue;
            try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement()) {
                st.execute("SET temp_directory = ''");
                st.execute("SET TimeZone = 'Asia/Seoul'");
                long t0 = System.nanoTime();
                double cpu0 = cpuSeconds();
                for (String sql : v[1].split("; ")) st.execute(sql);
                // CPU time as well: on a shared machine wall time mostly measures the neighbours.
                System.out.printf(java.util.Locale.ROOT, "%-32s %.2f s wall, %.2f s CPU%n", v[0], (System.nanoTime() - t0) / 1e9,
                        cpuSeconds() - cpu0);
                System.out.flush();
            }
            new ProcessBuilder("rm", "-rf", "/dev/shm/max-copy-variants").start().waitFor();
            Files.createDirectories(Path.of("/dev/shm/max-copy-variants"));
        }
    }
}
