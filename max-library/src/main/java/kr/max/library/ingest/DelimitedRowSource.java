package kr.max.library.ingest;

import java.io.IOException;
import java.io.UncheckedIOException;

/** Rows of delimited or whitespace-separated text, through {@link TextTokenizer}. */
final class DelimitedRowSource implements RowSource {

    private final SourceInfo info;
    private final StrictTextInput input;
    private final TextTokenizer tokenizer;

    DelimitedRowSource(SourceInfo info, StrictTextInput input, TextTokenizer tokenizer, boolean skipHeader) {
        this.info = info;
        this.input = input;
        this.tokenizer = tokenizer;
        if (skipHeader) tokenizer.next(new RawRow());
        tokenizer.columns(info.columns());
    }

    @Override
    public SourceInfo info() {
        return info;
    }

    @Override
    public boolean next(RawRow row) {
        return tokenizer.next(row);
    }

    @Override
    public void close() {
        try {
            input.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
