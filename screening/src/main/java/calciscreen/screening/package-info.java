/**
 * The screening service: FHIR Subscriptions in, rule set v1 over each patient's record, one calciphylaxis-risk Flag
 * per patient out; this package wires the stages of its subpackages (docs/architecture.md draws them).
 */
package calciscreen.screening;
