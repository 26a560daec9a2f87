package kr.max.cli;

import java.io.PrintWriter;
import kr.max.library.IngestProgress;

/**
 * A one-line progress bar on the terminal for long deposits: {@code 변환 [#########     ] 63%}.
 * Draws only when the error stream is a terminal, at most five times a second, so logs and pipes stay clean.
 */
final class ProgressBar implements IngestProgress, AutoCloseable {

    private static final int WIDTH = 30;

    private final PrintWriter err;
    private final MaxCli root;
    private final boolean enabled;
    private long lastDraw;
    private boolean drawn;

    ProgressBar(MaxCli root, PrintWriter err) {
        this.root = root;
        this.err = err;
        this.enabled = isTerminal();
    }

    /** Whether standard streams are a terminal; {@code Console.isTerminal()} exists from JDK 22 on. */
    private static boolean isTerminal() {
        var console = System.console();
        if (console == null) return false;
        try {
            return (Boolean) console.getClass().getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return true; // JDK 21: a console exists only for a terminal
        }
    }

    @Override
    public synchronized void update(Phase phase, double fraction) {
        if (!enabled) return;
        long now = System.nanoTime();
        if (now - lastDraw < 200_000_000L && fraction >= 0 && fraction < 1) return;
        lastDraw = now;
        String label = root.text("progress." + phase.name().toLowerCase(java.util.Locale.ROOT));
        String bar;
        if (fraction < 0) {
            bar = label + " …";
        } else {
            int filled = (int) Math.round(Math.min(1, fraction) * WIDTH);
            bar = String.format("%s [%s%s] %3d%%", label, "#".repeat(filled), " ".repeat(WIDTH - filled), Math.round(fraction * 100));
        }
        err.print("\r" + bar + "\033[K");
        err.flush();
        drawn = true;
    }

    @Override
    public synchronized void close() {
        if (drawn) {
            err.print("\r\033[K");
            err.flush();
        }
    }
}
