package kr.max.cli;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import kr.max.core.Classification;
import kr.max.core.CoreError;
import kr.max.core.DatasetName;
import kr.max.core.ErrorCode;
import kr.max.core.Location;
import kr.max.core.MaxException;
import kr.max.core.Role;
import kr.max.library.Citation;
import kr.max.library.DatasetSummary;
import kr.max.library.IngestProgress;
import kr.max.library.Library;
import kr.max.library.UsageSummary;
import kr.max.library.VersionSummary;
import kr.max.library.agreement.Constraint;
import kr.max.library.agreement.Duty;
import kr.max.library.audit.AuditRecord;
import kr.max.library.audit.Verification;
import kr.max.library.identity.Identities;
import kr.max.library.ingest.DictionaryYaml;
import kr.max.library.ingest.IngestError;
import kr.max.library.policy.Action;
import kr.max.library.query.ResultSink;
import kr.max.library.safezone.SafeZoneOutputs;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A library server's HTTP API (routes: the server's {@code openapi.yaml}), acting as the principal of a
 * bearer token. HTTP/1.1 only; uploads are streamed from the file, query results, audit records and
 * exports are read as they arrive and never held whole. The server's errors, already in the user's
 * language, are printed as the server wrote them.
 *
 * <p>The token goes into the {@code Authorization} header and nowhere else: not into messages, not
 * into logs, not into URLs. Redirects are not followed, so it is never sent to another place.
 */
final class HttpBackend implements Backend {

    /** An error answer is small; anything larger is not the server's. */
    private static final int MAX_ERROR_BODY = 64 * 1024;
    private static final int COPY_BUFFER = 64 * 1024;
    private static final Pattern VERSIONED = Pattern.compile("^(.+)@([0-9]{1,9})$");
    private static final Pattern ERROR_CODE = Pattern.compile("MAX-[A-Z]+-[0-9]{3}");
    /** RFC 6750 {@code b64token}, as the server reads it. */
    private static final Pattern TOKEN68 = Pattern.compile("[A-Za-z0-9\\-._~+/]+=*");

    private final URI base;
    /** The server as it may be shown: scheme, host, port and path, never user information. */
    private final String display;
    private final String authorization;
    private final Locale locale;
    private final HttpClient http;
    /** Rows and records are read one at a time from a longer document: what follows each is not an error. */
    private final JsonMapper json = JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

    HttpBackend(String server, String token, Locale locale) {
        this.base = baseUri(server);
        this.display = base.toString();
        // A malformed token is not sent: the server answers MAX-SERVER-001 for it as for a missing one, and
        // nothing of it can end up in a header the HTTP client would reject with its value in the message.
        String t = token == null ? "" : token.strip();
        this.authorization = TOKEN68.matcher(t).matches() ? "Bearer " + t : null;
        this.locale = locale;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** {@code http(s)://host[:port][/prefix]}, without a trailing slash; anything else is refused. */
    static URI baseUri(String server) {
        try {
            URI u = new URI(server.strip());
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || u.getHost() == null || u.getRawQuery() != null
                    || u.getRawFragment() != null) {
                throw new MaxException(CliError.BAD_SERVER_URL, Location.NOWHERE, server);
            }
            String path = u.getRawPath() == null ? "" : u.getRawPath().replaceAll("/+$", "");
            // User information is dropped: it would travel in every message that names the server.
            return new URI(scheme + "://" + u.getRawAuthority().replaceFirst("^.*@", "") + path);
        } catch (URISyntaxException e) {
            throw new MaxException(CliError.BAD_SERVER_URL, Location.NOWHERE, server);
        }
    }

    // ---------------------------------------------------------------- data

    @Override
    public Ingested ingest(DepositRequest d, IngestProgress progress) {
        if (d.dictionary() != null) throw notOverHttp("--dictionary");
        var source = d.source();
        if (source.delimiter() != null) throw notOverHttp("--delimiter");
        if (source.header() != null) throw notOverHttp("--no-header");
        if (source.columns() != null) throw notOverHttp("--columns");
        Path file = d.file();
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) throw fileNotFound(file);
        var query = new Query().add("sourceName", file.getFileName().toString()).add("format", source.format())
                .add("encoding", source.encoding() == null ? null : source.encoding().name())
                .add("skipBadRows", d.skipBadRows() ? "true" : null).add("maxErrors", Integer.toString(d.maxErrors()))
                .add("classification", d.classification() == null ? null : d.classification().word())
                .add("timeZone", d.timeZone());
        HttpRequest.BodyPublisher body;
        try {
            body = HttpRequest.BodyPublishers.ofFile(file);
        } catch (FileNotFoundException e) {
            throw fileNotFound(file);
        }
        // Expect: 100-continue lets the server refuse a file too large before a byte of it is sent. The API reports
        // no progress, so the bar stays off (it draws only what the embedded library reports).
        var request = request("/v1/ingest/" + datasetPath(d.dataset()) + query).expectContinue(true)
                .header("Content-Type", "application/octet-stream").POST(body).build();
        JsonNode r = answer(request, 201);
        var rejected = new ArrayList<String>();
        for (JsonNode p : r.path("rejected")) rejected.add(p.path("message").asString());
        JsonNode src = r.path("source");
        return new Ingested(r.path("dataset").asString(), r.path("version").asInt(), r.path("rows").asLong(),
                r.path("chunks").asInt(), r.path("bytes").asLong(), text(src, "format"), text(src, "encoding"),
                r.path("rejectedRows").asLong(), rejected);
    }

    private static MaxException fileNotFound(Path file) {
        // The file is on this machine: the same error the library gives for it.
        return new MaxException(IngestError.FILE_NOT_FOUND, Location.file(file.toString()), file.toString());
    }

