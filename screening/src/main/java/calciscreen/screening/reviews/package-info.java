/** Clinicians acting on a Flag (review, snooze, dismiss) and the figures of those actions. */
package calciscreen.screening.reviews;
