package sflow

// Delta32 returns cur-prev for a 32-bit counter, treating cur < prev as one wrap through 2^32 (a u32 octet
// counter at 10 Gbit/s wraps every 3.4 s). ok is false when either value is 0xFFFFFFFF, the "unavailable"
// value of sflow_version_5.txt: an agent sends it for a counter it cannot supply, so it is no data, not a wrap.
// Counter resets (agent restart) look like a wrap: detect them by the sample sequence number going back
// (the model does, model/agent.go) and discard the delta.
func Delta32(prev, cur uint32) (delta uint64, ok bool) {
	if prev == Unavailable32 || cur == Unavailable32 {
		return 0, false
	}
	return uint64(cur - prev), true
}

// Delta64 returns cur-prev for a 64-bit counter. ok is false when either value is 0xFFFFFFFFFFFFFFFF
// (unavailable) or when cur < prev: a 64-bit counter does not wrap in practice (2^64 bytes is 468 years at
// 10 Tbit/s), so going back is a reset.
func Delta64(prev, cur uint64) (delta uint64, ok bool) {
	if prev == Unavailable64 || cur == Unavailable64 || cur < prev {
		return 0, false
	}
	return cur - prev, true
}
