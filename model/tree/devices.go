package tree

import (
	"strconv"

	"github.com/fleettop/fleettop/model"
)

// ifaceFigures are the current figures of a device's interface, under devices.<device>.if.<ifIndex>.
var ifaceFigures = [...]struct {
	leaf  string
	value func(*model.IfaceRow) float64
}{
	{"in_pct", func(r *model.IfaceRow) float64 { return r.InPct }},
	{"out_pct", func(r *model.IfaceRow) float64 { return r.OutPct }},
	{"in_errors", func(r *model.IfaceRow) float64 { return r.InErrors }},
	{"out_errors", func(r *model.IfaceRow) float64 { return r.OutErrors }},
	{"in_discards", func(r *model.IfaceRow) float64 { return r.InDiscards }},
	{"out_discards", func(r *model.IfaceRow) float64 { return r.OutDiscards }},
}

// walkDevices hands over the network devices' series (devices.<device>.<series>, following the device like a
// host's) and their interfaces' current figures.
func (w *walker) walkDevices(s *model.Snapshot, latest, step int64, fn func(*seriesRef)) {
	for _, d := range s.Devices {
		b := append(w.buf[:0], RootDevices...)
		b = appendHostElem(append(b, '.'), d)
		b = append(b, '.')
		w.hostSeries(b, d, latest, step, fn)
		if d.Device == nil {
			continue
		}
		for i := range d.Device.Interfaces {
			ifc := &d.Device.Interfaces[i]
			b := append(w.buf[:len(b)], "if."...)
			b = strconv.AppendUint(b, uint64(ifc.Index), 10)
			for _, f := range ifaceFigures {
				b = w.leaf(fn, b, f.leaf, f.value(ifc))
			}
			w.buf = b
		}
	}
}
