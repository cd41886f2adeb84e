package model

import (
	"bytes"
	"math"
)

// talkerRows turns the top of a merged talker table into rows; the key holds the source, the destination or
// both. Values are the guaranteed lower bounds, per second of span.
func talkerRows(t *table[talkerAux], span float64, owners *ownerIndex, hasSrc, hasDst bool) []TalkerRow {
	top, total := t.top, t.total
	rows := make([]TalkerRow, 0, len(top))
	for _, e := range top {
		key := []byte(e.Key)
		var r TalkerRow
		if hasSrc {
			r.Src, key = readAddr(key)
			if h := owners.host(r.Src, e.Aux.srcMAC, e.Aux.hasMAC); h != nil {
				r.SrcHost, r.SrcGroup = h.row.Name, h.row.Group
			}
		}
		if hasDst {
			r.Dst, _ = readAddr(key)
			if h := owners.host(r.Dst, e.Aux.dstMAC, e.Aux.hasMAC); h != nil {
				r.DstHost, r.DstGroup = h.row.Name, h.row.Group
			}
		}
		r.Protocol = e.Aux.proto.val
		r.SrcPort = e.Aux.srcPort.dominant(e.Aux.packets)
		r.DstPort = e.Aux.dstPort.dominant(e.Aux.packets)
		r.Bytes = e.Count / span
		r.Packets = e.Aux.packets / span
		r.Share = share(e.Count, total)
		r.ErrBytes = e.Err / span
		rows = append(rows, r)
	}
	return rows
}

func share(part, total float64) float64 {
	if total <= 0 {
		return 0
	}
	return part / total
}

// urlRows turns the top of the merged URL table into rows.
func urlRows(t *table[urlAux], span float64, owners *ownerIndex) []URLRow {
	top, total := t.top, t.total
	rows := make([]URLRow, 0, len(top))
	for _, e := range top {
		host, path, _ := bytes.Cut([]byte(e.Key), []byte{0})
		a := &e.Aux
		r := URLRow{
			Host:    printable(host),
			Path:    printable(path),
			Rate:    e.Count / span,
			Share:   share(e.Count, total),
			ErrRate: e.Err / span,
			MeanMS:  math.NaN(),
			P95MS:   percentile(&a.hist, 0.95) / 1000,
		}
		if a.requests > 0 {
			for i := range r.Status {
				r.Status[i] = a.status[i] / a.requests
			}
			r.MeanMS = a.durSum / a.requests / 1000
		}
		// The vote's candidate is a server that answered this entry even when no single server dominates
		// (a URL spread evenly over 20 web servers), and its group is the entry's group.
		if h := owners.server(a.server.val); h != nil {
			r.Server, r.Group = h.row.ID, h.row.Group
		}
		rows = append(rows, r)
	}
	return rows
}

// keyRows turns the top of the merged memcache key table into rows.
func keyRows(t *table[keyAux], span float64, owners *ownerIndex) []KeyRow {
	top, total := t.top, t.total
	rows := make([]KeyRow, 0, len(top))
	for _, e := range top {
		a := &e.Aux
		r := KeyRow{
			Key:      printable([]byte(e.Key)),
			Rate:     e.Count / span,
			Share:    share(e.Count, total),
			ErrRate:  e.Err / span,
			HitRatio: math.NaN(),
		}
		if a.gets > 0 {
			r.HitRatio = a.hits / a.gets
		}
		if a.ops > 0 {
			for i := range r.Cmds {
				r.Cmds[i] = float64(a.cmds[i]) / a.ops
			}
		}
		// The vote's candidate is a server that answered this entry even when no single server dominates
		// (a URL spread evenly over 20 web servers), and its group is the entry's group.
		if h := owners.server(a.server.val); h != nil {
			r.Server, r.Group = h.row.ID, h.row.Group
		}
		rows = append(rows, r)
	}
	return rows
}
