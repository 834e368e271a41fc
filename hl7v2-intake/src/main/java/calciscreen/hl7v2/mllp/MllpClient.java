package calciscreen.hl7v2.mllp;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A plain MLLP sender: one TCP connection, one message at a time, each answer awaited (original-mode
 * acknowledgement, what lab systems do). For {@code ./calciscreen demo --hl7}, the tests and the benchmark.
 */
public final class MllpClient implements Closeable {

    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;

    public MllpClient(String host, int port, Duration timeout) throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
        socket.setSoTimeout((int) timeout.toMillis());
        socket.setTcpNoDelay(true);
        out = socket.getOutputStream();
        in = new BufferedInputStream(socket.getInputStream());
    }

    /** Sends {@code message} (segments separated by CR; line feeds are turned into CR) and returns the answer. */
    public String send(String message) throws IOException {
        String segments = message.replace("\r\n", "\r").replace('\n', '\r');
        sendRaw(Mllp.frame(segments.getBytes(StandardCharsets.UTF_8)));
        return receive();
    }

    /** Writes bytes as they are (a frame made by the caller, or garbage). */
    public void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** The next answer frame; fails on a timeout or when the listener closes the connection first. */
    public String receive() throws IOException {
        int c;
        do {
            c = in.read();
        } while (c != Mllp.START && c != -1);
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        while (c != -1) {
            c = in.read();
            if (c == Mllp.END) {
                in.read(); // the final CR
                return Mllp.decode(answer.toByteArray());
            }
            if (c != -1) {
                answer.write(c);
            }
        }
        throw new IOException("the listener closed the connection without an answer");
    }

    /** Whether the listener has closed this connection (read returns end of stream) within {@code wait}. */
    public boolean closedByListener(Duration wait) throws IOException {
        socket.setSoTimeout((int) Math.max(1, wait.toMillis()));
        try {
            return in.read() == -1;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset by the listener
        }
    }

    public static byte[] frame(byte[] content) {
        return Mllp.frame(content);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
