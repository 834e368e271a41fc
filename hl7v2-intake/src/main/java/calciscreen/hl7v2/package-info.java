/**
 * The HL7 v2 lab intake, a Spring Boot service of its own: its configuration, health and the public key it signs its
 * FHIR client's assertions with.
 */
package calciscreen.hl7v2;
