/**
 * The shared FHIR vocabulary of calciscreen (codes, units, canonical URLs, what the screening writes), plain Java on
 * HAPI's R4 structures with no Spring and no server.
 */
package calciscreen.model;