    @Override
    public List<DatasetSummary> datasets() {
        var out = new ArrayList<DatasetSummary>();
        for (JsonNode d : get("/v1/datasets").path("datasets")) {
            out.add(new DatasetSummary(text(d, "name"), Classification.parse(text(d, "classification")), text(d, "owner"),
                    d.path("versions").asInt(), d.path("rows").asLong(), d.path("bytes").asLong(), instant(d.path("updatedAt"))));
        }
        return out;
    }

    @Override
    public DatasetView show(String dataset, int sampleRows, String purpose) {
        JsonNode d = get("/v1/datasets/" + datasetPath(dataset) + new Query().add("rows", Integer.toString(sampleRows))
                .add("purpose", purpose));
        var versions = new ArrayList<VersionSummary>();
        for (JsonNode v : d.path("versions")) {
            versions.add(new VersionSummary(v.path("version").asInt(), instant(v.path("createdAt")), text(v, "createdBy"),
                    v.path("rows").asLong(), v.path("bytes").asLong(), v.path("chunks").asInt(), text(v, "sourceName"),
                    text(v, "sourceSha256"), text(v, "sourceFormat"), text(v, "sourceEncoding"), v.path("rejectedRows").asLong()));
        }
        DictionaryView dictionary = null;
        var types = new HashMap<String, String>();
        JsonNode dict = d.path("dictionary");
        if (dict.isObject()) {
            var columns = new ArrayList<Column>();
            for (JsonNode c : dict.path("columns")) {
                columns.add(new Column(text(c, "name"), text(c, "role"), text(c, "type"), text(c, "unit"), text(c, "sensitivity"),
                        text(c, "descriptionKo"), text(c, "descriptionEn")));
                types.put(text(c, "name"), text(c, "type"));
            }
            dictionary = new DictionaryView(text(dict, "timeZone"), columns);
        }
        var sampleColumns = new ArrayList<String>();
        for (JsonNode c : d.path("sample").path("columns")) sampleColumns.add(c.asString());
        var sample = new ArrayList<Object[]>();
        for (JsonNode row : d.path("sample").path("rows")) {
            Object[] values = new Object[row.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = sampleValue(row.get(i), i < sampleColumns.size() ? types.get(sampleColumns.get(i)) : null);
            }
            sample.add(values);
        }
        var rejected = new ArrayList<String>();
        for (JsonNode p : d.path("rejected")) rejected.add(p.path("message").asString());
        return new DatasetView(datasetInfo(d.path("dataset")), versions, dictionary, sampleColumns, sample, rejected);
    }

    @Override
    public DictionaryText dictionary(String ref) {
        Ref r = ref(ref);
        var request = request("/v1/dictionary/" + datasetPath(r.name())
                + new Query().add("version", r.version())).GET().build();
        String yaml;
        try (InputStream in = expect(send(request), 200)) {
            yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw cutOff(e);
        }
        return new DictionaryText(yaml, DictionaryYaml.fromYaml(yaml, r.name()).columns().size());
    }

    @Override
    public DatasetInfo describe(String dataset, Library.Description d) {
        if (d.domesticOnly() != null) throw notOverHttp("--domestic-only");
        ObjectNode body = json.createObjectNode();
        put(body, "titleKo", d.titleKo());
        put(body, "titleEn", d.titleEn());
        put(body, "descriptionKo", d.descriptionKo());
        put(body, "descriptionEn", d.descriptionEn());
        put(body, "tags", d.tags());
        put(body, "classification", d.classification() == null ? null : d.classification().word());
        return datasetInfo(call("PATCH", "/v1/datasets/" + datasetPath(dataset), body, 200));
    }

