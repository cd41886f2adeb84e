package model

import (
	"cmp"
	"math"
	"slices"

	"github.com/fleettop/fleettop/feeds/sflow"
)

// Network devices: agents that send interface counters and flow samples but no host_descr and no application
// (switches, routers). They are their own kind: listed in Snapshot.Devices with their interfaces, not among
// the hosts, and no group counts them. A device lists every interface its agent reports: at most
// Options.MaxSourcesPerAgent (its data sources), and there is at most one device per agent address
// (Options.MaxAgents).

// maxIfName bounds the ifName (counter 0:1005 port_name) kept per interface.
const maxIfName = 64

// ifaceFigures are an interface's figures beyond its series: its name, speed and error and discard rates.
type ifaceFigures struct {
	name  string
	speed float64    // bits/s; 0 when unknown
	rates [4]float64 // in errors, out errors, in discards, out discards per second; NaN when unknown
}

// ifaceFigures keeps the speed and the error and discard rates of an if_counters record; p is the previous
// record, have whether there is one.
func (u *update) ifaceFigures(p, c *sflow.IfCounters, have bool) {
	f := &u.src.ifc
	f.speed, _ = gauge64(c.Speed)
	for i, pc := range [4][2]uint32{{p.InErrors, c.InErrors}, {p.OutErrors, c.OutErrors},
		{p.InDiscards, c.InDiscards}, {p.OutDiscards, c.OutDiscards}} {
		d, st := delta32(pc[0], pc[1])
		f.rates[i] = math.NaN()
		if have && st == deltaOK && u.dt > 0 {
			f.rates[i] = d / u.dt
		}
	}
}

// DeviceInfo is what a network device's row adds to a HostRow: its interfaces still reporting and their
// totals.
type DeviceInfo struct {
	Interfaces []IfaceRow // by ifIndex
	In, Out    float64    // bytes/s over its interfaces
	MaxUtilPct float64    // the busiest interface's utilisation (the higher of in and out), %
	Errors     float64    // in + out errors/s over its interfaces
	Discards   float64    // in + out discards/s
}

// IfaceRow is one interface of a device, from its if_counters (and port_name when the agent sends it).
type IfaceRow struct {
	Index                   uint32
	Name                    string  // ifName; "" when the agent does not send port_name
	Speed                   float64 // bits/s; 0 when unknown
	In, Out                 float64 // bytes/s
	InPct, OutPct           float64 // utilisation, % of Speed; NaN when unknown
	InErrors, OutErrors     float64 // per second
	InDiscards, OutDiscards float64 // per second
}

// isDevice reports whether the host stands for an agent address that reports no host_descr, no JVM naming
// the machine and no application: a switch or another network device.
func (h *hostBuild) isDevice() bool {
	if h.primary != nil || h.hostname != "" {
		return false
	}
	for _, v := range h.members {
		if v.role == roleApp || v.role == roleHost {
			return false
		}
	}
	return true
}

// deviceInfo lists the device's interfaces still reporting.
func (h *hostBuild) deviceInfo() *DeviceInfo {
	d := &DeviceInfo{}
	var in, out, errs, discards runSum
	d.MaxUtilPct = math.NaN()
	for i, v := range h.members {
		if v.role != roleIface || !h.fresh[i] {
			continue
		}
		r := IfaceRow{Index: v.key.index, Name: v.ifc.name, Speed: v.ifc.speed, In: v.value(mIfIn),
			Out: v.value(mIfOut), InErrors: v.ifc.rates[0], OutErrors: v.ifc.rates[1], InDiscards: v.ifc.rates[2],
			OutDiscards: v.ifc.rates[3]}
		r.InPct, r.OutPct = math.NaN(), math.NaN()
		if r.Speed > 0 {
			r.InPct, r.OutPct = 100*8*r.In/r.Speed, 100*8*r.Out/r.Speed
		}
		for _, u := range [2]float64{r.InPct, r.OutPct} {
			if !math.IsNaN(u) && (math.IsNaN(d.MaxUtilPct) || u > d.MaxUtilPct) {
				d.MaxUtilPct = u
			}
		}
		in.add(r.In, 1)
		out.add(r.Out, 1)
		errs.add(r.InErrors, 1)
		errs.add(r.OutErrors, 1)
		discards.add(r.InDiscards, 1)
		discards.add(r.OutDiscards, 1)
		d.Interfaces = append(d.Interfaces, r)
	}
	slices.SortFunc(d.Interfaces, func(a, b IfaceRow) int { return cmp.Compare(a.Index, b.Index) })
	d.In, d.Out, d.Errors, d.Discards = in.total(), out.total(), errs.total(), discards.total()
	return d
}

// routeEdit appends an edit of the host list to the hosts' edits or the devices' (a row that changed kind:
// its old row leaves one list, its new one joins the other).
func routeEdit(e edit[HostRow], hosts, devices []edit[HostRow]) ([]edit[HostRow], []edit[HostRow]) {
	oldDev := e.old != nil && e.old.Device != nil
	newDev := e.new != nil && e.new.Device != nil
	switch {
	case e.old != nil && e.new != nil && oldDev != newDev:
		if oldDev {
			return append(hosts, edit[HostRow]{new: e.new}), append(devices, edit[HostRow]{old: e.old})
		}
		return append(hosts, edit[HostRow]{old: e.old}), append(devices, edit[HostRow]{new: e.new})
	case oldDev || newDev:
		return hosts, append(devices, e)
	}
	return append(hosts, e), devices
}
