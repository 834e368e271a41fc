/** The CDS Hooks patient-view service: the rules on the EHR's prefetch, answered as cards, nothing written. */
package calciscreen.screening.cds;
