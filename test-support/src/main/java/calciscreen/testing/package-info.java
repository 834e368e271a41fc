/**
 * What the integration tests share: a fresh PostgreSQL database per run, dropped at the end, and the services started
 * as processes.
 */
package calciscreen.testing;
