package dev.orderpipeline.local;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.function.IntFunction;

/** Port helpers: one clear message when a port is taken. */
final class Ports {
    static {
        // The JDK HttpServer otherwise leaves Nagle on and each response waits ~40 ms for a delayed ACK. The JDK reads
        // this once, when the process creates its first server, which is one of ours.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private Ports() {
    }

    /** Binds an HTTP server on 127.0.0.1; port 0 picks a free one. */
    static HttpServer bind(String what, String option, int port) {
        try {
            return HttpServer.create(new InetSocketAddress("127.0.0.1", port), 256);
        } catch (BindException e) {
            throw new PortInUseException(what, option, port, e);
        } catch (IOException e) {
            throw new IllegalStateException("could not start the " + what + " on port " + port + ": " + e.getMessage(), e);
        }
    }

    /** Fails with {@link PortInUseException} when the port cannot be bound; port 0 returns a free port. */
    static int requireFree(String what, String option, int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress("127.0.0.1", port));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new PortInUseException(what, option, port, e);
        }
    }

    /**
     * Starts an emulator that reports a taken port its own way (an {@link UncheckedIOException} caused by a
     * {@link BindException}), and turns that into the same {@link PortInUseException} as every other port.
     */
    static <T> T start(String what, String option, int port, IntFunction<T> starter) {
        try {
            return starter.apply(port);
        } catch (UncheckedIOException e) {
            if (e.getCause() instanceof BindException) {
                throw new PortInUseException(what, option, port, e);
            }
            throw e;
        }
    }

    /** A port that could not be bound; the message is the one line the user sees. */
    static final class PortInUseException extends RuntimeException {
        PortInUseException(String what, String option, int port, Throwable cause) {
            super("port " + port + " for the " + what + " is already in use; choose another with " + option, cause);
        }
    }
}
