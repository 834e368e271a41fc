/**
 * ./calciscreen demo --hl7: sends the shipped example messages over MLLP and prints each ACK and the patient's Flag.
 */
package calciscreen.hl7v2.demo;
