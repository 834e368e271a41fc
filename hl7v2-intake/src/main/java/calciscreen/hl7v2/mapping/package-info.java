/**
 * HL7 v2 to FHIR after the V2-to-FHIR segment maps: PID, ORC/OBR, OBX and SPM into one transaction per message
 * (docs/hl7v2-intake.md).
 */
package calciscreen.hl7v2.mapping;