    @Override
    public Traced trace(Path file) {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) throw fileNotFound(file);
        HttpRequest.BodyPublisher body;
        try {
            body = HttpRequest.BodyPublishers.ofFile(file);
        } catch (FileNotFoundException e) {
            throw fileNotFound(file);
        }
        var request = request("/v1/trace" + new Query().add("name", file.getFileName().toString())).expectContinue(true)
                .header("Content-Type", "application/octet-stream").POST(body).build();
        JsonNode r = answer(request, 200);
        var matches = new ArrayList<TraceMatch>();
        for (JsonNode m : r.path("matches")) matches.add(traceMatch(m));
        JsonNode strongest = r.path("strongest");
        return new Traced(matches, text(r, "reason"), r.path("candidates").asInt(),
                strongest.isObject() ? traceMatch(strongest) : null);
    }

    private static TraceMatch traceMatch(JsonNode m) {
        return new TraceMatch(text(m, "exportId"), text(m, "recipient"), instant(m.path("exportedAt")), m.path("confidence").asDouble(),
                m.path("log10PValue").asDouble(), m.path("bits").asLong(), m.path("matches").asLong());
    }

    @Override
    public Controls controls(String dataset) {
        return controlsOf(get("/v1/controls/" + datasetPath(dataset)));
    }

    @Override
    public Controls protect(String dataset, Set<Action> deidRequiredFor, Set<String> neverLeave) {
        ObjectNode body = json.createObjectNode();
        put(body, "deidRequiredFor", deidRequiredFor.stream().sorted().map(Action::word).toList());
        put(body, "neverLeave", List.copyOf(neverLeave));
        return controlsOf(call("PUT", "/v1/controls/" + datasetPath(dataset), body, 200));
    }

    @Override
    public kr.max.library.stream.EdgeRules edgeRules(String dataset) {
        return kr.max.library.stream.EdgeRules.parse(get("/v1/streams/" + datasetPath(dataset) + "/edge-rules"));
    }

    @Override
    public kr.max.library.stream.EdgeRules setEdgeRules(String dataset, kr.max.library.stream.EdgeRules rules) {
        JsonNode body = json.readTree(rules.canonicalJson());
        return kr.max.library.stream.EdgeRules.parse(call("PUT", "/v1/streams/" + datasetPath(dataset) + "/edge-rules", body, 200));
    }

    @Override
    public Compacted compact(String dataset) {
        JsonNode c = call("POST", "/v1/streams/" + datasetPath(dataset) + "/compact", json.createObjectNode(), 200);
        return new Compacted(new kr.max.library.stream.StreamCompaction(text(c, "dataset"), c.path("partitions").asInt(),
                c.path("chunksBefore").asInt(), c.path("chunksAfter").asInt(), c.path("rows").asLong(), c.path("bytesBefore").asLong(),
                c.path("bytesAfter").asLong()), c.path("minChunks").asInt());
    }

    private static Controls controlsOf(JsonNode c) {
        var deid = new ArrayList<String>();
        for (JsonNode a : c.path("deidRequiredFor")) deid.add(a.asString());
        var never = new ArrayList<String>();
        for (JsonNode a : c.path("neverLeave")) never.add(a.asString());
        return new Controls(text(c, "dataset"), text(c, "releaseOf"), deid, never);
    }

    @Override
    public Deidentified deidentify(String dataset, kr.max.library.deid.DeidProfile profile, String release) {
        ObjectNode body = json.createObjectNode();
        body.put("profile", profile.toSelfContainedYaml());
        put(body, "release", release);
        var r = release == null ? call("POST", "/v1/deid/" + datasetPath(dataset), body, 200)
                : call("POST", "/v1/deid/" + datasetPath(dataset), body, 201);
        var report = json.treeToValue(r.get("report"), kr.max.library.deid.RiskReport.class);
        return new Deidentified(text(r, "release"), r.path("version").isNumber() ? r.path("version").asInt() : null,
                text(r, "profile"), r.path("profileVersion").isNumber() ? r.path("profileVersion").asInt() : null, report);
    }

    private static DatasetInfo datasetInfo(JsonNode d) {
        var tags = new ArrayList<String>();
        for (JsonNode t : d.path("tags")) tags.add(t.asString());
        return new DatasetInfo(text(d, "name"), text(d, "classification"), text(d, "owner"), text(d, "titleKo"),
                text(d, "titleEn"), text(d, "descriptionKo"), text(d, "descriptionEn"), tags);
    }

    @Override
    public void delete(String dataset) {
        call("DELETE", "/v1/datasets/" + datasetPath(dataset), null, 204);
    }

    @Override
    public QueryOutcome query(String sql, String purpose, ResultSink sink) {
        ObjectNode body = json.createObjectNode();
        body.put("sql", sql);
        // Always JSON, whatever --format says: the values come back typed and are printed here exactly as the
        // embedded library's are.
        body.put("format", "json");
        put(body, "purpose", purpose);
        var response = send(jsonRequest("POST", "/v1/query", body));
        if (response.statusCode() == 202) {
            JsonNode held = readSmall(response);
            return new QueryOutcome.Held(text(held, "heldOutput"), held.path("rows").asLong(), held.path("heldBackRows").asLong(),
                    held.path("minContributors").asInt());
        }
        try (InputStream in = expect(response, 200)) {
            return new QueryOutcome.Delivered(readResult(in, sink));
        } catch (IOException e) {
            throw cutOff(e);
        }
    }

    @Override
    public Exported export(String ref, Path target, String format, String purpose) {
        Ref r = ref(ref);
        var request = request("/v1/export/" + datasetPath(r.name()) + new Query().add("format", format)
                .add("version", r.version()).add("purpose", purpose)).GET().build();
        var response = send(request);
        Path part = target.resolveSibling(target.getFileName() + ".part");
        try (InputStream in = expect(response, 200)) {
            long received = copy(in, part, target);
            long declared = response.headers().firstValueAsLong("Content-Length").orElse(-1);
            if (declared >= 0 && declared != received) throw cutOff();
            moveIntoPlace(part, target);
        } catch (IOException e) {
            throw cutOff(e);
        } finally {
            try {
                Files.deleteIfExists(part);
            } catch (IOException ignored) {
                // nothing more can be done about a part file that cannot be removed
            }
        }
        return new Exported(response.headers().firstValueAsLong("X-Max-Rows").orElse(0),
                response.headers().firstValue("X-Max-Export").orElse(null),
                response.headers().firstValue("X-Max-Fingerprinted").map(Boolean::parseBoolean).orElse(false));
    }

    /** Copies the body into {@code part}; a failure to write is the target's, a failure to read the connection's. */
    private long copy(InputStream in, Path part, Path target) throws IOException {
        byte[] buf = new byte[COPY_BUFFER];
        long total = 0;
        OutputStream out;
        try {
            out = Files.newOutputStream(part);
        } catch (IOException e) {
            throw new MaxException(CliError.CANNOT_WRITE, Location.file(target.toString()), target.toString());
        }
        try (out) {
            for (int n; (n = in.read(buf)) >= 0; ) {
                try {
                    out.write(buf, 0, n);
                } catch (IOException e) {
                    throw new MaxException(CliError.CANNOT_WRITE, Location.file(target.toString()), target.toString());
                }
                total += n;
            }
        }
        return total;
    }

    private static void moveIntoPlace(Path part, Path target) {
        try {
            try {
                Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(part, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new MaxException(CliError.CANNOT_WRITE, Location.file(target.toString()), target.toString());
        }
    }

    @Override
    public void audit(String dataset, Consumer<AuditRecord> sink) {
        var request = request("/v1/audit" + new Query().add("dataset", dataset)).GET().build();
        try (InputStream in = expect(send(request), 200); JsonParser p = json.createParser(in)) {
            if (p.nextToken() != JsonToken.START_ARRAY) throw notMax(200);
            for (JsonToken t; (t = p.nextToken()) != JsonToken.END_ARRAY; ) {
                if (t != JsonToken.START_OBJECT) throw cutOff();
                JsonNode r = json.readTree(p);
                sink.accept(new AuditRecord(r.path("seq").asLong(), instant(r.path("at")), text(r, "principal"), text(r, "action"),
                        text(r, "dataset"), r.path("version").isNumber() ? r.path("version").asInt() : null, text(r, "outcome"),
                        text(r, "detail"), text(r, "queryHash"), text(r, "prevHash"), text(r, "hash")));
            }
        } catch (IOException | JacksonException e) {
            throw cutOff(e);
        }
    }

    @Override
    public Verification verifyAudit() {
        JsonNode v = get("/v1/audit/verify");
        return new Verification(v.path("intact").asBoolean(), v.path("records").asLong(), v.path("checkpoints").asLong(),
                v.path("firstBrokenSeq").isNumber() ? v.path("firstBrokenSeq").asLong() : -1, text(v, "reason"));
    }

    // ---------------------------------------------------------------- identities

    @Override
    public Identities.Organization createOrganization(String name, String businessNumber, String jurisdiction) {
        ObjectNode body = json.createObjectNode();
        body.put("name", name);
        put(body, "businessNumber", businessNumber);
        body.put("jurisdiction", jurisdiction);
        return organization(call("POST", "/v1/organizations", body, 201));
    }

    @Override
    public List<Identities.Organization> organizations() {
        return items(get("/v1/organizations"), HttpBackend::organization);
    }

    private static Identities.Organization organization(JsonNode o) {
        return new Identities.Organization(text(o, "name"), text(o, "businessNumber"), text(o, "jurisdiction"),
                instant(o.path("createdAt")));
    }

    @Override
    public Identities.User createUser(String name, String organization, Set<Role> roles) {
        ObjectNode body = json.createObjectNode();
        body.put("name", name);
        body.put("organization", organization);
        put(body, "roles", roles.stream().sorted().map(Role::word).toList());
        return user(call("POST", "/v1/users", body, 201));
    }

    @Override
    public List<Identities.User> users(String organization) {
        return items(get("/v1/users" + new Query().add("organization", organization)), HttpBackend::user);
    }

    private static Identities.User user(JsonNode u) {
        return new Identities.User(text(u, "name"), text(u, "organization"), text(u, "jurisdiction"), roles(u.path("roles")),
                instant(u.path("createdAt")), null);
    }

    @Override
    public Identities.IssuedToken issueToken(String user, Set<Role> scopes, long days, String label) {
        ObjectNode body = json.createObjectNode();
        put(body, "user", user);
        if (!scopes.isEmpty()) put(body, "scopes", scopes.stream().sorted().map(Role::word).toList());
        body.put("days", days);
        put(body, "label", label);
        JsonNode issued = call("POST", "/v1/tokens", body, 201);
        return new Identities.IssuedToken(text(issued, "token"), token(issued.path("info")));
    }

    @Override
    public List<Identities.TokenInfo> tokens(String user) {
        return items(get("/v1/tokens" + new Query().add("user", user)), HttpBackend::token);
    }

    @Override
    public Identities.TokenInfo revokeToken(String id) {
        return token(call("DELETE", "/v1/tokens/" + segment(id), null, 200));
    }

    private static Identities.TokenInfo token(JsonNode t) {
        return new Identities.TokenInfo(text(t, "id"), text(t, "user"), roles(t.path("scopes")), text(t, "label"),
                instant(t.path("createdAt")), instant(t.path("expiresAt")), instant(t.path("revokedAt")));
    }

    private static Set<Role> roles(JsonNode words) {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        for (JsonNode w : words) {
            for (Role r : Role.values()) {
                if (r.word().equals(w.asString())) roles.add(r);
            }
        }
        return roles;
    }

    // ---------------------------------------------------------------- the safe zone

    @Override
    public List<SafeZoneOutputs.Output> outputs() {
        return items(get("/v1/outputs"), HttpBackend::output);
    }

    @Override
    public SafeZoneOutputs.Output review(String id, boolean release, String note) {
        ObjectNode body = json.createObjectNode();
        put(body, "note", note);
        return output(call("POST", "/v1/outputs/" + segment(id) + (release ? "/release" : "/reject"), body, 200));
    }

    @Override
    public void releasedOutput(String id, ResultSink sink) {
        var request = request("/v1/outputs/" + segment(id) + "/result").GET().build();
        try (InputStream in = expect(send(request), 200)) {
            readResult(in, sink);
        } catch (IOException e) {
            throw cutOff(e);
        }
    }

    private static SafeZoneOutputs.Output output(JsonNode o) {
        var datasets = new ArrayList<String>();
        for (JsonNode d : o.path("datasets")) datasets.add(d.asString());
        String kind = text(o, "kind");
        return new SafeZoneOutputs.Output(text(o, "id"), text(o, "analyst"), text(o, "organization"), datasets, null,
                SafeZoneOutputs.State.valueOf(o.path("state").asString().toUpperCase(Locale.ROOT)), o.path("rows").asLong(),
                o.path("heldBackRows").asLong(), instant(o.path("createdAt")), text(o, "reviewedBy"),
                instant(o.path("reviewedAt")), text(o, "reviewNote"),
                kind == null ? SafeZoneOutputs.Kind.QUERY : SafeZoneOutputs.Kind.valueOf(kind.toUpperCase(Locale.ROOT)),
                text(o, "model"), null, text(o, "purpose"), text(o, "destination"), instant(o.path("exportedAt")));
    }

    // ---------------------------------------------------------------- access requests and agreements

    @Override
    public Request requestAccess(String dataset, String purpose, Set<Action> actions, Constraint.TimeWindow period,
                                 Set<String> analysts) {
        ObjectNode body = json.createObjectNode();
        body.put("dataset", dataset);
        body.put("purpose", purpose);
        put(body, "actions", words(actions));
        put(body, "from", period.notBefore() == null ? null : period.notBefore().toString());
        put(body, "until", period.notAfter() == null ? null : period.notAfter().toString());
        if (!analysts.isEmpty()) put(body, "analysts", List.copyOf(new TreeSet<>(analysts)));
        return request(call("POST", "/v1/requests", body, 201));
    }

    @Override
    public List<Request> requests() {
        return items(get("/v1/requests"), HttpBackend::request);
    }

    @Override
    public Request approve(String id, List<Duty> duties) {
        ObjectNode body = json.createObjectNode();
        if (!duties.isEmpty()) put(body, "duties", duties.stream().map(Duty::word).toList());
        return decide(id, "approve", body);
    }

    @Override
    public Request narrow(String id, Narrowing n, List<Duty> duties) {
        ObjectNode body = json.createObjectNode();
        if (n.actions() != null) put(body, "actions", words(n.actions()));
        if (n.purposes() != null) put(body, "purposes", List.copyOf(new TreeSet<>(n.purposes())));
        put(body, "from", n.from() == null ? null : n.from().toString());
        put(body, "until", n.until() == null ? null : n.until().toString());
        if (n.analysts() != null) put(body, "analysts", List.copyOf(new TreeSet<>(n.analysts())));
        if (n.maxUses() != null) body.put("maxUses", n.maxUses());
        if (n.deidentifiedOnly() != null) body.put("deidentifiedOnly", n.deidentifiedOnly());
        if (!duties.isEmpty()) put(body, "duties", duties.stream().map(Duty::word).toList());
        return decide(id, "narrow", body);
    }

    @Override
    public Request refuse(String id, String reason) {
        ObjectNode body = json.createObjectNode();
        put(body, "reason", reason);
        return decide(id, "refuse", body);
    }

    @Override
    public Request withdraw(String id) {
        return decide(id, "withdraw", json.createObjectNode());
    }

    @Override
    public Request revoke(String id) {
        return decide(id, "revoke", json.createObjectNode());
    }

    private Request decide(String id, String transition, ObjectNode body) {
        return request(call("POST", "/v1/requests/" + segment(id) + "/" + transition, body, 200));
    }

    private static Request request(JsonNode e) {
        Set<Action> actions = EnumSet.noneOf(Action.class);
        for (JsonNode w : e.path("actions")) Action.fromWord(w.asString()).ifPresent(actions::add);
        var purposes = new TreeSet<String>();
        for (JsonNode p : e.path("purposes")) purposes.add(p.asString());
        var analysts = new TreeSet<String>();
        for (JsonNode a : e.path("analysts")) analysts.add(a.asString());
        var uses = new EnumMap<Action, Long>(Action.class);
        for (var u : e.path("uses").properties()) Action.fromWord(u.getKey()).ifPresent(a -> uses.put(a, u.getValue().asLong()));
        for (Action a : actions) uses.putIfAbsent(a, 0L);
        Long maxUses = e.path("maxUses").isNumber() ? e.path("maxUses").asLong() : null;
        return new Request(text(e, "id"), text(e, "dataset"), text(e, "provider"), text(e, "consumer"), text(e, "state"), actions,
                purposes, instant(e.path("from")), instant(e.path("until")), analysts, maxUses, uses, text(e, "requestedBy"),
                text(e, "decidedBy"));
    }

    private static List<String> words(Set<Action> actions) {
        return EnumSet.copyOf(actions).stream().map(Action::word).toList();
    }

    @Override
    public List<UsageSummary> usage(String dataset) {
        return items(get("/v1/usage/" + datasetPath(dataset)), u -> new UsageSummary(text(u, "principal"), text(u, "organization"),
                text(u, "action"), text(u, "purpose"), u.path("uses").asLong(), u.path("refused").asLong(), instant(u.path("lastAt"))));
    }

    @Override
    public List<kr.max.library.share.Protections.ReleaseRecord> releases(String dataset) {
        return items(get("/v1/releases/" + datasetPath(dataset)), r -> new kr.max.library.share.Protections.ReleaseRecord(
                text(r, "release"), r.path("version").asInt(), r.path("sourceVersion").asInt(), text(r, "profile"),
                r.path("profileVersion").asInt(), r.path("rows").asLong(), instant(r.path("at")), text(r, "createdBy")));
    }

    @Override
    public List<ExportView> exports(String dataset) {
        return items(get("/v1/exports/" + datasetPath(dataset)), e -> new ExportView(text(e, "id"), e.path("version").asInt(),
                text(e, "recipient"), text(e, "organization"), text(e, "purpose"), text(e, "format"), e.path("rows").asLong(),
                instant(e.path("at")), e.path("fingerprinted").asBoolean()));
    }

    @Override
    public Citation citation(String ref) {
        Ref r = ref(ref);
        JsonNode c = get("/v1/citation/" + datasetPath(r.name()) + new Query().add("version", r.version()));
        return new Citation(text(c, "dataset"), c.path("version").asInt(), text(c, "provider"), null, text(c, "korean"),
                text(c, "english"));
    }

    @Override
    public void close() {
        // Every exchange is over by now; whatever a command chose not to read is dropped.
        http.shutdownNow();
    }

    // ---------------------------------------------------------------- the model registry

    @Override
    public List<kr.max.library.Models.ModelSummary> models() {
        return items(get("/v1/models"), m -> new kr.max.library.Models.ModelSummary(text(m, "name"), text(m, "owner"),
                text(m, "ownerOrganization"), Classification.parse(text(m, "classification")), m.path("versions").asInt(),
                text(m, "type"), instant(m.path("updatedAt")), text(m, "description")));
    }

    @Override
    public kr.max.models.registry.ModelInfo model(String ref) {
        Ref r = modelRef(ref);
        JsonNode m = get("/v1/models/" + r.name() + new Query().add("version", r.version()));
        var versions = new ArrayList<kr.max.models.registry.ModelVersionView>();
        for (JsonNode v : m.path("versions")) versions.add(modelVersion(v));
        return new kr.max.models.registry.ModelInfo(text(m, "name"), text(m, "owner"), text(m, "ownerOrganization"),
                Classification.parse(text(m, "classification")), m.path("domesticOnly").asBoolean(), text(m, "description"),
                instant(m.path("createdAt")), versions, modelVersion(m.path("shown")));
    }

    @Override
    public kr.max.models.registry.ModelVersionView train(String type, String dataset, java.util.Map<String, Object> params, long seed,
                                                        String name, String purpose) {
        ObjectNode body = json.createObjectNode();
        body.put("type", type);
        body.put("dataset", datasetRef(dataset));
        body.set("params", json.valueToTree(params == null ? java.util.Map.of() : params));
        body.put("seed", seed);
        if (name != null) body.put("name", modelName(name));
        put(body, "purpose", purpose);
        return modelVersion(call("POST", "/v1/models/train", body, 201));
    }

    @Override
    public kr.max.models.Metrics evaluate(String model, String dataset, String purpose) {
        Ref r = modelRef(model);
        ObjectNode body = json.createObjectNode();
        body.put("dataset", datasetRef(dataset));
        put(body, "purpose", purpose);
        return metrics(call("POST", "/v1/models/" + r.name() + "/evaluate" + new Query().add("version", r.version()), body, 200));
    }

    @Override
    public PredictedFile predict(String model, String dataset, String purpose, Path target) {
        Ref r = modelRef(model);
        ObjectNode body = json.createObjectNode();
        body.put("dataset", datasetRef(dataset));
        put(body, "purpose", purpose);
        var response = send(jsonRequest("POST", "/v1/models/" + r.name() + "/predict" + new Query().add("version", r.version()), body));
        Path part = target.resolveSibling(target.getFileName() + ".part");
        try (InputStream in = expect(response, 200)) {
            copy(in, part, target);
            List<String> columns;
            long rows;
            try (var lines = Files.lines(part, StandardCharsets.UTF_8)) {
                var it = lines.iterator();
                columns = it.hasNext() ? List.of(it.next().split(",", -1)) : List.of();
                long n = 0;
                while (it.hasNext()) {
                    it.next();
                    n++;
                }
                rows = n;
            }
            moveIntoPlace(part, target);
            return new PredictedFile(rows, columns);
        } catch (IOException | java.io.UncheckedIOException e) {
            throw cutOff(e);
        } finally {
            deleteQuietly(part);
        }
    }

    @Override
    public kr.max.models.registry.ModelVersionView importOnnx(Path file, String name, String description, Classification classification) {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) throw fileNotFound(file);
        HttpRequest.BodyPublisher body;
        try {
            body = HttpRequest.BodyPublishers.ofFile(file);
        } catch (FileNotFoundException e) {
            throw fileNotFound(file);
        }
        var query = new Query().add("sourceName", file.getFileName().toString()).add("description", description)
                .add("classification", classification == null ? null : classification.word());
        var request = request("/v1/models/" + modelName(name) + "/import" + query).expectContinue(true)
                .header("Content-Type", "application/octet-stream").POST(body).build();
        return modelVersion(answer(request, 201));
    }

    @Override
    public kr.max.library.Models.ModelExport exportModel(String ref, Path target, String purpose) {
        Ref r = modelRef(ref);
        var response = send(request("/v1/models/" + r.name() + "/export" + new Query().add("version", r.version())
                .add("purpose", purpose)).GET().build());
        if (response.statusCode() == 202) {
            // Designated data: the export waits in the safe zone for review; nothing to write.
            JsonNode held = readSmall(response);
            var reviewers = new ArrayList<String>();
            for (JsonNode o : held.path("reviewers")) reviewers.add(o.asString());
            return new kr.max.library.Models.HeldModel(text(held, "heldOutput"), text(held, "model"), held.path("version").asInt(),
                    reviewers, held.path("alreadyPending").asBoolean());
        }
        Path part = target.resolveSibling(target.getFileName() + ".part");
        try (InputStream in = expect(response, 200)) {
            long received = copy(in, part, target);
            long declared = response.headers().firstValueAsLong("Content-Length").orElse(-1);
            if (declared >= 0 && declared != received) throw cutOff();
            moveIntoPlace(part, target);
            String exported = response.headers().firstValue("X-Max-Model").orElse(r.name() + "@0");
            int at = exported.lastIndexOf('@');
            return new kr.max.library.Models.ExportedModel(exported.substring(0, at), Integer.parseInt(exported.substring(at + 1)),
                    response.headers().firstValue("X-Max-Model-Type").orElse(null), received);
        } catch (IOException | NumberFormatException e) {
            throw cutOff(e);
        } finally {
            deleteQuietly(part);
        }
    }

    private kr.max.models.registry.ModelVersionView modelVersion(JsonNode v) {
        String ref = text(v, "ref");
        String model = ref == null ? null : ref.substring(0, ref.lastIndexOf('@'));
        JsonNode card = v.path("card");
        JsonNode lineage = v.path("lineage");
        return new kr.max.models.registry.ModelVersionView(model, v.path("version").asInt(), text(v, "type"),
                Classification.parse(text(v, "classification")), v.path("domesticOnly").asBoolean(), instant(v.path("createdAt")),
                text(v, "createdBy"), v.path("bytes").asLong(), v.path("metrics").isObject() ? metrics(v.path("metrics")) : null,
                card.isObject() ? json.treeToValue(card, kr.max.models.ModelCard.class) : null,
                lineage.isObject() ? json.treeToValue(lineage, kr.max.library.model.ModelLineage.class) : null);
    }

    /** Metrics as the server writes them: a figure that is not a number arrives as {@code null}. */
    private static kr.max.models.Metrics metrics(JsonNode m) {
        var b = kr.max.models.Metrics.on(text(m, "on"));
        for (var e : m.path("values").properties()) {
            JsonNode v = e.getValue();
            b.put(e.getKey(), v.isNumber() ? v.asDouble() : Double.NaN);
        }
        return b.build();
    }

    /** A model reference: only a valid name goes into a URL, as the server accepts only valid names. */
    private static Ref modelRef(String ref) {
        var parsed = kr.max.library.model.ModelName.parse(ref);
        return new Ref(parsed.name(), parsed.version() == null ? null : Integer.toString(parsed.version()));
    }

    private static String modelName(String name) {
        return kr.max.library.model.ModelName.require(name);
    }

    private static String datasetRef(String ref) {
        datasetPath(ref(ref).name());
        return ref;
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // nothing more can be done about a part file that cannot be removed
        }
    }

    // ---------------------------------------------------------------- query results

    /**
     * Reads {@code {"columns":[{"name","type"}],"rows":[[…],…]}} token by token, one row at a time, giving
     * each value the Java type the embedded library would have given it, so that it prints the same.
     */
    private long readResult(InputStream in, ResultSink sink) {
        long rows = 0;
        try (JsonParser p = json.createParser(in)) {
            if (p.nextToken() != JsonToken.START_OBJECT) throw notMax(200);
            List<String> types = null;
            for (JsonToken t; (t = p.nextToken()) == JsonToken.PROPERTY_NAME; ) {
                String field = p.currentName();
                p.nextToken();
                switch (field) {
                    case "columns" -> {
                        var names = new ArrayList<String>();
                        types = new ArrayList<>();
                        for (JsonNode c : json.readTree(p)) {
                            names.add(text(c, "name"));
                            types.add(text(c, "type"));
                        }
                        sink.columns(names, types);
                    }
                    case "rows" -> {
                        if (types == null || p.currentToken() != JsonToken.START_ARRAY) throw notMax(200);
                        for (JsonToken r; (r = p.nextToken()) != JsonToken.END_ARRAY; ) {
                            if (r != JsonToken.START_ARRAY) throw cutOff();
                            var values = new ArrayList<Object>(types.size());
                            for (JsonToken v; (v = p.nextToken()) != JsonToken.END_ARRAY; ) {
                                if (v == null) throw cutOff();
                                values.add(value(p, v, values.size() < types.size() ? types.get(values.size()) : ""));
                            }
                            sink.row(values.toArray());
                            rows++;
                        }
                    }
                    default -> p.skipChildren();
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT) throw cutOff();
        } catch (JacksonException e) {
            // The server writes whole documents only; a broken one was cut off on the way.
            throw cutOff(e);
        }
        return rows;
    }

    /** One value of a result row, typed after its SQL type as DuckDB's JDBC driver types it. */
    private Object value(JsonParser p, JsonToken token, String sqlType) {
        String type = sqlType == null ? "" : sqlType.toUpperCase(Locale.ROOT);
        return switch (token) {
            case VALUE_NULL -> null;
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> number(p.getString(), type);
            case VALUE_STRING -> typedText(p.getString(), type);
            case START_ARRAY, START_OBJECT -> plain(json.readTree(p));
            default -> throw cutOff();
        };
    }

    private static Object number(String text, String type) {
        if (type.startsWith("DECIMAL") || type.startsWith("NUMERIC")) return new BigDecimal(text);
        if (type.equals("FLOAT") || type.equals("REAL")) return Float.parseFloat(text);
        if (type.equals("DOUBLE") || text.contains(".") || text.contains("e") || text.contains("E")) return Double.parseDouble(text);
        var n = new BigInteger(text);
        return n.bitLength() < 64 ? (Object) n.longValue() : n;
    }

    private static Object typedText(String s, String type) {
        try {
            return switch (type) {
                case "TIMESTAMP WITH TIME ZONE", "TIMESTAMPTZ" -> OffsetDateTime.parse(s);
                // DuckDB's driver gives a wall-clock TIMESTAMP as java.sql.Timestamp; so does this.
                case "TIMESTAMP", "TIMESTAMP_S", "TIMESTAMP_MS", "TIMESTAMP_NS" -> java.sql.Timestamp.valueOf(LocalDateTime.parse(s));
                case "DATE" -> LocalDate.parse(s);
                case "TIME" -> LocalTime.parse(s);
                case "DOUBLE" -> Double.valueOf(s); // NaN and the infinities travel as text
                case "FLOAT", "REAL" -> Float.valueOf(s);
                default -> s;
            };
        } catch (RuntimeException e) {
            return s;
        }
    }

    /** A sample value of {@code max show}: typed after the data dictionary's column type. */
    private static Object sampleValue(JsonNode v, String dictionaryType) {
        if (v == null || v.isNull()) return null;
        if (v.isBoolean()) return v.asBoolean();
        if (v.isIntegralNumber()) return v.canConvertToLong() ? (Object) v.asLong() : v.bigIntegerValue();
        if (v.isNumber()) return v.asDouble();
        if (v.isString()) {
            String s = v.asString();
            if ("timestamp".equals(dictionaryType)) return typedText(s, "TIMESTAMP WITH TIME ZONE");
            if ("decimal".equals(dictionaryType)) return typedText(s, "DOUBLE");
            return s;
        }
        return plain(v);
    }

    /** Lists and maps of plain values, for the rare nested result value. */
    private static Object plain(JsonNode v) {
        if (v.isArray()) {
            var list = new ArrayList<Object>();
            for (JsonNode e : v) list.add(plain(e));
            return list;
        }
        if (v.isObject()) {
            var map = new LinkedHashMap<String, Object>();
            for (var e : v.properties()) map.put(e.getKey(), plain(e.getValue()));
            return map;
        }
        return sampleValue(v, null);
    }

    // ---------------------------------------------------------------- HTTP

    private HttpRequest.Builder request(String pathAndQuery) {
        var b = HttpRequest.newBuilder(URI.create(base + pathAndQuery)).header("Accept-Language", locale.getLanguage());
        if (authorization != null) b.header("Authorization", authorization);
        return b;
    }

    private HttpRequest jsonRequest(String method, String path, JsonNode body) {
        var b = request(path);
        if (body == null) return b.method(method, HttpRequest.BodyPublishers.noBody()).build();
        return b.header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body), StandardCharsets.UTF_8)).build();
    }

    /** A small JSON answer of {@code GET path} (200), or the server's error as a {@link MaxException}. */
    JsonNode get(String path) {
        return answer(request(path).GET().build(), 200);
    }

    /** A small JSON answer with the expected status, or the server's error as a {@link MaxException}. */
    JsonNode call(String method, String path, JsonNode body, int expected) {
        return answer(jsonRequest(method, path, body), expected);
    }

    /** A small JSON answer with the expected status, or the server's error. */
    private JsonNode answer(HttpRequest request, int expected) {
        var response = send(request);
        expect(response, expected);
        return readSmall(response);
    }

    private JsonNode readSmall(HttpResponse<InputStream> response) {
        try (InputStream in = response.body()) {
            byte[] body = in.readAllBytes();
            if (body.length == 0) return json.createObjectNode();
            return json.readTree(body);
        } catch (IOException e) {
            throw cutOff(e);
        } catch (JacksonException e) {
            throw notMax(response.statusCode());
        }
    }

    private HttpResponse<InputStream> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw unreachable(e) ? new MaxException(CliError.CANNOT_REACH, Location.NOWHERE, e, display) : cutOff(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw cutOff();
        }
    }

    private static boolean unreachable(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof ConnectException || c instanceof HttpConnectTimeoutException || c instanceof UnknownHostException
                    || c instanceof UnresolvedAddressException) {
                return true;
            }
        }
        return false;
    }

    /** The body of a response with the expected status; otherwise the server's error, as a {@link Refusal}. */
    private InputStream expect(HttpResponse<InputStream> response, int status) {
        if (response.statusCode() == status) return response.body();
        byte[] body;
        try (InputStream in = response.body()) {
            body = in.readNBytes(MAX_ERROR_BODY);
        } catch (IOException e) {
            throw cutOff(e);
        }
        JsonNode error;
        try {
            error = json.readTree(body);
        } catch (JacksonException e) {
            throw notMax(response.statusCode());
        }
        String code = text(error, "code");
        String message = text(error, "message");
        if (code == null || message == null || !ERROR_CODE.matcher(code).matches()) throw notMax(response.statusCode());
        throw new Refusal(code, message);
    }

    private MaxException cutOff() {
        return cutOff(null);
    }

    private MaxException cutOff(Throwable cause) {
        return new MaxException(CliError.CUT_OFF, Location.NOWHERE, cause, display);
    }

    private MaxException notMax(int status) {
        return new MaxException(CliError.NOT_A_MAX_ANSWER, Location.NOWHERE, display, status);
    }

    private static MaxException notOverHttp(String option) {
        return new MaxException(CliError.NOT_OVER_HTTP, Location.NOWHERE, option);
    }

    /**
     * An error the server answered: its code, and its message as the server wrote it, already in the
     * user's language and with its place ({@code MAX-CATALOG-001 kamp/press: …}).
     */
    static final class Refusal extends MaxException {
        private final String text;

        Refusal(String code, String text) {
            super(new ServerCode(code), Location.NOWHERE);
            this.text = text;
        }

        @Override
        public String message(Locale locale) {
            return text;
        }
    }

    /** A code the server answered with; the CLI need not know it to print it. */
    record ServerCode(String code) implements ErrorCode {
        @Override
        public String bundle() {
            return MaxCli.BUNDLE;
        }
    }

    // ---------------------------------------------------------------- paths, parameters, values

    private record Ref(String name, String version) {
    }

    private static Ref ref(String ref) {
        Matcher m = VERSIONED.matcher(ref);
        return m.matches() ? new Ref(m.group(1), m.group(2)) : new Ref(ref, null);
    }

    /**
     * A dataset name as the last part of a path, slashes as they are. Only a valid name goes into a URL,
     * as the server itself accepts only valid names: the same error, before anything is sent.
     */
    private static String datasetPath(String name) {
        if (!DatasetName.isValid(name)) throw new MaxException(CoreError.INVALID_NAME, Location.NOWHERE, name);
        return name;
    }

    private static String segment(String id) {
        return URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** A query string of the parameters given; absent ones are left out. */
    private static final class Query {
        private final StringJoiner joiner = new StringJoiner("&", "?", "").setEmptyValue("");

        Query add(String name, String value) {
            if (value != null) joiner.add(name + "=" + segment(value));
            return this;
        }

        @Override
        public String toString() {
            return joiner.toString();
        }
    }

    private static void put(ObjectNode body, String name, String value) {
        if (value != null) body.put(name, value);
    }

    private static void put(ObjectNode body, String name, List<String> values) {
        if (values == null) return;
        ArrayNode array = body.putArray(name);
        values.forEach(array::add);
    }

    private static <T> List<T> items(JsonNode answer, java.util.function.Function<JsonNode, T> item) {
        var out = new ArrayList<T>();
        for (JsonNode n : answer.path("items")) out.add(item.apply(n));
        return out;
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.path(field);
        return v.isMissingNode() || v.isNull() ? null : v.asString();
    }

    private static Instant instant(JsonNode v) {
        if (v == null || v.isMissingNode() || v.isNull()) return null;
        if (v.isNumber()) {
            BigDecimal seconds = v.decimalValue();
            return Instant.ofEpochSecond(seconds.longValue(), seconds.remainder(BigDecimal.ONE).movePointRight(9).longValue());
        }
        String s = v.asString();
        try {
            return Instant.parse(s);
        } catch (RuntimeException e) {
            return OffsetDateTime.parse(s).toInstant();
        }
    }
}
