package kr.max.server;

import io.javalin.http.Context;
import java.io.OutputStream;
import kr.max.core.Classification;
import kr.max.core.Principal;
import kr.max.core.dictionary.DataDictionary;
import kr.max.library.Library;
import kr.max.library.audit.AuditRecord;
import kr.max.library.ingest.DictionaryYaml;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.json.JsonMapper;

/**
 * The catalog and audit routes: list, show, dictionary, describe, delete, audit, verify. Each passes
 * the request's principal to the library, whose policy engine decides and whose audit chain records.
 */
final class Api {

    /** Sample rows {@code show} returns unless {@code rows} says otherwise; the CLI shows as many. */
    static final int DEFAULT_SAMPLE_ROWS = 5;
    static final int MAX_SAMPLE_ROWS = 100;

    private final Library library;
    private final JsonMapper json;

    Api(Library library, JsonMapper json) {
        this.library = library;
        this.json = json;
    }

    void datasets(Context ctx) {
        var lines = library.datasets(Requests.principal(ctx)).stream().map(Views.DatasetLine::of).toList();
        ctx.json(new Views.DatasetList(lines));
    }

    void show(Context ctx) {
        Principal who = Requests.principal(ctx);
        String name = Requests.dataset(ctx);
        int rows = Requests.integer(ctx, "rows", DEFAULT_SAMPLE_ROWS, 0, MAX_SAMPLE_ROWS);
        ctx.json(Views.Details.of(library.show(who, name, rows, ctx.queryParam("purpose")), Errors.locale(ctx)));
    }

    void dictionary(Context ctx) {
        Principal who = Requests.principal(ctx);
        String name = Requests.dataset(ctx);
        Integer version = Requests.optionalInteger(ctx, "version", 1, 999_999_999);
        DataDictionary d = library.dictionary(who, version == null ? name : name + "@" + version);
        ctx.contentType("application/yaml; charset=utf-8").result(DictionaryYaml.toYaml(d, name));
    }

    void describe(Context ctx) {
        Principal who = Requests.principal(ctx);
        String name = Requests.dataset(ctx);
        Views.DescribeBody body = ctx.bodyAsClass(Views.DescribeBody.class);
        if (body == null) throw Requests.invalid("body", Requests.Expected.TEXT, 0, 0);
        var d = new Library.Description(body.titleKo(), body.titleEn(), body.descriptionKo(), body.descriptionEn(),
                body.tags(), body.classification() == null ? null : Classification.parse(body.classification()));
        ctx.json(Views.DatasetInfo.of(library.describe(who, name, d)));
    }

    void delete(Context ctx) {
        library.delete(Requests.principal(ctx), Requests.dataset(ctx));
        ctx.status(204);
    }

    /** The audit records as one JSON array, written record by record as the chain is read. */
    void audit(Context ctx) {
        Principal who = Requests.principal(ctx);
        String dataset = Requests.optionalDataset(ctx, "dataset");
        var stream = new LazyJson(ctx, json);
        library.audit(who, dataset, r -> stream.item(g -> writeRecord(g, r)));
        stream.finish();
    }

    void verify(Context ctx) {
        ctx.json(Views.AuditVerification.of(library.verifyAudit(Requests.principal(ctx))));
    }

    private static void writeRecord(JsonGenerator g, AuditRecord r) {
        g.writeStartObject();
        g.writeNumberProperty("seq", r.seq());
        g.writeStringProperty("at", r.at().toString());
        g.writeStringProperty("principal", r.principal());
        g.writeStringProperty("action", r.action());
        g.writeStringProperty("dataset", r.dataset());
        g.writeName("version");
        if (r.version() == null) g.writeNull();
        else g.writeNumber(r.version());
        g.writeStringProperty("outcome", r.outcome());
        g.writeStringProperty("detail", r.detail());
        g.writeStringProperty("queryHash", r.queryHash());
        g.writeStringProperty("prevHash", r.prevHash());
        g.writeStringProperty("hash", r.hash());
        g.writeEndObject();
    }

    /**
     * A JSON array written to the response as items arrive. Nothing is written before the first item or
     * {@link #finish()}, so an error raised before (a denial) still gets an ordinary error answer.
     */
    static final class LazyJson {
        private final Context ctx;
        private final JsonMapper json;
        private JsonGenerator g;

        LazyJson(Context ctx, JsonMapper json) {
            this.ctx = ctx;
            this.json = json;
        }

        interface Item {
            void write(JsonGenerator g);
        }

        void item(Item item) {
            start();
            item.write(g);
        }

        void finish() {
            start();
            g.writeEndArray();
            g.close();
        }

        private void start() {
            if (g != null) return;
            ctx.contentType(Errors.JSON);
            OutputStream out = ctx.outputStream();
            g = json.createGenerator(out);
            g.writeStartArray();
        }
    }
}
