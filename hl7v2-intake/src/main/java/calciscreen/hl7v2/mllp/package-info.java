/** MLLP over TCP: the listener, the framing, reading ORU and ADT messages and answering each with its ACK. */
package calciscreen.hl7v2.mllp;
