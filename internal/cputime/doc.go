// Package cputime reads the CPU time the process has used, for benchmarks that report CPU per op (cpu-ns/op):
// on a shared machine the wall clock also counts the time a benchmark waited for a core.
package cputime
