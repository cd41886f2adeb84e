// Package graphite moves series between fleettop and a Graphite server: it pushes points to carbon
// (plaintext or pickle protocol) and reads series and metric names back from graphite-web (/render, /metrics/find).
package graphite
