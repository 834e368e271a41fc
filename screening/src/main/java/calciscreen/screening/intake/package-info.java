/** Which patient may have changed: Subscriptions, the notification endpoint, reconciliation, the patient queue. */
package calciscreen.screening.intake;
