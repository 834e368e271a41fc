package calciscreen.server;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.DelegatingServletInputStream;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/**
 * The request-size limit counts the body the server parses: a gzip body after inflating it, refused as soon as the
 * inflated bytes pass the limit (a small compressed body never inflates to more than the limit in memory).
 */
class RequestSizeLimitFilterTest {

    private static final int LIMIT = 1024 * 1024;

    private final RequestSizeLimitFilter filter = new RequestSizeLimitFilter(LIMIT);

    @Test
    void gzipBodyInflatingPastTheLimitIsRefusedWithoutInflatingTheRest() throws Exception {
        byte[] compressed = gzip(new byte[128 * LIMIT]); // 128 MiB of zeros: about 128 KiB compressed
        Source request = new Source(compressed, "gzip", compressed.length);
        AtomicLong delivered = new AtomicLong();
        MockHttpServletResponse response = new MockHttpServletResponse();

        filter.doFilter(request, response, (req, res) -> drain(req.getInputStream(), delivered));

        assertThat(response.getStatus()).isEqualTo(413);
        assertThat(response.getContentAsString()).contains("\"OperationOutcome\"").contains("after decompression");
        assertThat(delivered.get()).as("inflated bytes handed to the server").isEqualTo(LIMIT);
        assertThat(request.consumed.get()).as("compressed bytes read of " + compressed.length)
                .isLessThan(compressed.length / 8);
    }

    @Test
    void gzipBodyWithinTheLimitReachesTheServerInflatedAndWithoutItsEncoding() throws Exception {
        byte[] json = "{\"resourceType\":\"Patient\",\"gender\":\"female\"}".getBytes(StandardCharsets.UTF_8);
        byte[] compressed = gzip(json);
        MockFilterChain chain = new MockFilterChain();
        ByteArrayOutputStream seen = new ByteArrayOutputStream();

        filter.doFilter(new Source(compressed, "gzip", compressed.length), new MockHttpServletResponse(),
                (req, res) -> {
                    HttpServletRequest http = (HttpServletRequest) req;
                    assertThat(http.getHeader("Content-Encoding")).isNull();
                    assertThat(http.getContentLengthLong()).isEqualTo(-1);
                    req.getInputStream().transferTo(seen);
                    chain.doFilter(req, res);
                });

        assertThat(seen.toByteArray()).isEqualTo(json);
        assertThat(chain.getRequest()).isNotNull();
    }

    @Test
    void declaredLengthOverTheLimitIsRefusedBeforeReading() throws Exception {
        Source request = new Source(new byte[LIMIT + 1], null, LIMIT + 1);
        MockFilterChain chain = new MockFilterChain();
        MockHttpServletResponse response = new MockHttpServletResponse();

        filter.doFilter(request, response, chain);

        assertThat(response.getStatus()).isEqualTo(413);
        assertThat(chain.getRequest()).isNull();
        assertThat(request.consumed.get()).isZero();
    }

    @Test
    void chunkedBodyIsCountedAsItIsRead() throws Exception {
        Source request = new Source(new byte[LIMIT + 10], null, -1);
        MockHttpServletResponse response = new MockHttpServletResponse();

        filter.doFilter(request, response, (req, res) -> drain(req.getInputStream(), new AtomicLong()));

        assertThat(response.getStatus()).isEqualTo(413);
        assertThat(request.consumed.get()).isLessThanOrEqualTo(LIMIT + 1);
    }

    @Test
    void bodyOfExactlyTheLimitPasses() throws Exception {
        AtomicLong delivered = new AtomicLong();
        MockHttpServletResponse response = new MockHttpServletResponse();

        filter.doFilter(new Source(new byte[LIMIT], null, -1), response,
                (req, res) -> drain(req.getInputStream(), delivered));

        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(delivered.get()).isEqualTo(LIMIT);
    }

    @Test
    void otherContentCodingsAreRefusedWith415() throws Exception {
        MockFilterChain chain = new MockFilterChain();
        MockHttpServletResponse response = new MockHttpServletResponse();

        filter.doFilter(new Source(new byte[10], "br", 10), response, chain);

        assertThat(response.getStatus()).isEqualTo(415);
        assertThat(response.getContentAsString()).contains("gzip");
        assertThat(chain.getRequest()).isNull();
    }

    /** Reads the body as HAPI does, to its end, counting the bytes each read hands over. */
    private static void drain(InputStream in, AtomicLong delivered) throws IOException {
        byte[] buffer = new byte[8192];
        for (int n; (n = in.read(buffer)) >= 0; ) {
            delivered.addAndGet(n);
        }
    }

    private static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(data);
        }
        return out.toByteArray();
    }

    /** A POST whose body counts the bytes the filter (or the server behind it) takes from the connection. */
    private static final class Source extends MockHttpServletRequest {
        final AtomicLong consumed = new AtomicLong();
        private final byte[] body;
        private final long declaredLength;

        Source(byte[] body, String contentEncoding, long declaredLength) {
            super("POST", "/fhir/Patient");
            this.body = body;
            this.declaredLength = declaredLength;
            setContentType("application/fhir+json");
            if (contentEncoding != null) {
                addHeader("Content-Encoding", contentEncoding);
            }
        }

        @Override
        public int getContentLength() {
            return (int) declaredLength;
        }

        @Override
        public long getContentLengthLong() {
            return declaredLength;
        }

        @Override
        public ServletInputStream getInputStream() {
            InputStream counting = new ByteArrayInputStream(body) {
                @Override
                public synchronized int read(byte[] b, int off, int len) {
                    int n = super.read(b, off, len);
                    if (n > 0) {
                        consumed.addAndGet(n);
                    }
                    return n;
                }

                @Override
                public synchronized int read() {
                    int b = super.read();
                    if (b >= 0) {
                        consumed.incrementAndGet();
                    }
                    return b;
                }
            };
            return new DelegatingServletInputStream(counting);
        }
    }
}
