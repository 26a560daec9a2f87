package kr.max.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import kr.max.library.sample.SampleData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** A dataset's life over HTTP, as a provider and a consumer with one token would live it. */
class HttpStoryTest {

    @TempDir
    static Path dir;

    static TestServer ts;

    @BeforeAll
    static void start() {
        ts = TestServer.start(dir);
    }

    @AfterAll
    static void stop() {
        if (ts != null) ts.close();
    }

    static HttpResponse<String> query(String sql, String format) {
        String body = TestServer.JSON.writeValueAsString(Map.of("sql", sql, "format", format));
        return ts.send(ts.operator("/v1/query").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    /** The dataset's line in the list, or null. */
    static JsonNode listed(String name) {
        HttpResponse<String> r = ts.get("/v1/datasets");
        assertThat(r.statusCode()).isEqualTo(200);
        for (JsonNode d : TestServer.json(r).get("datasets")) {
            if (d.get("name").asString().equals(name)) return d;
        }
        return null;
    }

    @Test
    void depositShowQueryExportAuditAndDeleteAKampShapedDataset() throws Exception {
        Path file = SampleData.injectionMolding(Files.createDirectories(dir.resolve("in")), 3000, 7);

        // deposit, streamed without a Content-Length
        HttpResponse<String> deposited = ts.upload("kamp/injection", file, "classification=internal");
        assertThat(deposited.statusCode()).as(deposited.body()).isEqualTo(201);
        assertThat(deposited.headers().firstValue("Location")).hasValue("/v1/datasets/kamp/injection");
        JsonNode result = TestServer.json(deposited);
        assertThat(result.get("version").asInt()).isEqualTo(1);
        assertThat(result.get("rows").asLong()).isEqualTo(3000);
        assertThat(result.get("chunks").asInt()).isPositive();
        assertThat(result.get("rejectedRows").asLong()).isZero();
        assertThat(result.get("source").get("fileName").asString()).isEqualTo("injection_molding.csv");
        assertThat(ts.filesInScratch()).as("the upload is removed from scratch").isZero();

        // list
        JsonNode line = listed("kamp/injection");
        assertThat(line).isNotNull();
        assertThat(line.get("rows").asLong()).isEqualTo(3000);
        assertThat(line.get("versions").asInt()).isEqualTo(1);
        assertThat(line.get("classification").asString()).isEqualTo("internal");

        // describe, then show
        HttpResponse<String> described = ts.send(ts.operator("/v1/datasets/kamp/injection")
                .header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(
                        "{\"titleKo\":\"사출 성형 공정\",\"titleEn\":\"Injection molding\",\"tags\":[\"kamp\",\"molding\"]}"))
                .build());
        assertThat(described.statusCode()).as(described.body()).isEqualTo(200);
        assertThat(TestServer.json(described).get("titleKo").asString()).isEqualTo("사출 성형 공정");

        HttpResponse<String> shown = ts.get("/v1/datasets/kamp/injection?rows=3");
        assertThat(shown.statusCode()).as(shown.body()).isEqualTo(200);
        JsonNode details = TestServer.json(shown);
        assertThat(details.get("dataset").get("tags").toString()).contains("molding");
        assertThat(details.get("versions").size()).isEqualTo(1);
        assertThat(details.get("versions").get(0).get("rows").asLong()).isEqualTo(3000);
        assertThat(details.get("versions").get(0).get("sourceName").asString()).isEqualTo("injection_molding.csv");
        assertThat(details.get("dictionary").get("timeZone").asString()).isEqualTo("Asia/Seoul");
        var columns = new ArrayList<String>();
        details.get("dictionary").get("columns").forEach(c -> columns.add(c.get("name").asString()));
        assertThat(columns).contains("TimeStamp", "EQUIP_NAME", "Cycle_Time").hasSize(12);
        assertThat(details.get("sample").get("rows").size()).isEqualTo(3);
        assertThat(details.get("sample").get("columns").size()).isEqualTo(12);

        // dictionary as YAML
        HttpResponse<String> dictionary = ts.get("/v1/dictionary/kamp/injection?version=1");
        assertThat(dictionary.statusCode()).as(dictionary.body()).isEqualTo(200);
        assertThat(dictionary.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/yaml"));
        JsonNode yaml = new YAMLMapper().readTree(dictionary.body());
        assertThat(yaml.get("columns").size()).isEqualTo(12);

        // query, JSON
        HttpResponse<String> perMachine = query(
                "SELECT EQUIP_NAME, count(*) AS shots FROM \"kamp/injection\" GROUP BY 1 ORDER BY 1", "json");
        assertThat(perMachine.statusCode()).as(perMachine.body()).isEqualTo(200);
        JsonNode answer = TestServer.json(perMachine);
        assertThat(answer.get("columns").get(1).get("name").asString()).isEqualTo("shots");
        long shots = 0;
        var machines = new ArrayList<String>();
        for (JsonNode row : answer.get("rows")) {
            machines.add(row.get(0).asString());
            shots += row.get(1).asLong();
        }
        assertThat(shots).isEqualTo(3000);
        assertThat(machines).hasSize(3).contains(SampleData.DISTINCT_MACHINE);

        // query, CSV
        HttpResponse<String> csv = query("SELECT * FROM \"kamp/injection\"", "csv");
        assertThat(csv.statusCode()).as(csv.body()).isEqualTo(200);
        assertThat(csv.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/csv"));
        List<String> lines = csv.body().lines().toList();
        assertThat(lines).hasSize(3001);
        assertThat(lines.getFirst()).startsWith("_id,TimeStamp,PART_NAME");
        assertThat(csv.body()).contains("\"CN7 W/S SIDE MLD'G RH\"".replace("\"", "")).contains(SampleData.DISTINCT_WORKER);

        // export, Parquet: read back with DuckDB
        Path parquet = dir.resolve("export.parquet");
        HttpResponse<Path> exported = ts.http.send(ts.operator("/v1/export/kamp/injection?format=parquet").GET().build(),
                HttpResponse.BodyHandlers.ofFile(parquet));
        assertThat(exported.statusCode()).isEqualTo(200);
        assertThat(exported.headers().firstValue("Content-Disposition"))
                .hasValue("attachment; filename=\"kamp_injection-v1.parquet\"");
        assertThat(exported.headers().firstValue("Content-Type")).hasValue("application/vnd.apache.parquet");
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
             Statement st = duck.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*), count(DISTINCT EQUIP_NAME) FROM read_parquet('"
                     + parquet.toString().replace("'", "''") + "')")) {
            rs.next();
            assertThat(rs.getLong(1)).isEqualTo(3000);
            assertThat(rs.getLong(2)).isEqualTo(3);
        }

        // export, CSV
        HttpResponse<String> exportedCsv = ts.get("/v1/export/kamp/injection?format=csv&version=1");
        assertThat(exportedCsv.statusCode()).isEqualTo(200);
        assertThat(exportedCsv.headers().firstValue("Content-Disposition"))
                .hasValue("attachment; filename=\"kamp_injection-v1.csv\"");
        assertThat(exportedCsv.body().lines().count()).isEqualTo(3001);
        assertThat(ts.filesInScratch()).as("exports are removed from scratch").isZero();

        // audit: every operation is on record
        HttpResponse<String> audit = ts.get("/v1/audit?dataset=kamp/injection");
        assertThat(audit.statusCode()).as(audit.body()).isEqualTo(200);
        var done = new ArrayList<String>();
        for (JsonNode r : TestServer.json(audit)) {
            if ("ok".equals(r.get("outcome").asString())) done.add(r.get("action").asString());
            assertThat(r.get("principal").asString()).isEqualTo(TestServer.OPERATOR.name());
        }
        assertThat(done).contains("ingest", "describe", "show", "dictionary", "query", "export");

        HttpResponse<String> verified = ts.get("/v1/audit/verify");
        assertThat(verified.statusCode()).isEqualTo(200);
        assertThat(TestServer.json(verified).get("intact").asBoolean()).isTrue();
        assertThat(TestServer.json(verified).get("records").asLong()).isGreaterThan(done.size());

        // delete: gone from everywhere
        HttpResponse<String> deleted = ts.send(ts.operator("/v1/datasets/kamp/injection").DELETE().build());
        assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(204);
        HttpResponse<String> gone = ts.get("/v1/datasets/kamp/injection");
        assertThat(gone.statusCode()).isEqualTo(404);
        assertThat(TestServer.json(gone).get("code").asString()).isEqualTo("MAX-CATALOG-001");
        assertThat(listed("kamp/injection")).isNull();
        HttpResponse<String> unknownTable = query("SELECT count(*) FROM \"kamp/injection\"", "json");
        assertThat(unknownTable.statusCode()).isEqualTo(404);
        assertThat(TestServer.json(unknownTable).get("code").asString()).isEqualTo("MAX-QUERY-003");
        assertThat(TestServer.json(ts.get("/v1/audit?dataset=kamp/injection")).toString()).contains("\"delete\"");
    }

    @Test
    void aRefusedFileIsAnsweredWithFileLineAndColumnInTheClientsLanguage() throws Exception {
        Path bad = Files.writeString(dir.resolve("press.csv"),
                "time,pressure\n2024-01-01T00:00:00,1.5\n2024-01-01T00:00:01,1.6\n2024-01-01T00:00:02,1.7,abc\n",
                StandardCharsets.UTF_8);
        var answers = new ArrayList<JsonNode>();
        for (String lang : List.of("en", "ko")) {
            HttpResponse<String> r = ts.send(ts.operator("/v1/ingest/kamp/press?sourceName=press.csv&format=csv")
                    .header("Accept-Language", lang)
                    .POST(HttpRequest.BodyPublishers.ofFile(bad)).build());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(422);
            answers.add(TestServer.json(r));
        }
        assertThat(answers.get(0).get("code").asString()).isEqualTo("MAX-INGEST-010");
        assertThat(answers.get(0).get("location").asString()).isEqualTo("press.csv:4:3");
        assertThat(answers.get(0).get("message").asString()).contains("abc").contains("more fields");
        assertThat(answers.get(1).get("message").asString()).contains("abc").isNotEqualTo(answers.get(0).get("message").asString())
                .containsPattern("[가-힣]");
        assertThat(ts.filesInScratch()).isZero();
        assertThat(listed("kamp/press")).isNull();

        // skipping bad rows commits the good ones and lists the rejected one, located
        HttpResponse<String> skipped = ts.send(ts.operator("/v1/ingest/kamp/press?sourceName=press.csv&format=csv&skipBadRows=true")
                .POST(HttpRequest.BodyPublishers.ofFile(bad)).build());
        assertThat(skipped.statusCode()).as(skipped.body()).isEqualTo(201);
        JsonNode r = TestServer.json(skipped);
        assertThat(r.get("rows").asLong()).isEqualTo(2);
        assertThat(r.get("rejectedRows").asLong()).isEqualTo(1);
        assertThat(r.get("rejected").get(0).get("location").asString()).isEqualTo("press.csv:4:3");
    }

    @Test
    void valuesOfEveryKindLeaveAsPlainJsonAndCsv() {
        String sql = "SELECT 42 AS i, 12345678901234567890::HUGEINT AS huge, 1.25::DECIMAL(4,2) AS dec, 'NaN'::DOUBLE AS nan, "
                + "true AS flag, NULL AS nothing, '프레스, \"3호기\"' AS text, TIMESTAMP '2024-03-04 05:06:07' AS wall, "
                + "TIMESTAMPTZ '2024-03-04 05:06:07+09' AS instant, DATE '2024-03-04' AS day, 'x'::BLOB AS bytes, "
                + "[1, 2] AS list, {'a': 1, 'b': 'z'} AS struct, MAP {'k': 2} AS map";
        HttpResponse<String> json = query(sql, "json");
        assertThat(json.statusCode()).as(json.body()).isEqualTo(200);
        JsonNode row = TestServer.json(json).get("rows").get(0);
        assertThat(row.get(0).asLong()).isEqualTo(42);
        assertThat(row.get(1).bigIntegerValue()).isEqualTo(new java.math.BigInteger("12345678901234567890"));
        assertThat(row.get(2).decimalValue()).isEqualByComparingTo("1.25");
        assertThat(row.get(3).asString()).isEqualTo("NaN");
        assertThat(row.get(4).asBoolean()).isTrue();
        assertThat(row.get(5).isNull()).isTrue();
        assertThat(row.get(6).asString()).isEqualTo("프레스, \"3호기\"");
        assertThat(row.get(7).asString()).isEqualTo("2024-03-04T05:06:07");
        assertThat(java.time.OffsetDateTime.parse(row.get(8).asString()).toInstant())
                .isEqualTo(java.time.Instant.parse("2024-03-03T20:06:07Z"));
        assertThat(row.get(9).asString()).isEqualTo("2024-03-04");
        assertThat(row.get(10).asString()).isEqualTo("eA==");
        assertThat(row.get(11).toString()).isEqualTo("[1,2]");
        assertThat(row.get(12).toString()).isEqualTo("[1,\"z\"]");
        assertThat(row.get(13).toString()).isEqualTo("{\"k\":2}");

        HttpResponse<String> csv = query(sql, "csv");
        assertThat(csv.statusCode()).as(csv.body()).isEqualTo(200);
        List<String> lines = csv.body().lines().toList();
        assertThat(lines.get(0)).isEqualTo("i,huge,dec,nan,flag,nothing,text,wall,instant,day,bytes,list,struct,map");
        assertThat(lines.get(1)).startsWith("42,12345678901234567890,1.25,NaN,true,,\"프레스, \"\"3호기\"\"\",2024-03-04T05:06:07,")
                .contains(",2024-03-04,eA==,");
    }
}
