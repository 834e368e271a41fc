/**
 * The server's SMART security: bearer-token checks, scopes per resource type and interaction, the embedded
 * authorization server and an AuditEvent for every write.
 */
package calciscreen.server.security;
