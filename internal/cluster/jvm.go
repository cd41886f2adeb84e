package cluster

import "github.com/fleettop/fleettop/model"

// JVM is model.JVMRow: a host's JVMs, which its group's JVM figures are merged from.
type JVM struct {
	JVMs          int     `cbor:"0,keyasint"`
	HeapUsed      float64 `cbor:"1,keyasint"`
	HeapCommitted float64 `cbor:"2,keyasint"`
	HeapMax       float64 `cbor:"3,keyasint"`
	HeapPct       float64 `cbor:"4,keyasint"`
	GCRate        float64 `cbor:"5,keyasint"`
	GCTimePct     float64 `cbor:"6,keyasint"`
	Threads       float64 `cbor:"7,keyasint"`
	FDsOpen       float64 `cbor:"8,keyasint"`
}

func jvmOut(j *model.JVMRow) *JVM {
	if j == nil {
		return nil
	}
	w := JVM(*j)
	return &w
}

func jvmIn(j *JVM) *model.JVMRow {
	if j == nil {
		return nil
	}
	r := model.JVMRow(*j)
	return &r
}
