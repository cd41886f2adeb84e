// Package bench compares fleettop's sFlow decoder with gopacket's and goflow2's on the same datagrams. It is a
// module of its own so that the product does not depend on its peers.
package bench
