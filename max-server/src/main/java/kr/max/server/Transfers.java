package kr.max.server;

import io.javalin.http.Context;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import kr.max.core.Classification;
import kr.max.core.Location;
import kr.max.core.MaxException;
import kr.max.core.Principal;
import kr.max.library.IngestRequest;
import kr.max.library.IngestResult;
import kr.max.library.Library;
import kr.max.library.ingest.SourceOptions;
import kr.max.library.query.QueryEngine;
import kr.max.library.query.ResultSink;
import kr.max.library.store.Scratch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.json.JsonMapper;

/**
 * The routes that move data: deposit (a streamed upload), query (a streamed result) and export (a
 * streamed file). Files in transit live in a memory-backed {@link Scratch} and are deleted when the
 * request ends, however it ends: plaintext of deposited data never touches disk.
 */
final class Transfers {

    private static final Logger LOG = LoggerFactory.getLogger(Transfers.class);

    static final List<String> INGEST_FORMATS = List.of("auto", "csv", "tsv", "text", "jsonl", "parquet");
    static final List<String> QUERY_FORMATS = List.of("json", "csv");
    static final List<String> EXPORT_FORMATS = List.of("parquet", "csv");

    private static final int COPY_BUFFER = 64 * 1024;

    private final Library library;
    private final Scratch scratch;
    private final JsonMapper json;
    private final long maxUploadBytes;

    Transfers(Library library, Scratch scratch, JsonMapper json, long maxUploadBytes) {
        this.library = library;
        this.scratch = scratch;
        this.json = json;
        this.maxUploadBytes = maxUploadBytes;
    }

    // ---------------------------------------------------------------- deposit

    void ingest(Context ctx) {
        Principal who = Requests.principal(ctx);
        String dataset = Requests.dataset(ctx);
        String format = Requests.format(ctx.queryParam("format"), INGEST_FORMATS, "auto");
        Charset encoding = SourceOptions.encodingNamed(ctx.queryParam("encoding"));
        boolean skipBadRows = Requests.bool(ctx, "skipBadRows", false);
        int maxErrors = Requests.integer(ctx, "maxErrors", 20, 1, 10_000);
        String classificationWord = ctx.queryParam("classification");
        Classification classification = classificationWord == null ? null : Classification.parse(classificationWord);
        String timeZone = Requests.timeZone(ctx, "timeZone");
        String fileName = Requests.fileName(ctx.queryParam("sourceName"));
        var source = new SourceOptions("auto".equals(format) ? null : format, encoding, null, null, null);
        // Decided before a byte of the file is read: one who may not deposit here is refused without uploading it.
        library.mayDeposit(who, dataset);

        Path dir = newDirectory();
        try {
            long limit = Math.min(maxUploadBytes, usableSpace(dir));
            long declared = ctx.req().getContentLengthLong();
            // Refused before a byte is read: with "Expect: 100-continue" the client never sends the body.
            if (declared > limit) throw new MaxException(ServerError.PAYLOAD_TOO_LARGE, Location.NOWHERE, limit);
            Path file = dir.resolve(fileName);
            receive(ctx, file, limit);
            var request = new IngestRequest(file, dataset, source, null, skipBadRows, maxErrors, classification, timeZone);
            IngestResult result = library.ingest(who, request);
            ctx.status(201).header("Location", "/v1/datasets/" + dataset).json(Views.Ingested.of(result, Errors.locale(ctx)));
        } finally {
            Scratch.deleteTree(dir);
        }
    }

    /** One export a copy was traced to. */
    record TraceMatch(String exportId, String recipient, java.time.Instant exportedAt, double confidence, double log10PValue,
                      long bits, long matches) {
    }

    /** What {@code POST /v1/trace} answers: the exports named, or why none can be. */
    record TraceView(boolean identified, List<TraceMatch> matches, String reason, int candidates, TraceMatch strongest) {
    }

