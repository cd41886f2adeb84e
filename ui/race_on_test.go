//go:build race

package ui

// waitLimit is how long a flow test waits for a screen: the race detector makes the model's queries (the host
// page's flows over a full store) ten times slower.
const waitLimit = 90e9
