/**
 * The log output every calciscreen service shares (calciscreen-logback.xml): control characters escaped in every
 * logged value, so that nothing a caller sends can forge a log line.
 */
package calciscreen.smart.logging;
