/** Rule set v1, a pure function: a PatientContext at an instant to an Assessment, no I/O (docs/screening-rules.md). */
package calciscreen.screening.rules;
