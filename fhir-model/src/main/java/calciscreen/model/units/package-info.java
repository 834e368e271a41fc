/**
 * UCUM units of the analytes the rules read and their exact conversion to each analyte's canonical unit
 * (docs/screening-rules.md, "Units").
 */
package calciscreen.model.units;