    /** A suspected leaked copy, uploaded like a deposit and read in scratch memory; the file is gone afterwards. */
    void trace(Context ctx) {
        Principal who = Requests.principal(ctx);
        String fileName = Requests.fileName(ctx.queryParam("name"));
        Path dir = newDirectory();
        try {
            long limit = Math.min(maxUploadBytes, usableSpace(dir));
            long declared = ctx.req().getContentLengthLong();
            if (declared > limit) throw new MaxException(ServerError.PAYLOAD_TOO_LARGE, Location.NOWHERE, limit);
            Path file = dir.resolve(fileName);
            receive(ctx, file, limit);
            var traced = library.trace(who, file);
            ctx.json(switch (traced.report()) {
                case kr.max.library.fingerprint.TraceReport.Identified id -> new TraceView(true,
                        id.matches().stream().map(Transfers::match).toList(), null, traced.candidates(), null);
                case kr.max.library.fingerprint.TraceReport.Inconclusive in -> new TraceView(false, List.of(),
                        in.reason().name().toLowerCase(java.util.Locale.ROOT), traced.candidates(),
                        in.strongest().map(Transfers::match).orElse(null));
            });
        } finally {
            Scratch.deleteTree(dir);
        }
    }

    private static TraceMatch match(kr.max.library.fingerprint.Evidence e) {
        return new TraceMatch(e.exportId(), e.recipient(), e.exportedAt(), e.confidence(), e.log10CorrectedPValue(), e.bits(), e.matches());
    }

