// Package procgroup makes a cancelled command take its children with it: the ENC classifier and the
// --on-event command are scripts that may start processes of their own.
package procgroup
