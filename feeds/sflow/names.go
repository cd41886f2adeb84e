package sflow

import (
	"encoding/hex"
	"strconv"
)

// IsInternal reports whether the interface is the agent itself (format 0, ifIndex 0x3FFFFFFF): traffic that
// originates or terminates locally.
func (i Interface) IsInternal() bool { return i.Format == IfFormatIndex && i.Value == IfIndexInternal }

// IsDiscarded reports whether the packet was dropped (format 1); Value is then the reason.
func (i Interface) IsDiscarded() bool { return i.Format == IfFormatDiscarded }

// IsMultiple reports whether the packet left by several interfaces (format 2); Value is their number, 0 when
// unknown.
func (i Interface) IsMultiple() bool { return i.Format == IfFormatMultiple }

// String formats the interface as sflowtool prints inputPort/outputPort: "N", "dropCode N", "multiple N", or
// "format==F N" for other formats.
func (i Interface) String() string {
	b, _ := i.AppendText(make([]byte, 0, 24))
	return string(b)
}

// AppendText appends String's form to b (encoding.TextAppender); it never fails.
func (i Interface) AppendText(b []byte) ([]byte, error) {
	switch i.Format {
	case IfFormatIndex:
	case IfFormatDiscarded:
		b = append(b, "dropCode "...)
	case IfFormatMultiple:
		b = append(b, "multiple "...)
	default:
		b = append(b, "format=="...)
		b = strconv.AppendUint(b, uint64(i.Format), 10)
		b = append(b, ' ')
	}
	return strconv.AppendUint(b, uint64(i.Value), 10), nil
}

// SourceID formats the sample's data source as "class:index" (sflowtool's sourceId), e.g. "0:17", "2:1".
func (s *Sample) SourceID() string {
	b := make([]byte, 0, 24)
	b = strconv.AppendUint(b, uint64(s.SourceIDClass), 10)
	b = append(b, ':')
	b = strconv.AppendUint(b, uint64(s.SourceIDIndex), 10)
	return string(b)
}

// ---------------------------------------------------------------- identifiers

// UUIDString formats a host_descr UUID as 8-4-4-4-12 lower-case hex digits.
func UUIDString(u [16]byte) string {
	var b [36]byte
	hex.Encode(b[0:8], u[0:4])
	b[8] = '-'
	hex.Encode(b[9:13], u[4:6])
	b[13] = '-'
	hex.Encode(b[14:18], u[6:8])
	b[18] = '-'
	hex.Encode(b[19:23], u[8:10])
	b[23] = '-'
	hex.Encode(b[24:36], u[10:16])
	return string(b[:])
}

// MACString formats a MAC address as sflowtool does: 12 lower-case hex digits, no separators. For the
// colon-separated form use net.HardwareAddr(mac[:]).String().
func MACString(mac [6]byte) string {
	var b [12]byte
	hex.Encode(b[:], mac[:])
	return string(b[:])
}
