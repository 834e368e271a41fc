/**
 * The HAPI FHIR R4 JPA server on Spring Boot: wiring of persistence, endpoints, Subscription matching and the
 * conformance resources.
 */
package calciscreen.server;
