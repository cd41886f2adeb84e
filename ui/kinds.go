package ui

import (
	"strconv"

	"github.com/fleettop/fleettop/model"
)

// The glue of the JVM and Devices panes (jvm.go, devices.go) to the dashboard's levels.

// Levels of the JVM and Devices panes.
const (
	levelJVM      = iota + levelEvents + 1 // groups with JVMs
	levelJVMHosts                          // the hosts with JVMs of drillGroup
	levelDevices                           // network devices
	levelDevice                            // the interfaces of drillDev
)

// newKindTables makes the tables of the JVM and Devices panes.
func (m *Model) newKindTables(c *Common) {
	m.jvmGroups = newTable(c, "JVMs by group", jvmGroupCols, jGC, true, false)
	m.jvmGroups.empty = "no JVM reports yet (jmx-sflow-agent's counters)"
	m.jvmHosts = newTable(c, "JVMs", jvmHostCols, jGC, true, false)
	m.devices = newTable(c, "Devices", deviceCols, dUtil, true, false)
	m.devices.empty = "no network device heard yet (agents with interface counters only)"
	m.ifaces = newTable(c, "Interfaces", ifaceCols, iIndex, false, false)
}

// applyKinds formats the rows of the pane shown from a new snapshot.
func (m *Model) applyKinds(s *model.Snapshot) {
	switch m.level {
	case levelJVM:
		m.jvmGroups.SetRows(jvmGroupRows(s))
	case levelJVMHosts:
		m.jvmHosts.SetRows(jvmHostRows(s, m.drillGroup))
	case levelDevices:
		m.devices.SetRows(deviceRows(s))
	case levelDevice:
		m.ifaces.SetRows(ifaceRows(s, deviceOf(s, m.drillDev)))
	}
}

// kindTable is the table of the JVM or Devices pane shown, nil at any other level.
func (m *Model) kindTable() *table {
	switch m.level {
	case levelJVM:
		return m.jvmGroups
	case levelJVMHosts:
		return m.jvmHosts
	case levelDevices:
		return m.devices
	case levelDevice:
		return m.ifaces
	}
	return nil
}

// kindBack goes one step back from the JVM and Devices panes (and from a host page opened from the JVM pane);
// false when the level is none of theirs.
func (m *Model) kindBack() bool {
	switch {
	case m.level == levelHost && m.hostFrom == levelJVMHosts:
		m.hostFrom = 0
		m.level = levelJVMHosts
		if m.snap != nil {
			m.jvmHosts.SetRows(jvmHostRows(m.snap, m.drillGroup))
		}
	case m.level == levelJVMHosts:
		m.showJVMs()
	case m.level == levelDevice:
		m.showDevices()
	case m.level == levelJVM, m.level == levelDevices:
		m.level = levelOverview
	default:
		return false
	}
	return true
}

// kindDrill drills down in the JVM and Devices panes; false when the level is none of theirs.
func (m *Model) kindDrill() bool {
	switch m.level {
	case levelJVM, levelJVMHosts:
		m.drillJVM()
	case levelDevices:
		m.drillDevice()
	default:
		return false
	}
	return true
}

// kindCrumb is the breadcrumb of the JVM and Devices panes; ok false at any other level.
func (m *Model) kindCrumb() (parts []string, ok bool) {
	st := m.c.St
	switch m.level {
	case levelJVM:
		return []string{st.accent.str("JVMs by group (" + strconv.Itoa(len(m.jvmGroups.rows)) + ")"),
			st.muted.str("gc time: % of wall time collecting garbage; heap: used / max")}, true
	case levelJVMHosts:
		return []string{st.muted.str("JVMs by group"), st.accent.str(sanitize(m.drillGroup) + " (" +
			strconv.Itoa(len(m.jvmHosts.rows)) + " hosts)")}, true
	case levelDevices:
		return []string{st.accent.str("network devices (" + strconv.Itoa(len(m.devices.rows)) + ")")}, true
	case levelDevice:
		name := m.drillDev
		if m.snap != nil {
			if d := deviceOf(m.snap, m.drillDev); d != nil {
				name = d.Name
			}
		}
		return []string{st.muted.str("network devices"), st.accent.str(sanitize(name) + " (" +
			strconv.Itoa(len(m.ifaces.rows)) + " interfaces)")}, true
	}
	return nil, false
}
