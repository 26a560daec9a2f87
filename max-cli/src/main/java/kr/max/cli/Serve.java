package kr.max.cli;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import kr.max.library.Library;
import kr.max.server.MaxServer;
import kr.max.server.ServerOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code max serve}: the library of this home over HTTP until stopped (Ctrl-C or SIGTERM). Callers
 * present API tokens; the first start of a library without users creates its admin and prints the
 * admin's token once.
 */
@Command(name = "serve", mixinStandardHelpOptions = true)
final class Serve implements Callable<Integer> {

    @ParentCommand MaxCli root;
    @Option(names = "--port", defaultValue = "8080", paramLabel = "PORT") int port;
    @Option(names = "--host", defaultValue = ServerOptions.DEFAULT_HOST, paramLabel = "HOST") String host;
    @Option(names = "--library-org", defaultValue = "library", paramLabel = "NAME") String libraryOrganization;
    @Option(names = "--safe-zone-k", defaultValue = "5", paramLabel = "K") int safeZoneK;

    @Override
    public Integer call() throws InterruptedException {
        root.refuseServer("max serve");
        Library lib = root.open(c -> c.withSafeZoneMinContributors(safeZoneK));
        MaxServer server;
        try {
            lib.bootstrapAdmin(libraryOrganization, "KR", "admin").ifPresent(t -> {
                root.out.println(root.text("serve.bootstrap", t.info().user()));
                root.out.println(t.token());
            });
            server = start(lib, host, port);
        } catch (RuntimeException e) {
            lib.close();
            throw e;
        }
        root.out.println(root.text("serve.listening", server.url()));
        root.out.flush();
        awaitShutdown(server, lib);
        return 0;
    }

    static MaxServer start(Library lib, String host, int port) {
        return MaxServer.start(ServerOptions.of(lib, lib::authenticate).withHost(host).withPort(port));
    }

    /**
     * Blocks until SIGTERM or SIGINT (Ctrl-C), then closes the server and the library in that order.
     * The signals are taken over rather than left to shutdown hooks: the embedded catalog closes itself in
     * its own hook, in no defined order with ours, and the library's closing audit checkpoint needs it open.
     */
    static void awaitShutdown(MaxServer server, Library lib) throws InterruptedException {
        try {
            stopSignal().await();
        } finally {
            try {
                server.close();
            } finally {
                lib.close();
            }
        }
    }

    /** A latch that SIGTERM or SIGINT (Ctrl-C) opens, for the commands that run until stopped. */
    static CountDownLatch stopSignal() {
        var stop = new CountDownLatch(1);
        for (String name : java.util.List.of("TERM", "INT")) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> stop.countDown());
            } catch (IllegalArgumentException unavailable) {
                // a platform without this signal: the default handling stays
            }
        }
        return stop;
    }

    /**
     * Blocks until SIGTERM or SIGINT, or until {@code limit} has passed (null: no limit), or until the thread is
     * interrupted (an embedding program, a test, stops the command as Ctrl-C would).
     */
    static void awaitStop(java.time.Duration limit) {
        var stop = stopSignal();
        try {
            if (limit == null) stop.await();
            else stop.await(limit.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            // not passed on: the command goes on to close what it opened, which an interrupted thread would cut short
        }
    }
}
