/** Screening every patient already on the server, in resumable chunks, through the same queue as notifications. */
package calciscreen.screening.backfill;
