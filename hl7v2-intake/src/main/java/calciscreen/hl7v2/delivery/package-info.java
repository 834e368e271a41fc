/**
 * Delivery of a mapped message to the FHIR server: one transaction per message, in order per patient, with a receipt
 * so that a resend is stored once.
 */
package calciscreen.hl7v2.delivery;
