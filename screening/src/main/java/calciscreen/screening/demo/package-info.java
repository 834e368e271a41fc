/** {@code ./calciscreen demo}: posts the example patients to a running stack and prints what the rules made of them. */
package calciscreen.screening.demo;
