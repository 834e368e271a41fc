package calciscreen.hl7v2.mllp;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * MLLP's framing bytes ({@code <VT> message <FS><CR>}) and how a frame's bytes are read as text. Plain JDK, so that
 * senders (the demo, the tests, the benchmark) need nothing of HAPI.
 */
public final class Mllp {

    public static final int START = 0x0B;
    public static final int END = 0x1C;
    public static final int CR = 0x0D;

    private Mllp() {}

    /** Bytes of a frame as text: UTF-8 when valid, else ISO-8859-1 (the two character sets labs send). */
    public static String decode(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return new String(bytes, StandardCharsets.ISO_8859_1);
        }
    }

    /** {@code content} framed. */
    public static byte[] frame(byte[] content) {
        byte[] framed = new byte[content.length + 3];
        framed[0] = START;
        System.arraycopy(content, 0, framed, 1, content.length);
        framed[framed.length - 2] = END;
        framed[framed.length - 1] = CR;
        return framed;
    }
}
