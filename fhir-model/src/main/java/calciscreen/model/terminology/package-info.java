/**
 * The LOINC, SNOMED CT, ICD-10-CM and RxNorm codes and the value sets the rules read (docs/screening-rules.md,
 * "Codes").
 */
package calciscreen.model.terminology;
