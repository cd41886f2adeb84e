package sflow

// The internal helpers the external tests (package sflow_test) share with the internal ones.
var (
	DiffDatagrams = diffDatagrams
	SendUDP       = sendUDP
)

// NumRecordTypes is the number of record types the package knows.
const NumRecordTypes = numRecordTypes
