package io.meshplay.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * A child JVM for the tests of {@link Ports} and {@link PortRetry}: {@code lease N} leases N ports, prints
 * them and holds them; {@code bind PORT} listens on 127.0.0.1:PORT, or dies of the BindException as any
 * Java server would. Both run until stdin closes or a signal ends them.
 */
public final class TestChild {

    private TestChild() {
    }

    public static void main(String[] args) throws IOException {
        switch (args[0]) {
            case "lease" -> {
                PortLease lease = Ports.lease(Integer.parseInt(args[1]));
                System.out.println("leased " + Arrays.stream(lease.ports()).mapToObj(Integer::toString)
                        .collect(Collectors.joining(",")));
                System.out.flush();
                holdUntilStdinCloses();
            }
            case "bind" -> {
                int port = Integer.parseInt(args[1]);
                try (ServerSocket socket = new ServerSocket()) {
                    socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                    System.out.println("listening on " + port);
                    System.out.flush();
                    holdUntilStdinCloses();
                }
            }
            default -> throw new IllegalArgumentException("usage: TestChild lease N | bind PORT");
        }
    }

    private static void holdUntilStdinCloses() throws IOException {
        while (System.in.read() != -1) {
            // the parent never writes; EOF means it is done with us
        }
    }
}
