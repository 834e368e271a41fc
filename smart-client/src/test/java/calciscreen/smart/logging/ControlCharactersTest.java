package calciscreen.smart.logging;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ControlCharactersTest {

    @Test
    void lineBreaksAndOtherControlCharactersBecomeVisibleEscapes() {
        assertThat(ControlCharacters.escape("iss\r\n2026-12-02 INFO event=forged")).isEqualTo("iss\\r\\n2026-12-02 INFO event=forged");
        assertThat(ControlCharacters.escape("a\tb\u0000c\u001bd\u0085e\u2028f")).isEqualTo("a\\tb\\u0000c\\u001bd\\u0085e\\u2028f");
    }

    @Test
    void aValueWithoutControlCharactersIsReturnedAsItIs() {
        String value = "event=cds_refused reason=\"ünïcode is fine\"";
        assertThat(ControlCharacters.escape(value)).isSameAs(value);
        assertThat(ControlCharacters.escape(null)).isNull();
    }
}
