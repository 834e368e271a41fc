/**
 * The benchmark, ./calciscreen bench: a Synthea population through the real services, with figures against the targets
 * and a correctness check (bench/README.md).
 */
package calciscreen.bench;
