package kr.max.factory.assets;

/** A closed interval {@code [low, high]} with {@code low < high}. */
public record Range(double low, double high) {

    public boolean contains(double v) {
        return v >= low && v <= high;
    }

    public double middle() {
        return (low + high) / 2;
    }
}
