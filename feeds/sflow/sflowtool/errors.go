package sflowtool

import (
	"encoding/binary"
	"fmt"
	"io"
	"strconv"

	"github.com/fleettop/fleettop/feeds/sflow"
)

// WriteErrors reports on w (stderr) what went wrong decoding one datagram, in sflowtool's manner: a datagram
// that is not sFlow v5 gets sflowtool's exact message, source and hex dump; every other problem one line
// "<what> (source IP = <source>)". d's Errors are reported, or err when d has none. Nothing is written for a
// datagram that decoded cleanly.
func WriteErrors(w io.Writer, m Meta, raw []byte, d *sflow.Datagram, err error) error {
	src := string(appendAddr(nil, m.Source.Addr().Unmap()))
	if len(raw) >= 4 {
		if v := binary.BigEndian.Uint32(raw); v != sflow.Version5 {
			return writeVersionError(w, src, raw, v)
		}
	}
	var errs []error
	if d != nil {
		for i := range d.Errors {
			errs = append(errs, &d.Errors[i])
		}
	}
	if len(errs) == 0 && err != nil {
		errs = append(errs, err)
	}
	for _, e := range errs {
		if _, werr := fmt.Fprintf(w, "%v (source IP = %s)\n", e, src); werr != nil {
			return werr
		}
	}
	return nil
}

// writeVersionError is sflowtool's receiveError for a bad version: the message, the source, the datagram in hex
// 16 bytes a line with "<*>" where decoding stopped (after the version word), and its exception number.
func writeVersionError(w io.Writer, src string, raw []byte, version uint32) error {
	const mark = 4
	b := []byte("unexpected datagram version number\n (source IP = ")
	b = append(b, src...)
	b = append(b, ")\n"...)
	if version == 2 || version == 4 {
		// sflowtool decodes these older layouts; fleettop does not.
		b = append(b[:0], "unsupported datagram version "...)
		b = strconv.AppendUint(b, uint64(version), 10)
		b = append(b, " (fleettop decodes sFlow v5 only) (source IP = "...)
		b = append(b, src...)
		b = append(b, ")\n"...)
	}
	for i := 0; i < len(raw); {
		end := min(i+16, len(raw))
		if i <= mark && mark < end {
			b = appendHexDash(b, raw[i:mark], hexLower)
			b = append(b, "-<*>-"...)
			i = mark
		}
		b = appendHexDash(b, raw[i:end], hexLower)
		b = append(b, '\n')
		i = end
	}
	b = append(b, "caught exception: 2\n"...)
	_, err := w.Write(b)
	return err
}
