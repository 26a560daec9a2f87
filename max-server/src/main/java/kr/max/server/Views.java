package kr.max.server;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import kr.max.core.dictionary.ColumnSpec;
import kr.max.core.dictionary.DataDictionary;
import kr.max.library.DatasetDetails;
import kr.max.library.DatasetSummary;
import kr.max.library.IngestResult;
import kr.max.library.VersionSummary;
import kr.max.library.audit.Verification;
import kr.max.library.catalog.Dataset;
import kr.max.library.ingest.IngestProblem;

/**
 * The JSON shapes of the API, kept apart from the library's types so that a change inside the
 * library does not silently change the wire format (and internal fields such as key ids stay inside).
 */
final class Views {

    private Views() {
    }

    record DatasetList(List<DatasetLine> datasets) {
    }

    record DatasetLine(String name, String classification, String owner, int versions, long rows, long bytes,
                       Instant updatedAt) {
        static DatasetLine of(DatasetSummary s) {
            return new DatasetLine(s.name(), s.classification().word(), s.owner(), s.versions(), s.rows(), s.bytes(),
                    s.updatedAt());
        }
    }

    record DatasetInfo(String name, String classification, String owner, String titleKo, String titleEn,
                       String descriptionKo, String descriptionEn, List<String> tags, Instant createdAt) {
        static DatasetInfo of(Dataset d) {
            return new DatasetInfo(d.name(), d.classification().word(), d.owner(), d.titleKo(), d.titleEn(),
                    d.descriptionKo(), d.descriptionEn(), d.tags(), d.createdAt());
        }
    }

    record Version(int version, Instant createdAt, String createdBy, long rows, long bytes, int chunks,
                   String sourceName, String sourceSha256, String sourceFormat, String sourceEncoding, long rejectedRows) {
        static Version of(VersionSummary v) {
            return new Version(v.number(), v.createdAt(), v.createdBy(), v.rows(), v.bytes(), v.chunks(), v.sourceName(),
                    v.sourceSha256(), v.sourceFormat(), v.sourceEncoding(), v.rejectedRows());
        }
    }

    record Column(String name, String role, String type, String unit, String assetPath, String sensitivity,
                  String descriptionKo, String descriptionEn, String format) {
        static Column of(ColumnSpec c) {
            return new Column(c.name(), c.role().word(), c.type().word(), c.unit(), c.assetPath(), c.sensitivity().word(),
                    c.descriptionKo(), c.descriptionEn(), c.format());
        }
    }

    record Dictionary(String timeZone, List<Column> columns) {
        static Dictionary of(DataDictionary d) {
            return d == null ? null : new Dictionary(d.timeZone(), d.columns().stream().map(Column::of).toList());
        }
    }

    /** Sample rows hold plain values only (see {@link Cells#plain}). */
    record Sample(List<String> columns, List<List<Object>> rows) {
        static Sample of(List<String> columns, List<Object[]> rows) {
            var out = new ArrayList<List<Object>>(rows.size());
            for (Object[] r : rows) out.add(java.util.Arrays.stream(r).map(Cells::plain).toList());
            return new Sample(columns, out);
        }
    }

    /** A problem of a source file, as an error the user can read: same fields as an error body. */
    record Problem(String code, String message, String location) {
        static List<Problem> of(List<IngestProblem> problems, String fileName, Locale locale) {
            var out = new ArrayList<Problem>(problems.size());
            for (IngestProblem p : problems) {
                var e = p.toException(fileName);
                out.add(new Problem(e.code().code(), e.message(locale), e.location().toString()));
            }
            return out;
        }
    }

    record Details(DatasetInfo dataset, List<Version> versions, Dictionary dictionary, Sample sample,
                   List<Problem> rejected) {
        static Details of(DatasetDetails d, Locale locale) {
            String source = d.versions().isEmpty() ? null : d.versions().getLast().sourceName();
            return new Details(DatasetInfo.of(d.dataset()), d.versions().stream().map(Version::of).toList(),
                    Dictionary.of(d.dictionary()), Sample.of(d.sampleColumns(), d.sampleRows()),
                    Problem.of(d.rejected(), source, locale));
        }
    }

    record Source(String fileName, String format, String encoding, String delimiter, boolean header, List<String> columns) {
    }

    record Ingested(String dataset, int version, long rows, long bytes, int chunks, long rejectedRows,
                    List<Problem> rejected, Source source) {
        static Ingested of(IngestResult r, Locale locale) {
            var s = r.source();
            return new Ingested(r.dataset(), r.version(), r.rows(), r.bytes(), r.chunks(), r.rejectedRows(),
                    Problem.of(r.rejected(), s.fileName(), locale),
                    new Source(s.fileName(), s.format(), s.charset() == null ? null : s.charset().name(),
                            s.delimiter() == null ? null : String.valueOf(s.delimiter()), s.header(), s.columns()));
        }
    }

    record AuditVerification(boolean intact, long records, long checkpoints, Long firstBrokenSeq, String reason) {
        static AuditVerification of(Verification v) {
            return new AuditVerification(v.intact(), v.records(), v.checkpoints(),
                    v.intact() ? null : v.firstBrokenSeq(), v.reason());
        }
    }

    /** What {@code PATCH /v1/datasets/<name>} accepts; absent fields keep their value. */
    record DescribeBody(String titleKo, String titleEn, String descriptionKo, String descriptionEn, List<String> tags,
                        String classification) {
    }

    /** What {@code POST /v1/query} accepts. */
    record QueryBody(String sql, String format, String purpose) {
    }

    /** A query result held in the safe zone for review instead of delivered. */
    record Held(String heldOutput, long rows, long heldBackRows, int minContributors) {
    }
}
