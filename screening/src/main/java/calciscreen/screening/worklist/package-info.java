/** The clinicians' worklist: the active Flags and a patient's evidence, read back from the FHIR server. */
package calciscreen.screening.worklist;
