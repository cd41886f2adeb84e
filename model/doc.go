// Package model owns the fleet state: hosts joined with their ENC nodes, counter series, top-N tables and loss
// accounting, published as immutable Snapshots.
package model
