/** The screening's identity: its SMART Backend Services client, the JWK Set it publishes, its notification secrets. */
package calciscreen.screening.auth;
