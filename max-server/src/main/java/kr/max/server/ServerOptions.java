package kr.max.server;

import java.nio.file.Path;
import java.util.Objects;
import kr.max.factory.station.TwinStation;
import kr.max.library.Library;

/**
 * How to start a {@link MaxServer}.
 *
 * @param library               the open library to serve; the server never closes it
 * @param authenticator         turns bearer tokens into principals
 * @param host                  address to listen on; {@code null} for {@value #DEFAULT_HOST} (this machine only)
 * @param port                  TCP port; 0 for any free port (see {@link MaxServer#port()})
 * @param maxRequestHeaderBytes largest request line plus headers; 0 or less for {@value #DEFAULT_MAX_REQUEST_HEADER_BYTES}.
 *                              Larger requests are answered 431
 * @param scratchBase           memory-backed directory (tmpfs) for uploads and exports in transit; {@code null} for
 *                              {@code $MAX_SCRATCH} or {@code /dev/shm}. Deposited plaintext never touches disk
 * @param maxUploadBytes        largest upload accepted; 0 or less for no limit but the scratch's free space.
 *                              Scratch space is memory: operators of a shared machine should set this
 * @param twin                  the simulated line the server also runs, or {@code null}
 * @param factory               the factory runtime (twin, alarms, live view) the server also runs, or {@code null}
 */
public record ServerOptions(Library library, Authenticator authenticator, String host, int port,
                            int maxRequestHeaderBytes, Path scratchBase, long maxUploadBytes, TwinStation twin, FactoryRuntime factory) {

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_MAX_REQUEST_HEADER_BYTES = 8192;

    public ServerOptions {
        Objects.requireNonNull(library, "library");
        Objects.requireNonNull(authenticator, "authenticator");
        host = host == null || host.isBlank() ? DEFAULT_HOST : host;
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port " + port);
        maxRequestHeaderBytes = maxRequestHeaderBytes <= 0 ? DEFAULT_MAX_REQUEST_HEADER_BYTES : maxRequestHeaderBytes;
        maxUploadBytes = maxUploadBytes <= 0 ? Long.MAX_VALUE : maxUploadBytes;
    }

    /** Local host, any free port, default limits, scratch in {@code $MAX_SCRATCH} or {@code /dev/shm}. */
    public static ServerOptions of(Library library, Authenticator authenticator) {
        return new ServerOptions(library, authenticator, null, 0, 0, null, 0, null, null);
    }

    public ServerOptions withHost(String h) {
        return new ServerOptions(library, authenticator, h, port, maxRequestHeaderBytes, scratchBase, maxUploadBytes, twin, factory);
    }

    public ServerOptions withPort(int p) {
        return new ServerOptions(library, authenticator, host, p, maxRequestHeaderBytes, scratchBase, maxUploadBytes, twin, factory);
    }

    public ServerOptions withMaxRequestHeaderBytes(int bytes) {
        return new ServerOptions(library, authenticator, host, port, bytes, scratchBase, maxUploadBytes, twin, factory);
    }

    public ServerOptions withScratchBase(Path base) {
        return new ServerOptions(library, authenticator, host, port, maxRequestHeaderBytes, base, maxUploadBytes, twin, factory);
    }

    /** The simulated line this server also runs: its routes under {@code /v1/twin} and {@code /v1/assets}. */
    public ServerOptions withTwin(TwinStation station) {
        return new ServerOptions(library, authenticator, host, port, maxRequestHeaderBytes, scratchBase, maxUploadBytes, station, factory);
    }

    /** The factory this server also runs — its twin, alarms and live view (and its twin's routes). */
    public ServerOptions withFactory(FactoryRuntime f) {
        return new ServerOptions(library, authenticator, host, port, maxRequestHeaderBytes, scratchBase, maxUploadBytes,
                f == null ? twin : f.station(), f);
    }

    public ServerOptions withMaxUploadBytes(long bytes) {
        return new ServerOptions(library, authenticator, host, port, maxRequestHeaderBytes, scratchBase, bytes, twin, factory);
    }
}
