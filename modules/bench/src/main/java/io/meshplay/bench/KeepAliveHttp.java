package io.meshplay.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A minimal blocking HTTP/1.1 client on one keep-alive connection (TCP_NODELAY, one request in flight), as
 * curl or a Go client would hold it: row 9's load generator. The JDK's {@code HttpClient} hands every exchange
 * through its selector thread and executor, hand-offs the gRPC side's client does not pay and which would be
 * counted as the gateway's.
 */
final class KeepAliveHttp implements AutoCloseable {

    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;
    private final String host;

    KeepAliveHttp(String host, int port) throws IOException {
        this.host = host;
        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.setSoTimeout((int) (Clients.DEADLINE_SECONDS * 1000));
        socket.connect(new InetSocketAddress(host, port), 5000);
        out = socket.getOutputStream();
        in = new BufferedInputStream(socket.getInputStream());
    }

    /** POSTs {@code json} to {@code path}; returns the status and body. One write per request. */
    Response post(String path, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        byte[] head = ("POST " + path + " HTTP/1.1\r\nHost: " + host + "\r\nContent-Type: application/json\r\nContent-Length: "
                + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] request = new byte[head.length + body.length];
        System.arraycopy(head, 0, request, 0, head.length);
        System.arraycopy(body, 0, request, head.length, body.length);
        out.write(request);
        out.flush();
        String status = line();
        int length = -1;
        for (String header = line(); !header.isEmpty(); header = line()) { // ends at the blank line after the headers
            if (header.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(header.substring(15).strip());
            }
        }
        if (length < 0) {
            throw new IOException("no Content-Length in the answer to " + path + " (" + status + ")");
        }
        byte[] answer = in.readNBytes(length);
        int code = Integer.parseInt(status.split(" ")[1]);
        return new Response(code, new String(answer, StandardCharsets.UTF_8));
    }

    record Response(int status, String body) {
    }

    private String line() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) { // a header line is short; the socket timeout bounds a stall
            if (b == -1) {
                throw new IOException("the connection closed mid-response");
            }
            if (b != '\r') {
                line.write(b);
            }
            if (line.size() > 8192) {
                throw new IOException("a response header line over 8 KiB");
            }
        }
        return line.toString(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
