package graphite

// ring is a FIFO of points with a fixed limit that, when full, discards the oldest point to make room: when
// carbon is away the newest data is the most useful. It grows on demand so an idle client costs little.
// Not safe for concurrent use; Carbon guards it with its mutex.
type ring struct {
	buf   []queued
	head  int // index of the oldest point
	n     int
	limit int
}

func newRing(limit int) *ring {
	return &ring{limit: limit}
}

func (r *ring) len() int { return r.n }

// grow makes room for at least one more point without passing the limit.
func (r *ring) grow() {
	size := 2 * len(r.buf)
	if size < 64 {
		size = 64
	}
	if size > r.limit {
		size = r.limit
	}
	buf := make([]queued, size)
	r.copyOut(buf)
	r.buf = buf
	r.head = 0
}

// copyOut copies the points, oldest first, into dst (len(dst) >= r.n).
func (r *ring) copyOut(dst []queued) {
	first := copy(dst, r.buf[r.head:min(r.head+r.n, len(r.buf))])
	copy(dst[first:r.n], r.buf[:r.n-first])
}

// push appends p, discarding the oldest point if the ring is full; it reports whether one was discarded.
func (r *ring) push(p queued) (dropped bool) {
	if r.n == r.limit {
		r.buf[r.head] = queued{}
		r.head = (r.head + 1) % len(r.buf)
		r.n--
		dropped = true
	} else if r.n == len(r.buf) {
		r.grow()
	}
	r.buf[(r.head+r.n)%len(r.buf)] = p
	r.n++
	return dropped
}

// pushFront puts pts back in front of the queue in their order, as if they had never been taken, and discards
// the oldest points beyond the limit; it returns how many it discarded.
func (r *ring) pushFront(pts []queued) (dropped int) {
	if over := r.n + len(pts) - r.limit; over > 0 {
		// the oldest are at the front of pts, then at the head of the ring
		dropped = over
		if over >= len(pts) {
			over -= len(pts)
			pts = nil
			r.discard(over)
		} else {
			pts = pts[over:]
		}
	}
	for r.n+len(pts) > len(r.buf) {
		r.grow()
	}
	for i := len(pts) - 1; i >= 0; i-- {
		r.head = (r.head - 1 + len(r.buf)) % len(r.buf)
		r.buf[r.head] = pts[i]
		r.n++
	}
	return dropped
}

// discard removes the k oldest points.
func (r *ring) discard(k int) {
	for ; k > 0 && r.n > 0; k-- {
		r.buf[r.head] = queued{}
		r.head = (r.head + 1) % len(r.buf)
		r.n--
	}
}

// take moves up to max of the oldest points into dst[:0] and returns it.
func (r *ring) take(dst []queued, max int) []queued {
	dst = dst[:0]
	for ; max > 0 && r.n > 0; max-- {
		dst = append(dst, r.buf[r.head])
		r.buf[r.head] = queued{} // let the path string go
		r.head = (r.head + 1) % len(r.buf)
		r.n--
	}
	return dst
}
