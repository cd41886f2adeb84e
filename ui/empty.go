package ui

import (
	"net/netip"
	"strconv"
)

// nothingReceived reports whether the overview should show the empty state: a snapshot came, yet not one
// datagram, and there are no windows to show instead.
func (m *Model) nothingReceived() bool {
	return m.snap != nil && m.snap.Health.Datagrams == 0 && len(m.windows.windows) == 0 && !m.kiosk
}

// emptyState is the overview before the first datagram: where fleettop listens, the receive buffer the kernel
// granted, and what to check next.
func (m *Model) emptyState(w, h int) string {
	st := m.c.St
	port := "6343"
	head := " No sFlow received yet"
	if ap, err := netip.ParseAddrPort(m.opt.Listen); err == nil {
		port = strconv.Itoa(int(ap.Port()))
		head += " on UDP " + m.opt.Listen
	}
	lines := []string{st.titleFocus.str(head)}
	if b := m.snap.Health.RecvBuffer; b > 0 {
		lines = append(lines, st.muted.str(" the kernel granted a receive buffer of "+
			strconv.FormatFloat(float64(b)/(1<<20), 'f', 1, 64)+" MiB"))
	}
	step := func(what, how string) string {
		return st.text.str(fit(" "+what, 30, false, "")) + st.key.str(how)
	}
	lines = append(lines, "", st.header.str(" Next steps"),
		step("is an agent sending here?", "hsflowd.conf: collector { ip = THIS-HOST udpport = "+port+" }"),
		step("does a firewall drop it?", "sudo nft list ruleset | grep "+port+"   (or iptables -L -n)"),
		step("does it reach this host?", "sudo tcpdump -ni any udp port "+port),
		step("is it another port?", "fleettop live --listen :PORT"),
		step("try the simulator:", "fleettop sim --to 127.0.0.1:"+port),
	)
	return block(lines, w, h)
}
