package calciscreen.hl7v2.mllp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.hl7v2.llp.HL7Reader;
import ca.uhn.hl7v2.llp.LLPException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The MLLP framing the listener reads with: frames, their limits, what ends a connection. */
class BoundedMllpTest {

    final AtomicInteger framingErrors = new AtomicInteger();
    final BoundedMllp mllp = new BoundedMllp(100, Duration.ofSeconds(1), framingErrors::incrementAndGet);

    HL7Reader reader(byte[]... parts) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            all.writeBytes(part);
        }
        return mllp.getReader(new ByteArrayInputStream(all.toByteArray()));
    }

    static byte[] framed(String text) {
        return Mllp.frame(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void framesFollowingEachOtherAreReadOneByOneAndALineEndBetweenThemIsTolerated() throws Exception {
        HL7Reader reader = reader(framed("MSH|first\r"), "\r\n".getBytes(), framed("MSH|second\r"));
        assertThat(reader.getMessage()).isEqualTo("MSH|first\r");
        assertThat(reader.getMessage()).isEqualTo("MSH|second\r");
        assertThatThrownBy(reader::getMessage).as("the sender closed between frames").isInstanceOf(SocketException.class);
        assertThat(framingErrors).hasValue(0);
    }

    @Test
    void aFrameOverTheLimitEndsTheConnection() {
        HL7Reader reader = reader(framed("MSH|" + "x".repeat(200)));
        assertThatThrownBy(reader::getMessage).isInstanceOf(LLPException.class).hasMessageContaining("limit of 100");
        assertThat(framingErrors).hasValue(1);
    }

    @Test
    void bytesBeforeAStartByteOrAFrameCutShortEndTheConnection() {
        assertThatThrownBy(reader("garbage".getBytes())::getMessage).isInstanceOf(LLPException.class)
                .hasMessageContaining("start byte");
        assertThatThrownBy(reader(new byte[] {0x0b, 'M', 'S', 'H'})::getMessage).isInstanceOf(LLPException.class)
                .hasMessageContaining("inside a frame");
        assertThatThrownBy(reader(new byte[] {0x0b, 'M', 0x1c, 'x'})::getMessage).isInstanceOf(LLPException.class)
                .hasMessageContaining("not followed by 0x0D");
        assertThat(framingErrors).hasValue(3);
    }

    @Test
    void utf8IsReadAsUtf8AndAnythingElseAsLatin1() throws IOException, LLPException {
        assertThat(reader(framed("PID|Müller")).getMessage()).isEqualTo("PID|Müller");
        byte[] latin1 = "PID|Müller".getBytes(StandardCharsets.ISO_8859_1);
        assertThat(reader(Mllp.frame(latin1)).getMessage()).isEqualTo("PID|Müller");
    }
}
