package kr.max.library.ingest;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import kr.max.core.Location;
import kr.max.core.MaxException;
import kr.max.core.dictionary.ColumnRole;
import kr.max.core.dictionary.ColumnSpec;
import kr.max.core.dictionary.ColumnType;
import kr.max.core.dictionary.DataDictionary;

/**
 * Infers a draft data dictionary from every row of a source (a full pass, not a sample, so a rare value cannot
 * be missed): per column the type (and timestamp pattern) that at least 99.9% of the non-blank values fit, then
 * role, sensitivity, unit and descriptions from the name and type. The provider confirms or edits the draft.
 *
 * <pre>{@code
 * try (var source = RowSource.open(file, SourceOptions.auto())) {
 *     var inference = new DictionaryInference(source.info().columns(), "Asia/Seoul");
 *     var row = new RawRow();
 *     while (source.next(row)) inference.accept(row);
 *     DataDictionary draft = inference.result();
 * }
 * }</pre>
 */
public final class DictionaryInference {

    private final List<String> columnNames;
    private final String timeZone;
    private final ColumnStats[] stats;

    /**
     * @param columnNames the source's columns, in order
     * @param timeZone    IANA zone in which timestamps without an offset are read; {@code null} gives
     *                    {@value DataDictionary#DEFAULT_TIME_ZONE}
     * @throws MaxException {@link IngestError#BAD_DICTIONARY} for an unknown zone
     */
    public DictionaryInference(List<String> columnNames, String timeZone) {
        this.columnNames = List.copyOf(columnNames);
        this.timeZone = timeZone == null || timeZone.isBlank() ? DataDictionary.DEFAULT_TIME_ZONE : timeZone;
        try {
            ZoneId.of(this.timeZone);
        } catch (DateTimeException e) {
            throw new MaxException(IngestError.BAD_DICTIONARY, Location.NOWHERE, e, DictionaryYaml.Problem.BAD_TIME_ZONE.ordinal(), timeZone);
        }
        this.stats = new ColumnStats[this.columnNames.size()];
        for (int i = 0; i < stats.length; i++) stats[i] = new ColumnStats();
    }

    /** Counts the row's values; a row with a problem is ignored (its fields are unreliable). */
    public void accept(RawRow row) {
        if (row.problem() != null) return;
        int n = Math.min(row.size(), stats.length);
        for (int i = 0; i < n; i++) stats[i].add(row.get(i));
    }

    /** The draft dictionary for the rows seen so far. */
    public DataDictionary result() {
        var columns = new ArrayList<ColumnSpec>(stats.length);
        for (int i = 0; i < stats.length; i++) columns.add(inferColumn(columnNames.get(i), stats[i]));
        return new DataDictionary(columns, timeZone);
    }

    private static ColumnSpec inferColumn(String name, ColumnStats s) {
        ColumnType type = s.type();
        var guess = RoleRules.guess(name, type);
        // A measurement's tolerance defaults to one step of its resolution: the last recorded digit may move by
        // one, which a provider confirms or changes in the dictionary (the sensor's accuracy is usually wider).
        var resolution = s.resolution();
        var tolerance = guess.role() == ColumnRole.MEASUREMENT ? resolution : null;
        return new ColumnSpec(name, guess.role(), type, guess.unit(), null, guess.sensitivity(),
                ColumnDescriptions.korean(name, guess.role(), guess.unit()),
                ColumnDescriptions.english(name, guess.role(), guess.unit()),
                s.format(), resolution, tolerance);
    }
}
