package kr.max.library;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import kr.max.library.ingest.IngestError;
import kr.max.library.ingest.IngestProblem;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Rejected rows' problems as bytes, to be sealed under the version's data key (they hold values). */
final class RejectedRows {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private RejectedRows() {
    }

    static byte[] toBytes(List<IngestProblem> problems) {
        var list = new ArrayList<Map<String, Object>>();
        for (var p : problems) {
            var m = new java.util.LinkedHashMap<String, Object>();
            m.put("error", p.error().name());
            m.put("line", p.line());
            m.put("column", p.column());
            m.put("columnName", p.columnName());
            m.put("value", p.value());
            list.add(m);
        }
        return JSON.writeValueAsBytes(list);
    }

    static List<IngestProblem> fromBytes(byte[] bytes) {
        List<Map<String, Object>> list = JSON.readValue(bytes, new TypeReference<>() { });
        var out = new ArrayList<IngestProblem>();
        for (var m : list) {
            out.add(new IngestProblem(IngestError.valueOf((String) m.get("error")), ((Number) m.get("line")).longValue(),
                    ((Number) m.get("column")).intValue(), (String) m.get("columnName"), (String) m.get("value")));
        }
        return out;
    }
}
