/**
 * The whole stack end to end: the real server, screening and HL7 v2 intake as processes on a fresh PostgreSQL
 * database, checked over HTTP, MLLP and a real browser.
 */
package calciscreen.e2e;
