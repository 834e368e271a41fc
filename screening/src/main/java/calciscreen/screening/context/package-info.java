/** Reading a patient's record from the FHIR server (one batch of targeted searches) and caching it between changes. */
package calciscreen.screening.context;
