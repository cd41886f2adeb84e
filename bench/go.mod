module github.com/fleettop/fleettop/bench

go 1.26.8

require (
	github.com/fleettop/fleettop v0.0.0
	github.com/gopacket/gopacket v1.7.7
	github.com/netsampler/goflow2/v2 v2.2.6
)

require (
	golang.org/x/net v0.62.0 // indirect
	golang.org/x/sys v0.50.0 // indirect
)

replace github.com/fleettop/fleettop => ../
