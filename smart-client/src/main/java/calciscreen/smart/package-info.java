/**
 * The SMART Backend Services client every calciscreen service and tool uses: signed assertions, tokens kept and
 * renewed, the HTTP client that carries them and the operator-token check.
 */
package calciscreen.smart;
