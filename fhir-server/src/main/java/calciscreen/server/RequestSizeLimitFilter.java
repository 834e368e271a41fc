package calciscreen.server;

import calciscreen.model.resources.OperationOutcomes;
import ca.uhn.fhir.rest.server.exceptions.PayloadTooLargeException;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses a FHIR request whose body is larger than the configured limit with 413 and an OperationOutcome. The limit
 * is on the body as the server parses it, that is after {@code Content-Encoding: gzip} is undone:
 * <ul>
 *   <li>a declared Content-Length above the limit is refused before anything is read (for a gzip body: the
 *       compressed length);</li>
 *   <li>a gzip body is inflated here, as a stream, and HAPI reads the inflated bytes (the header is hidden from it,
 *       so it does not inflate again); the stream hands out at most limit + 1 bytes, so a small compressed body that
 *       would inflate to gigabytes costs no more than the limit: the read past the limit throws
 *       {@link PayloadTooLargeException}, which HAPI answers with 413 and an OperationOutcome;</li>
 *   <li>a chunked body (no declared length) is counted the same way as it is read.</li>
 * </ul>
 * Other content codings (deflate, br) are refused with 415: HAPI would parse the compressed bytes as FHIR.
 */
public class RequestSizeLimitFilter extends OncePerRequestFilter {

    private static final String CONTENT_ENCODING = "Content-Encoding";
    private static final String CONTENT_LENGTH = "Content-Length";

    private final long maxBytes;

    public RequestSizeLimitFilter(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String encoding = contentCoding(request.getHeader(CONTENT_ENCODING));
        if (encoding == null) {
            refuse(response, HttpServletResponse.SC_UNSUPPORTED_MEDIA_TYPE, IssueType.NOTSUPPORTED,
                    "Content-Encoding is not supported: send the body uncompressed or with gzip");
            return;
        }
        long declared = request.getContentLengthLong();
        if (declared > maxBytes) {
            refuse(response, HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE, IssueType.TOOCOSTLY, tooLarge());
            return;
        }
        boolean gzip = encoding.equals("gzip");
        if (!gzip && declared >= 0) {
            // the container delivers no more than the declared length
            chain.doFilter(request, response);
            return;
        }
        try {
            chain.doFilter(new LimitedRequest(request, gzip), response);
        } catch (PayloadTooLargeException e) {
            // read outside HAPI (which answers it itself): answer it here
            if (!response.isCommitted()) {
                response.reset();
                refuse(response, HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE, IssueType.TOOCOSTLY, tooLarge());
            }
        }
    }

    /** "identity" or "gzip" for the codings the server takes, null for any other. */
    static String contentCoding(String header) {
        if (header == null || header.isBlank()) {
            return "identity";
        }
        String coding = header.trim().toLowerCase(Locale.ROOT);
        return switch (coding) {
            case "identity" -> "identity";
            case "gzip", "x-gzip" -> "gzip";
            default -> null;
        };
    }

    private String tooLarge() {
        return "Request body is larger than the limit of " + maxBytes + " bytes (after decompression)";
    }

    private static void refuse(HttpServletResponse response, int status, IssueType code, String diagnostics)
            throws IOException {
        response.setStatus(status);
        response.setContentType(OperationOutcomes.FHIR_JSON);
        response.setHeader("Connection", "close");
        response.getOutputStream().write(OperationOutcomes.errorJson(code, diagnostics).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The request as HAPI sees it: the body inflated (if it was gzip) and counted, with no Content-Encoding and no
     * Content-Length (the inflated length is not known before it is read).
     */
    private final class LimitedRequest extends HttpServletRequestWrapper {
        private final boolean gzip;
        private ServletInputStream body;
        private BufferedReader reader;

        LimitedRequest(HttpServletRequest request, boolean gzip) {
            super(request);
            this.gzip = gzip;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (body == null) {
                InputStream raw = super.getInputStream();
                body = new LimitedInputStream(gzip ? new GZIPInputStream(raw, 8192) : raw, maxBytes);
            }
            return body;
        }

        @Override
        public BufferedReader getReader() throws IOException {
            if (reader == null) {
                String encoding = getCharacterEncoding();
                Charset charset = encoding == null ? StandardCharsets.UTF_8 : Charset.forName(encoding);
                reader = new BufferedReader(new InputStreamReader(getInputStream(), charset));
            }
            return reader;
        }

        @Override
        public int getContentLength() {
            return -1;
        }

        @Override
        public long getContentLengthLong() {
            return -1;
        }

        @Override
        public String getHeader(String name) {
            return hidden(name) ? null : super.getHeader(name);
        }

        @Override
        public Enumeration<String> getHeaders(String name) {
            return hidden(name) ? Collections.emptyEnumeration() : super.getHeaders(name);
        }

        @Override
        public Enumeration<String> getHeaderNames() {
            return Collections.enumeration(Collections.list(super.getHeaderNames()).stream()
                    .filter(name -> !hidden(name)).toList());
        }

        private boolean hidden(String name) {
            return CONTENT_ENCODING.equalsIgnoreCase(name) || CONTENT_LENGTH.equalsIgnoreCase(name);
        }
    }

    /** Hands out at most {@code limit} bytes; asking for one more throws {@link PayloadTooLargeException}. */
    static final class LimitedInputStream extends ServletInputStream {
        private final InputStream in;
        private final long limit;
        private long count;
        private boolean finished;

        LimitedInputStream(InputStream in, long limit) {
            this.in = in;
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (length == 0) {
                return 0;
            }
            // never ask the source (the inflater) for more than one byte past the limit
            int wanted = (int) Math.min(length, limit + 1 - count);
            int n = in.read(buffer, offset, wanted);
            if (n < 0) {
                finished = true;
                return -1;
            }
            count += n;
            if (count > limit) {
                throw new PayloadTooLargeException(
                        "Request body is larger than the limit of " + limit + " bytes (after decompression)");
            }
            return n;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }

        @Override
        public boolean isFinished() {
            return finished;
        }

        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public void setReadListener(ReadListener listener) {
            throw new UnsupportedOperationException("asynchronous reads are not used by the FHIR endpoint");
        }
    }
}
