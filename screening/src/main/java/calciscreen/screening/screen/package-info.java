/** Screening one patient: read its record, evaluate the rules, keep its Flag true; the stage that joins the others. */
package calciscreen.screening.screen;
