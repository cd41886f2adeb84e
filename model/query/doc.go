// Package query is fleettop's Graphite-CLI-style command language: render-API targets, their evaluation over
// local and remote sources, the command verbs, completion, history and scripts.
package query
