package dev.orderpipeline.local;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Port helpers: one clear message when a port is taken. */
final class Ports {
    private Ports() {
    }

    /** Binds an HTTP server on 127.0.0.1; port 0 picks a free one. */
    static HttpServer bind(String what, int port) {
        try {
            return HttpServer.create(new InetSocketAddress("127.0.0.1", port), 256);
        } catch (BindException e) {
            throw new PortInUseException(what, port, e);
        } catch (IOException e) {
            throw new IllegalStateException("could not start the " + what + " on port " + port + ": " + e.getMessage(), e);
        }
    }

    /** Fails with {@link PortInUseException} when the port cannot be bound; port 0 returns a free port. */
    static int requireFree(String what, int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress("127.0.0.1", port));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new PortInUseException(what, port, e);
        }
    }

    /** A port that could not be bound; the message is the one line the user sees. */
    static final class PortInUseException extends RuntimeException {
        PortInUseException(String what, int port, Throwable cause) {
            super("port " + port + " for the " + what + " is already in use; choose another with its --*-port option", cause);
        }
    }
}
