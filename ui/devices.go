package ui

import (
	"strconv"

	"github.com/fleettop/fleettop/model"
)

// The Devices pane (`D`): switches and other network devices, which send interface counters and flow samples
// but no host counters, one row each; Enter lists a device's interfaces with their utilisation (in and out, %
// of ifSpeed), errors and discards; Esc goes back.

// Device table columns.
const (
	dName = iota
	dState
	dIfaces
	dIn
	dOut
	dUtil
	dErrors
	dDiscards
	dCols
)

var deviceCols = []column{
	dName:     {title: "device", width: 15, flex: true, text: true, keep: 100, grow: 8, most: 40},
	dState:    {title: "state", width: 5, text: true, keep: 60},
	dIfaces:   {title: "ifs", width: 4, right: true, keep: 70},
	dIn:       {title: "in B/s", width: 6, right: true, spark: true, keep: 90},
	dOut:      {title: "out B/s", width: 7, right: true, spark: true, keep: 85},
	dUtil:     {title: "max %", width: 6, right: true, keep: 95},
	dErrors:   {title: "err/s", width: 6, right: true, keep: 80},
	dDiscards: {title: "disc/s", width: 6, right: true, keep: 75},
}

// Interface table columns.
const (
	iIndex = iota
	iName
	iSpeed
	iIn
	iInPct
	iOut
	iOutPct
	iInErr
	iOutErr
	iInDisc
	iOutDisc
	iCols
)

var ifaceCols = []column{
	iIndex:   {title: "ifIndex", width: 8, right: true, keep: 100},
	iName:    {title: "ifName", width: 10, flex: true, text: true, keep: 99, grow: 6, most: 24},
	iSpeed:   {title: "speed", width: 5, right: true, keep: 60},
	iIn:      {title: "in B/s", width: 6, right: true, spark: true, keep: 80},
	iInPct:   {title: "in %", width: 5, right: true, keep: 98},
	iOut:     {title: "out B/s", width: 7, right: true, spark: true, keep: 75},
	iOutPct:  {title: "out %", width: 5, right: true, keep: 97},
	iInErr:   {title: "in err", width: 6, right: true, keep: 90},
	iOutErr:  {title: "out err", width: 7, right: true, keep: 88},
	iInDisc:  {title: "in disc", width: 7, right: true, keep: 86},
	iOutDisc: {title: "out disc", width: 8, right: true, keep: 85},
}

// utilTone marks a busy link.
func utilTone(v float64) tone { return levelTone(v, 70, 90) }

// errTone marks errors or discards that are not zero.
func errTone(v float64) tone {
	if v > 0 {
		return toneWarn
	}
	return toneMuted
}

func deviceRows(s *model.Snapshot) []row {
	rows := make([]row, 0, len(s.Devices))
	for _, d := range s.Devices {
		info := d.Device
		if info == nil {
			continue
		}
		r := newRow(dCols)
		r.id = rowID("device", d.ID)
		r.key = d.ID
		r.set(dName, sanitize(d.Name), 0, toneText)
		st, stTone := stateName(d.State)
		r.set(dState, st, float64(d.State), stTone)
		r.set(dIfaces, strconv.Itoa(len(info.Interfaces)), float64(len(info.Interfaces)), toneText)
		r.set(dIn, bytesRate(info.In), info.In, toneText)
		r.set(dOut, bytesRate(info.Out), info.Out, toneText)
		r.set(dUtil, pct(info.MaxUtilPct), info.MaxUtilPct, utilTone(info.MaxUtilPct))
		r.set(dErrors, si(info.Errors), info.Errors, errTone(info.Errors))
		r.set(dDiscards, si(info.Discards), info.Discards, errTone(info.Discards))
		r.spark(dIn, hostSeries(s, d, "net.bytes_in"))
		r.spark(dOut, hostSeries(s, d, "net.bytes_out"))
		r.finish(d.ID, d.Agent.String())
		rows = append(rows, r)
	}
	return rows
}

func ifaceRows(s *model.Snapshot, d *model.HostRow) []row {
	if d == nil || d.Device == nil {
		return nil
	}
	rows := make([]row, 0, len(d.Device.Interfaces))
	for i := range d.Device.Interfaces {
		f := &d.Device.Interfaces[i]
		r := newRow(iCols)
		idx := strconv.FormatUint(uint64(f.Index), 10)
		r.id = rowID("iface", d.ID, idx)
		r.set(iIndex, idx, float64(f.Index), toneText)
		name := noValue
		if f.Name != "" {
			name = sanitize(f.Name)
		}
		r.set(iName, name, 0, toneText)
		speed := noValue
		if f.Speed > 0 {
			speed = si(f.Speed)
		}
		r.set(iSpeed, speed, f.Speed, toneMuted)
		r.set(iIn, bytesRate(f.In), f.In, toneText)
		r.set(iInPct, pct(f.InPct), f.InPct, utilTone(f.InPct))
		r.set(iOut, bytesRate(f.Out), f.Out, toneText)
		r.set(iOutPct, pct(f.OutPct), f.OutPct, utilTone(f.OutPct))
		for _, c := range [...]struct {
			col int
			v   float64
		}{{iInErr, f.InErrors}, {iOutErr, f.OutErrors}, {iInDisc, f.InDiscards}, {iOutDisc, f.OutDiscards}} {
			r.set(c.col, si(c.v), c.v, errTone(c.v))
		}
		r.spark(iIn, hostSeries(s, d, "if."+idx+".bytes_in"))
		r.spark(iOut, hostSeries(s, d, "if."+idx+".bytes_out"))
		r.finish()
		rows = append(rows, r)
	}
	return rows
}

// deviceOf finds the device id in the snapshot.
func deviceOf(s *model.Snapshot, id string) *model.HostRow {
	for _, d := range s.Devices {
		if d.ID == id {
			return d
		}
	}
	return nil
}

// showDevices opens the Devices pane.
func (m *Model) showDevices() {
	m.level = levelDevices
	if m.snap != nil {
		m.devices.SetRows(deviceRows(m.snap))
	}
}

// drillDevice lists the interfaces of the device under the cursor.
func (m *Model) drillDevice() {
	if r := m.devices.Selected(); r != nil {
		m.drillDev, m.level = r.key, levelDevice
		m.ifaces.cursor, m.ifaces.offset = 0, 0
		m.ifaces.SetRows(ifaceRows(m.snap, deviceOf(m.snap, r.key)))
	}
}
