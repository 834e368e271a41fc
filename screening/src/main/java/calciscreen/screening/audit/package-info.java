/** Who read which patient's data: the read AuditEvents of the worklist, the patient view and CDS cards. */
package calciscreen.screening.audit;
