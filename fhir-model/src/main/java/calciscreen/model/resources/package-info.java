/**
 * Builders, profiles and readers of the resources the screening writes: the patient's one Flag, its RiskAssessment and
 * the screening's Device.
 */
package calciscreen.model.resources;
