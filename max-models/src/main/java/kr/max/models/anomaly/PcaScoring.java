package kr.max.models.anomaly;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.List;
import kr.max.models.monitoring.PrincipalComponents;

/**
 * The PCA detector's score: the larger of T² / its limit and Q / its limit at the chosen confidence, from
 * the same {@link PrincipalComponents} the process monitors use, so 1 is where either statistic leaves
 * its confidence region.
 */
record PcaScoring(PrincipalComponents pca, double confidence, double t2Limit, double qLimit) implements Scoring {

    static PcaScoring of(PrincipalComponents pca, double confidence) {
        return new PcaScoring(pca, confidence, pca.t2Limit(confidence), pca.qLimit(confidence));
    }

    @Override
    public int width() {
        return pca.columns();
    }

    @Override
    public List<String> columns() {
        return List.of("t2", "q");
    }

    @Override
    public double score(double[] row, double[] columns) {
        double[] s = pca.statistics(row);
        if (columns != null) {
            columns[0] = s[0];
            columns[1] = s[1];
        }
        return Math.max(s[0] / t2Limit, s[1] / qLimit);
    }

    @Override
    public void write(DataOutput out) throws IOException {
        out.writeDouble(confidence);
        pca.write(out);
    }

    static PcaScoring read(DataInput in) throws IOException {
        double confidence = in.readDouble();
        if (!(confidence > 0 && confidence < 1)) throw new IOException("confidence " + confidence);
        return of(PrincipalComponents.read(in), confidence);
    }
}
