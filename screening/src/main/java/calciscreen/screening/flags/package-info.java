/** A patient's one Flag and RiskAssessment: a pure decision of what changed, then version-checked FHIR writes. */
package calciscreen.screening.flags;
