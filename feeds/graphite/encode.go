package graphite

import (
	"encoding/binary"
	"fmt"
	"math"
	"strconv"
	"unicode/utf8"
)

// Protocol is the carbon wire protocol a Carbon client speaks.
type Protocol int

const (
	// Plaintext is carbon's line protocol, "path value timestamp\n" (carbon LINE_RECEIVER_PORT, 2003).
	Plaintext Protocol = iota
	// Pickle is carbon's batch protocol: a 4-byte big-endian length, then a pickled
	// [(path, (timestamp, value)), ...] (carbon PICKLE_RECEIVER_PORT, 2004).
	Pickle
)

func (p Protocol) String() string {
	switch p {
	case Plaintext:
		return "plaintext"
	case Pickle:
		return "pickle"
	}
	return "Protocol(" + strconv.Itoa(int(p)) + ")"
}

// Limits from carbon (lib/carbon/protocols.py, conf/carbon.conf.example).
const (
	// PickleMaxMessage is carbon's default PICKLE_RECEIVER_MAX_LENGTH: a longer message closes the connection.
	PickleMaxMessage = 1 << 20
	// MaxPathLen bounds a metric path; whisper turns each element into a file name, and no sane path is longer.
	MaxPathLen = 1024
)

// Pickle opcodes, protocol 2 (CPython Lib/pickle.py).
const (
	opProto      = 0x80
	opEmptyList  = ']'
	opMark       = '('
	opAppends    = 'e'
	opBinUnicode = 'X'
	opBinInt     = 'J'
	opBinFloat   = 'G'
	opTuple2     = 0x86
	opStop       = '.'
)

// queued is a validated point as the buffer holds it.
type queued struct {
	path  string
	value float64
	ts    int64 // Unix seconds
}

// validatePoint says why carbon would not store p as sent, or returns nil.
func validatePoint(path string, value float64) error {
	switch {
	case path == "":
		return fmt.Errorf("empty path")
	case len(path) > MaxPathLen:
		return fmt.Errorf("path longer than %d bytes", MaxPathLen)
	case !utf8.ValidString(path):
		return fmt.Errorf("path is not UTF-8")
	case math.IsNaN(value) || math.IsInf(value, 0):
		// carbon drops NaN and whisper has no way to say infinity on a graph
		return fmt.Errorf("value %v is not finite", value)
	}
	for i := 0; i < len(path); i++ {
		// carbon splits lines on whitespace; a control character is never part of a real name
		if c := path[i]; c <= ' ' || c == 0x7f {
			return fmt.Errorf("path has byte %#02x at %d", c, i)
		}
	}
	return nil
}

// appendPlaintext appends one carbon line.
func appendPlaintext(b []byte, p queued) []byte {
	b = append(b, p.path...)
	b = append(b, ' ')
	b = strconv.AppendFloat(b, p.value, 'g', -1, 64)
	b = append(b, ' ')
	b = strconv.AppendInt(b, p.ts, 10)
	return append(b, '\n')
}

// pickleFrameOverhead is the bytes of a pickle message besides its points: the length prefix, PROTO 2,
// EMPTY_LIST, MARK, APPENDS and STOP.
const pickleFrameOverhead = 4 + 2 + 1 + 1 + 1 + 1

// picklePointLen is the encoded size of one (path, (ts, value)) item at most.
func picklePointLen(p queued) int {
	return 1 + 4 + len(p.path) + 1 + 8 + 1 + 8 + 1 + 1
}

// appendPickle appends one length-prefixed pickle message holding as many of pts as fit in max bytes (at least
// one), and returns how many it took. The pickle is what CPython's pickle.dumps(list, protocol=2) accepts back:
// carbon's safe unpickler sees only lists, tuples, str, int and float.
func appendPickle(b []byte, pts []queued, max int) ([]byte, int) {
	start := len(b)
	b = append(b, 0, 0, 0, 0, opProto, 2, opEmptyList)
	n := 0
	size := pickleFrameOverhead
	if len(pts) > 0 {
		b = append(b, opMark)
		for _, p := range pts {
			size += picklePointLen(p)
			if n > 0 && size > max {
				break
			}
			b = append(b, opBinUnicode)
			b = binary.LittleEndian.AppendUint32(b, uint32(len(p.path)))
			b = append(b, p.path...)
			if p.ts >= math.MinInt32 && p.ts <= math.MaxInt32 {
				b = append(b, opBinInt)
				b = binary.LittleEndian.AppendUint32(b, uint32(int32(p.ts)))
			} else {
				// past 2038: carbon applies float() to the timestamp anyway
				b = append(b, opBinFloat)
				b = binary.BigEndian.AppendUint64(b, math.Float64bits(float64(p.ts)))
			}
			b = append(b, opBinFloat)
			b = binary.BigEndian.AppendUint64(b, math.Float64bits(p.value))
			b = append(b, opTuple2, opTuple2)
			n++
		}
		b = append(b, opAppends)
	}
	b = append(b, opStop)
	binary.BigEndian.PutUint32(b[start:], uint32(len(b)-start-4))
	return b, n
}
