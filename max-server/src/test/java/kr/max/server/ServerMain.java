package kr.max.server;

import java.io.IOException;
import java.nio.file.Path;
import kr.max.library.Library;
import kr.max.library.LibraryConfig;
import kr.max.library.crypto.MasterKey;

/**
 * A server in its own JVM, for tests that need a small heap: {@code ServerMain HOME TOKEN}. Prints
 * {@code LISTENING <port>} once it listens and stops when its standard input closes.
 */
public final class ServerMain {

    private ServerMain() {
    }

    public static void main(String[] args) throws IOException {
        try (Library library = Library.open(LibraryConfig.embedded(Path.of(args[0]), MasterKey.of("server test master secret 01")));
             MaxServer server = MaxServer.start(ServerOptions.of(library, new SingleTokenAuthenticator(args[1], TestServer.OPERATOR)))) {
            System.out.println("LISTENING " + server.port());
            System.out.flush();
            while (System.in.read() >= 0) {
                // wait for the parent to close our input
            }
        }
    }
}