    /**
     * Copies the request body to {@code file} through a small buffer, never holding the body in memory;
     * stops at {@code limit} bytes, which also catches uploads without a Content-Length.
     */
    static void receive(Context ctx, Path file, long limit) {
        byte[] buf = new byte[COPY_BUFFER];
        long total = 0;
        try (InputStream in = ctx.bodyInputStream();
             OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            while (true) {
                int n;
                try {
                    n = in.read(buf);
                } catch (IOException e) {
                    // A cut-off or malformed body (bad chunking, client gone): nothing to deposit.
                    LOG.debug("upload body could not be read: {}", e.getClass().getSimpleName());
                    throw new MaxException(ServerError.MALFORMED_REQUEST, Location.NOWHERE, 400);
                }
                if (n < 0) break;
                total += n;
                if (total > limit) throw new MaxException(ServerError.PAYLOAD_TOO_LARGE, Location.NOWHERE, limit);
                try {
                    out.write(buf, 0, n);
                } catch (IOException e) {
                    // Scratch is memory: other uploads and queries took the space promised at the start.
                    throw new MaxException(ServerError.PAYLOAD_TOO_LARGE, Location.NOWHERE, limit);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---------------------------------------------------------------- query

    /**
     * Streams a query's result as it leaves DuckDB. JSON is one document, {@code {"columns":[…],"rows":[[…],…]}},
     * so that a result cut off by a failure is not valid JSON; CSV has a header line.
     */
    void query(Context ctx) {
        Principal who = Requests.principal(ctx);
        Views.QueryBody body = ctx.bodyAsClass(Views.QueryBody.class);
        if (body == null || body.sql() == null || body.sql().isBlank()) {
            throw Requests.invalid("sql", Requests.Expected.TEXT, 0, 0);
        }
        String format = Requests.format(body.format(), QUERY_FORMATS, "json");
        ResultWriter writer = "csv".equals(format) ? new CsvRows(ctx) : new JsonRows(ctx, json);
        var stats = library.query(who, body.sql(), body.purpose(), writer);
        if (stats.heldOutput() != null) {
            // Designated data: nothing was written; the result waits in the safe zone for review.
            ctx.status(202).json(new Views.Held(stats.heldOutput(), stats.rows(), stats.heldBackRows(),
                    library.safeZoneMinContributors()));
            return;
        }
        writer.finish();
    }

    interface ResultWriter extends ResultSink {
        void finish();
    }

    /** A result as one JSON document, {@code {"columns": […], "rows": […]}}, written row by row. */
    static final class JsonRows implements ResultWriter {
        private final Context ctx;
        private final JsonMapper json;
        private JsonGenerator g;

        JsonRows(Context ctx, JsonMapper json) {
            this.ctx = ctx;
            this.json = json;
        }

        @Override
        public void columns(List<String> names, List<String> sqlTypes) {
            ctx.contentType(Errors.JSON);
            g = json.createGenerator(ctx.outputStream());
            g.writeStartObject();
            g.writeName("columns");
            g.writeStartArray();
            for (int i = 0; i < names.size(); i++) {
                g.writeStartObject();
                g.writeStringProperty("name", names.get(i));
                g.writeStringProperty("type", sqlTypes.get(i));
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeName("rows");
            g.writeStartArray();
        }

        @Override
        public void row(Object[] values) {
            g.writeStartArray();
            for (Object v : values) Cells.write(g, v);
            g.writeEndArray();
        }

        @Override
        public void finish() {
            if (g == null) columns(List.of(), List.of());
            g.writeEndArray();
            g.writeEndObject();
            g.close();
        }
    }

    private static final class CsvRows implements ResultWriter {
        private final Context ctx;
        private Writer w;

        CsvRows(Context ctx) {
            this.ctx = ctx;
        }

        @Override
        public void columns(List<String> names, List<String> sqlTypes) {
            ctx.contentType("text/csv; charset=utf-8; header=present");
            w = new BufferedWriter(new OutputStreamWriter(ctx.outputStream(), StandardCharsets.UTF_8), COPY_BUFFER);
            line(names.toArray());
        }

        @Override
        public void row(Object[] values) {
            Object[] texts = new Object[values.length];
            for (int i = 0; i < values.length; i++) texts[i] = Cells.text(values[i]);
            line(texts);
        }

        private void line(Object[] fields) {
            try {
                for (int i = 0; i < fields.length; i++) {
                    if (i > 0) w.write(',');
                    w.write(Cells.csv((String) fields[i]));
                }
                w.write("\r\n");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void finish() {
            if (w == null) columns(List.of(), List.of());
            try {
                w.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    // ---------------------------------------------------------------- export

    /**
     * Exports a version into a memory-backed scratch file, streams it out, deletes it. The file name
     * offered to the client is made from the dataset name and version alone.
     */
    void export(Context ctx) {
        Principal who = Requests.principal(ctx);
        String dataset = Requests.dataset(ctx);
        String format = Requests.format(ctx.queryParam("format"), EXPORT_FORMATS, "parquet");
        Integer version = Requests.optionalInteger(ctx, "version", 1, 999_999_999);
        String ref = version == null ? dataset : dataset + "@" + version;
        String baseName = dataset.replace('/', '_');

        Path dir = newDirectory();
        try {
            Path file = dir.resolve(baseName + "." + format);
            // The bytes go to the caller: the export leaves for the caller's jurisdiction.
            QueryEngine.QueryStats stats = library.export(who, ref, file, format, ctx.queryParam("purpose"), who.jurisdiction());
            String exported = stats.tables().isEmpty() ? ref : stats.tables().getFirst();
            String versionPart = exported.contains("@") ? "-v" + exported.substring(exported.lastIndexOf('@') + 1) : "";
            ctx.contentType("parquet".equals(format) ? "application/vnd.apache.parquet" : "text/csv; charset=utf-8; header=present");
            ctx.header("Content-Disposition", "attachment; filename=\"" + baseName + versionPart + "." + format + "\"");
            ctx.header("X-Max-Rows", Long.toString(stats.rows()));
            if (stats.exportId() != null) ctx.header("X-Max-Export", stats.exportId());
            ctx.header("X-Max-Fingerprinted", Boolean.toString(stats.fingerprinted()));
            ctx.res().setContentLengthLong(Files.size(file));
            try (InputStream in = Files.newInputStream(file)) {
                in.transferTo(ctx.outputStream());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            Scratch.deleteTree(dir);
        }
    }

    // ---------------------------------------------------------------- scratch

    /** A private directory in scratch for one request's files; the caller removes it. */
    private Path newDirectory() {
        try {
            return Files.createDirectory(scratch.newFile(""));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long usableSpace(Path dir) {
        try {
            return Files.getFileStore(dir).getUsableSpace();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
