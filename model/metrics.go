package model

// metric is one per-source series the model keeps.
type metric uint8

// The series a data source can have. Interface sources (ds class 0) use the mIf* metrics, which hosts show
// under "if.<ifIndex>.".
const (
	mCPU metric = iota
	mLoad1
	mMemUsedPct
	mMemTotal
	mDiskRead
	mDiskWrite
	mDiskUsedPct
	mNetIn
	mNetOut
	mHTTPRequests
	mHTTP1xx
	mHTTP2xx
	mHTTP3xx
	mHTTP4xx
	mHTTP5xx
	mHTTPStatusOther
	mHTTPOptions
	mHTTPGet
	mHTTPHead
	mHTTPPost
	mHTTPPut
	mHTTPDelete
	mHTTPTrace
	mHTTPConnect
	mHTTPMethodOther
	mMemcacheOps
	mMemcacheGets
	mMemcacheHits
	mMemcacheHitPct
	mMemcacheItems
	mMemcacheConns
	mJVMHeapUsed
	mJVMHeapMax
	mJVMGC
	mJVMGCTime
	mJVMThreads
	mJVMCommitted
	mJVMFDs
	mIfIn
	mIfOut
	mIfErrors
	mIfUtilisation
	numMetrics
)

// metricInfo names a metric the way the metric tree shows it, with its unit and how hosts and groups combine it.
type metricInfo struct {
	name    string
	unit    string
	average bool // hosts and groups average it instead of summing
	derived bool // computed from other series when combining (a ratio), not summed
}

var metricInfos = [numMetrics]metricInfo{
	mCPU:             {"cpu.utilisation", "%", true, false},
	mLoad1:           {"load.one", "", true, false},
	mMemUsedPct:      {"mem.used_pct", "%", true, false},
	mMemTotal:        {"mem.total", "B", false, false},
	mDiskRead:        {"disk.bytes_read", "B/s", false, false},
	mDiskWrite:       {"disk.bytes_written", "B/s", false, false},
	mDiskUsedPct:     {"disk.used_pct", "%", true, false},
	mNetIn:           {"net.bytes_in", "B/s", false, false},
	mNetOut:          {"net.bytes_out", "B/s", false, false},
	mHTTPRequests:    {"http.requests", "req/s", false, false},
	mHTTP1xx:         {"http.status.1xx", "req/s", false, false},
	mHTTP2xx:         {"http.status.2xx", "req/s", false, false},
	mHTTP3xx:         {"http.status.3xx", "req/s", false, false},
	mHTTP4xx:         {"http.status.4xx", "req/s", false, false},
	mHTTP5xx:         {"http.status.5xx", "req/s", false, false},
	mHTTPStatusOther: {"http.status.other", "req/s", false, false},
	mHTTPOptions:     {"http.method.options", "req/s", false, false},
	mHTTPGet:         {"http.method.get", "req/s", false, false},
	mHTTPHead:        {"http.method.head", "req/s", false, false},
	mHTTPPost:        {"http.method.post", "req/s", false, false},
	mHTTPPut:         {"http.method.put", "req/s", false, false},
	mHTTPDelete:      {"http.method.delete", "req/s", false, false},
	mHTTPTrace:       {"http.method.trace", "req/s", false, false},
	mHTTPConnect:     {"http.method.connect", "req/s", false, false},
	mHTTPMethodOther: {"http.method.other", "req/s", false, false},
	mMemcacheOps:     {"memcache.ops", "ops/s", false, false},
	mMemcacheGets:    {"memcache.gets", "ops/s", false, false},
	mMemcacheHits:    {"memcache.get_hits", "ops/s", false, false},
	mMemcacheHitPct:  {"memcache.hit_ratio", "%", false, true},
	mMemcacheItems:   {"memcache.items", "", false, false},
	mMemcacheConns:   {"memcache.connections", "", false, false},
	mJVMHeapUsed:     {"jvm.heap_used", "B", false, false},
	mJVMHeapMax:      {"jvm.heap_max", "B", false, false},
	mJVMGC:           {"jvm.gc", "1/s", false, false},
	mJVMGCTime:       {"jvm.gc_time", "ms/s", false, false},
	mJVMThreads:      {"jvm.threads", "", false, false},
	mJVMCommitted:    {"jvm.heap_committed", "B", false, false},
	mJVMFDs:          {"jvm.fds_open", "", false, false},
	mIfIn:            {"bytes_in", "B/s", false, false},
	mIfOut:           {"bytes_out", "B/s", false, false},
	mIfErrors:        {"errors", "1/s", false, false},
	mIfUtilisation:   {"utilisation", "%", true, false},
}
