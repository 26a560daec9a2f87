package kr.max.library.ingest;

import java.nio.charset.StandardCharsets;
import kr.max.library.query.SqlText;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import kr.max.core.Location;
import kr.max.core.MaxException;

/**
 * Rows of a Parquet file, read by an in-process, in-memory DuckDB and streamed through its result set. Values come
 * as DuckDB renders them (numbers and booleans as text, lists and structs in DuckDB's notation), except timestamps,
 * which are ISO 8601: TIMESTAMP as {@code 2020-03-04T13:05:07.123456} (naive, read later in the dictionary's zone),
 * TIMESTAMP WITH TIME ZONE as {@code 2020-03-04T04:05:07Z}. The session zone is UTC so that nothing depends on the
 * machine's zone.
 */
final class ParquetRowSource implements RowSource {

    private final SourceInfo info;
    private final Connection connection;
    private final PreparedStatement statement;
    private final ResultSet results;
    private final int width;
    private final int[] sqlTypes;
    private long rowIndex;

    private ParquetRowSource(SourceInfo info, Connection connection, PreparedStatement statement, ResultSet results) {
        this.info = info;
        this.connection = connection;
        this.statement = statement;
        this.results = results;
        this.width = info.columns().size();
        try {
            var meta = results.getMetaData();
            this.sqlTypes = new int[width];
            for (int i = 0; i < width; i++) sqlTypes[i] = meta.getColumnType(i + 1);
        } catch (SQLException e) {
            throw new MaxException(IngestError.UNKNOWN_FORMAT, Location.file(info.fileName()), e, "parquet: " + SqlText.firstLine(e.getMessage()));
        }
    }

    /** {@code 2020-03-04T13:05:07} (fraction only when not zero) and {@code 2020-03-04T04:05:07Z}. */
    private static String iso(LocalDateTime t) {
        return t == null ? null : DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(t);
    }

    private static String iso(OffsetDateTime t) {
        return t == null ? null : DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(t);
    }

    static ParquetRowSource open(Path file, String fileName, SourceOptions options) {
        Connection connection = null;
        try {
            var properties = new Properties();
            properties.setProperty("jdbc_stream_results", "true");
            connection = DriverManager.getConnection("jdbc:duckdb:", properties);
            try (Statement s = connection.createStatement()) {
                s.execute("SET TimeZone = 'UTC'");
                s.execute("SET threads = 2");
            }
            PreparedStatement statement = connection.prepareStatement("SELECT * FROM read_parquet(?)");
            statement.setString(1, file.toAbsolutePath().toString());
            ResultSet results = statement.executeQuery();
            var meta = results.getMetaData();
            var columns = new ArrayList<String>();
            for (int i = 1; i <= meta.getColumnCount(); i++) columns.add(meta.getColumnName(i));
            List<String> names = SourceDetector.renameColumns(columns, options.columns(), fileName);
            SourceDetector.checkDistinct(names, fileName, 1);
            var info = new SourceInfo(fileName, SourceDetector.PARQUET, StandardCharsets.UTF_8, null, true, names);
            return new ParquetRowSource(info, connection, statement, results);
        } catch (SQLException e) {
            closeQuietly(connection);
            throw new MaxException(IngestError.UNKNOWN_FORMAT, Location.file(fileName), e, "parquet: " + SqlText.firstLine(e.getMessage()));
        } catch (RuntimeException e) {
            closeQuietly(connection);
            throw e;
        }
    }

    @Override
    public SourceInfo info() {
        return info;
    }

    @Override
    public boolean next(RawRow row) {
        try {
            if (!results.next()) return false;
            rowIndex++;
            row.startStrings(rowIndex, width);
            for (int i = 0; i < width; i++) {
                String v = switch (sqlTypes[i]) {
                    case Types.TIMESTAMP -> iso(results.getObject(i + 1, LocalDateTime.class));
                    case Types.TIMESTAMP_WITH_TIMEZONE -> iso(results.getObject(i + 1, OffsetDateTime.class));
                    default -> results.getString(i + 1);
                };
                row.setString(i, v == null || v.isEmpty() ? null : v);
            }
            row.setSize(width);
            return true;
        } catch (SQLException e) {
            throw new MaxException(IngestError.BAD_VALUE, Location.line(info.fileName(), rowIndex + 1), e,
                    SqlText.firstLine(e.getMessage()));
        }
    }

    @Override
    public void close() {
        try {
            results.close();
            statement.close();
        } catch (SQLException e) {
            // closing anyway
        } finally {
            closeQuietly(connection);
        }
    }

    private static void closeQuietly(Connection c) {
        if (c == null) return;
        try {
            c.close();
        } catch (SQLException e) {
            // nothing left to do
        }
    }

}
