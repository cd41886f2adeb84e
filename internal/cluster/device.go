package cluster

import "github.com/fleettop/fleettop/model"

// Device is model.DeviceInfo: a network device's interfaces and their totals, for the Devices pane of a
// merged view.
type Device struct {
	Interfaces []Iface `cbor:"0,keyasint,omitempty"`
	In         float64 `cbor:"1,keyasint"`
	Out        float64 `cbor:"2,keyasint"`
	MaxUtilPct float64 `cbor:"3,keyasint"`
	Errors     float64 `cbor:"4,keyasint"`
	Discards   float64 `cbor:"5,keyasint"`
}

// Iface is model.IfaceRow, field for field.
type Iface struct {
	Index       uint32  `cbor:"0,keyasint"`
	Name        string  `cbor:"1,keyasint,omitempty"`
	Speed       float64 `cbor:"2,keyasint"`
	In          float64 `cbor:"3,keyasint"`
	Out         float64 `cbor:"4,keyasint"`
	InPct       float64 `cbor:"5,keyasint"`
	OutPct      float64 `cbor:"6,keyasint"`
	InErrors    float64 `cbor:"7,keyasint"`
	OutErrors   float64 `cbor:"8,keyasint"`
	InDiscards  float64 `cbor:"9,keyasint"`
	OutDiscards float64 `cbor:"10,keyasint"`
}

func deviceOut(d *model.DeviceInfo) *Device {
	if d == nil {
		return nil
	}
	w := &Device{In: d.In, Out: d.Out, MaxUtilPct: d.MaxUtilPct, Errors: d.Errors, Discards: d.Discards}
	if len(d.Interfaces) > 0 {
		w.Interfaces = make([]Iface, len(d.Interfaces))
		for i, f := range d.Interfaces {
			w.Interfaces[i] = Iface(f)
		}
	}
	return w
}

func deviceIn(d *Device) *model.DeviceInfo {
	if d == nil {
		return nil
	}
	r := &model.DeviceInfo{In: d.In, Out: d.Out, MaxUtilPct: d.MaxUtilPct, Errors: d.Errors, Discards: d.Discards}
	if len(d.Interfaces) > 0 {
		r.Interfaces = make([]model.IfaceRow, len(d.Interfaces))
		for i, f := range d.Interfaces {
			r.Interfaces[i] = model.IfaceRow(f)
		}
	}
	return r
}
