package model

import "math"

// series holds the recent points of one metric of a data source, one per step, oldest first: buf[len-1] is
// the bin newest. Snapshots share the points instead of copying them: view hands out the last n points, and
// a point once handed out is never written again (a later write to its bin is not kept in the series), while
// new points are appended where no snapshot looks. The buffer holds n + n/4 points, so it is copied once every
// n/4 steps.
type series struct {
	buf    []float64
	newest int64
	shared int // buf[:shared] has been handed out
}

// seriesBytes is the most memory one series of n points takes, for the documented bounds: its buffer and its
// 40-byte header, in a slice of its source's that may be twice as long as its headers (source.ser).
func seriesBytes(n int) int { return bufferLen(n)*8 + 80 }

// bufferLen is the room of a series buffer of n points.
func bufferLen(n int) int { return n + max(n/4, 8) }

// fill stores v in every bin from first to last inclusive, as far as the last n points reach. A bin after
// newest moves the series forward; the bins skipped are NaN. Values are rounded to float32 precision, so
// that a point prints the same whichever path computed it.
func (s *series) fill(first, last int64, v float64, n int) {
	if last < first {
		return
	}
	switch {
	case s.buf == nil || last-s.newest >= int64(n):
		s.buf = nanBuffer(n)
		s.newest, s.shared = last, 0
	case last > s.newest:
		grow := int(last - s.newest)
		if len(s.buf)+grow > cap(s.buf) {
			if s.shared == 0 && n+grow <= cap(s.buf) {
				// No snapshot has seen the buffer since it was made: its last n points move to its start.
				s.buf = s.buf[:copy(s.buf, s.buf[len(s.buf)-n:])]
			} else {
				s.copyBuffer(n, grow)
			}
		}
		for range grow {
			s.buf = append(s.buf, math.NaN())
		}
		s.newest = last
	}
	lo, hi := max(first, s.newest-int64(n)+1), min(last, s.newest)
	if lo > hi {
		return
	}
	at := func(bin int64) int { return len(s.buf) - 1 - int(s.newest-bin) }
	if at(lo) < s.shared {
		// Handed out already: those points keep the value a snapshot showed. Only an agent polled more often
		// than once a step writes a bin again; its latest value is the source's current one (source.cur).
		// Copying the buffer instead would cost every series of such an agent its whole history once a
		// publish, over a gigabyte a second at 20,000 hosts polled every second.
		lo = s.newest - int64(len(s.buf)-1-s.shared)
		if lo > hi {
			return
		}
	}
	v = float64(float32(v))
	for i := at(lo); i <= at(hi); i++ {
		s.buf[i] = v
	}
}

// nanBuffer returns n NaN points in a new buffer.
func nanBuffer(n int) []float64 {
	b := make([]float64, n, bufferLen(n))
	for i := range b {
		b[i] = math.NaN()
	}
	return b
}

// copyBuffer moves the last n points to a new buffer nothing shares, with room for at least grow more.
func (s *series) copyBuffer(n, grow int) {
	b := make([]float64, 0, max(bufferLen(n), n+grow))
	s.buf = append(b, s.buf[len(s.buf)-n:]...)
	s.shared = 0
}

// view returns the last n points (the last in bin newest). They never change afterwards: the slice is the
// snapshot's to keep, and appending to it cannot reach the buffer.
func (s *series) view(n int) []float64 {
	s.shared = len(s.buf)
	return s.buf[len(s.buf)-n : len(s.buf) : len(s.buf)]
}
