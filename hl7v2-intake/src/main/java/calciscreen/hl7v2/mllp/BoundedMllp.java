package calciscreen.hl7v2.mllp;

import ca.uhn.hl7v2.llp.HL7Reader;
import ca.uhn.hl7v2.llp.HL7Writer;
import ca.uhn.hl7v2.llp.LLPException;
import ca.uhn.hl7v2.llp.LowerLayerProtocol;
import ca.uhn.hl7v2.llp.MinLowerLayerProtocol;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * MLLP framing ({@code <VT> message <FS><CR>}) for HAPI's server, with the limits a listener open to a network needs
 * and HAPI's own reader lacks: a frame larger than {@code maxBytes} and a frame that stalls half-sent for longer than
 * {@code frameIdleTimeout} end the connection (HAPI's receiver closes it on an {@link LLPException}) instead of
 * growing without bound or holding a thread. HAPI's reader also throws away a frame in progress whenever the socket's
 * short read timeout (500 ms, used to check for shutdown) fires; this one keeps reading it.
 *
 * <p>Bytes are read as UTF-8 when they are valid UTF-8, otherwise as ISO-8859-1 (the two character sets labs send;
 * ASCII is both). Answers are written by HAPI's own MLLP writer, in UTF-8.
 */
public final class BoundedMllp extends LowerLayerProtocol {

    private final int maxBytes;
    private final long frameIdleNanos;
    private final Runnable onFramingError;
    private final MinLowerLayerProtocol writer = new MinLowerLayerProtocol(false, true);

    /** @param onFramingError told of every connection closed for a framing error (a metric) */
    public BoundedMllp(int maxBytes, Duration frameIdleTimeout, Runnable onFramingError) {
        this.maxBytes = maxBytes;
        this.frameIdleNanos = frameIdleTimeout.toNanos();
        this.onFramingError = onFramingError;
        writer.setCharset(StandardCharsets.UTF_8);
    }

    @Override
    public HL7Reader getReader(InputStream in) {
        return new Reader(in);
    }

    @Override
    public HL7Writer getWriter(OutputStream out) throws LLPException {
        return writer.getWriter(out);
    }

    private final class Reader implements HL7Reader {

        private InputStream in;

        Reader(InputStream in) {
            setInputStream(in);
        }

        @Override
        public void setInputStream(InputStream in) {
            this.in = new BufferedInputStream(in);
        }

        /**
         * The next frame's content; {@code null} when nothing arrived within the socket's read timeout (HAPI's
         * receiver then asks again, or stops).
         */
        @Override
        public String getMessage() throws LLPException, IOException {
            try {
                return readFrame();
            } catch (LLPException e) {
                onFramingError.run();
                throw e;
            }
        }

        private String readFrame() throws LLPException, IOException {
            ByteArrayOutputStream frame = new ByteArrayOutputStream(1024);
            boolean started = false;
            long lastByte = System.nanoTime();
            while (true) {
                int c;
                try {
                    c = in.read();
                } catch (SocketTimeoutException e) {
                    if (!started) {
                        return null;
                    }
                    if (System.nanoTime() - lastByte > frameIdleNanos) {
                        throw new LLPException("MLLP frame stalled: no byte for "
                                + Duration.ofNanos(frameIdleNanos).toSeconds() + " s after " + frame.size() + " bytes");
                    }
                    continue;
                }
                if (c == -1) {
                    if (!started) {
                        throw new SocketException("connection closed by the sender");
                    }
                    throw new LLPException("MLLP protocol violation: the stream ended inside a frame");
                }
                lastByte = System.nanoTime();
                if (!started) {
                    if (c == Mllp.START) {
                        started = true;
                    } else if (c != Mllp.CR && c != '\n') { // a stray line end between frames is tolerated
                        throw new LLPException("MLLP protocol violation: expected the start byte 0x0B, got 0x"
                                + Integer.toHexString(c));
                    }
                    continue;
                }
                if (c == Mllp.END) {
                    int next = readAfterEnd();
                    if (next == Mllp.CR) {
                        return Mllp.decode(frame.toByteArray());
                    }
                    throw new LLPException("MLLP protocol violation: end byte 0x1C not followed by 0x0D");
                }
                if (frame.size() >= maxBytes) {
                    throw new LLPException("MLLP frame larger than the limit of " + maxBytes + " bytes");
                }
                frame.write(c);
            }
        }

        private int readAfterEnd() throws IOException, LLPException {
            long since = System.nanoTime();
            while (true) {
                try {
                    return in.read();
                } catch (SocketTimeoutException e) {
                    if (System.nanoTime() - since > frameIdleNanos) {
                        throw new LLPException("MLLP frame stalled before its final 0x0D");
                    }
                }
            }
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
