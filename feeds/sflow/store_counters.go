// The accessors of a Datagram's counter records, one per RecordType, and their allocators.

package sflow

// IfCounters returns the record's IfCounters, or nil if r is not a RecIfCounters.
func (d *Datagram) IfCounters(r *Record) *IfCounters {
	if r.Type != RecIfCounters || int(r.idx) >= len(d.store.ifCounters) {
		return nil
	}
	return &d.store.ifCounters[r.idx]
}

// newIfCounters appends a zeroed IfCounters for a record being decoded and returns it with its index.
func (s *recordStore) newIfCounters() (*IfCounters, int32) {
	s.ifCounters = append(s.ifCounters, IfCounters{})
	return &s.ifCounters[len(s.ifCounters)-1], int32(len(s.ifCounters) - 1)
}

// EthernetCounters returns the record's EthernetCounters, or nil if r is not a RecEthernetCounters.
func (d *Datagram) EthernetCounters(r *Record) *EthernetCounters {
	if r.Type != RecEthernetCounters || int(r.idx) >= len(d.store.ethernetCounters) {
		return nil
	}
	return &d.store.ethernetCounters[r.idx]
}

// newEthernetCounters appends a zeroed EthernetCounters for a record being decoded and returns it with its index.
func (s *recordStore) newEthernetCounters() (*EthernetCounters, int32) {
	s.ethernetCounters = append(s.ethernetCounters, EthernetCounters{})
	return &s.ethernetCounters[len(s.ethernetCounters)-1], int32(len(s.ethernetCounters) - 1)
}

// VLANCounters returns the record's VLANCounters, or nil if r is not a RecVLANCounters.
func (d *Datagram) VLANCounters(r *Record) *VLANCounters {
	if r.Type != RecVLANCounters || int(r.idx) >= len(d.store.vlanCounters) {
		return nil
	}
	return &d.store.vlanCounters[r.idx]
}

// newVLANCounters appends a zeroed VLANCounters for a record being decoded and returns it with its index.
func (s *recordStore) newVLANCounters() (*VLANCounters, int32) {
	s.vlanCounters = append(s.vlanCounters, VLANCounters{})
	return &s.vlanCounters[len(s.vlanCounters)-1], int32(len(s.vlanCounters) - 1)
}

// LACPCounters returns the record's LACPCounters, or nil if r is not a RecLACPCounters.
func (d *Datagram) LACPCounters(r *Record) *LACPCounters {
	if r.Type != RecLACPCounters || int(r.idx) >= len(d.store.lacpCounters) {
		return nil
	}
	return &d.store.lacpCounters[r.idx]
}

// newLACPCounters appends a zeroed LACPCounters for a record being decoded and returns it with its index.
func (s *recordStore) newLACPCounters() (*LACPCounters, int32) {
	s.lacpCounters = append(s.lacpCounters, LACPCounters{})
	return &s.lacpCounters[len(s.lacpCounters)-1], int32(len(s.lacpCounters) - 1)
}

// Processor returns the record's Processor, or nil if r is not a RecProcessor.
func (d *Datagram) Processor(r *Record) *Processor {
	if r.Type != RecProcessor || int(r.idx) >= len(d.store.processor) {
		return nil
	}
	return &d.store.processor[r.idx]
}

// newProcessor appends a zeroed Processor for a record being decoded and returns it with its index.
func (s *recordStore) newProcessor() (*Processor, int32) {
	s.processor = append(s.processor, Processor{})
	return &s.processor[len(s.processor)-1], int32(len(s.processor) - 1)
}

// OpenFlowPort returns the record's OpenFlowPort, or nil if r is not a RecOpenFlowPort.
func (d *Datagram) OpenFlowPort(r *Record) *OpenFlowPort {
	if r.Type != RecOpenFlowPort || int(r.idx) >= len(d.store.openFlowPort) {
		return nil
	}
	return &d.store.openFlowPort[r.idx]
}

// newOpenFlowPort appends a zeroed OpenFlowPort for a record being decoded and returns it with its index.
func (s *recordStore) newOpenFlowPort() (*OpenFlowPort, int32) {
	s.openFlowPort = append(s.openFlowPort, OpenFlowPort{})
	return &s.openFlowPort[len(s.openFlowPort)-1], int32(len(s.openFlowPort) - 1)
}

// PortName returns the record's PortName, or nil if r is not a RecPortName.
func (d *Datagram) PortName(r *Record) *PortName {
	if r.Type != RecPortName || int(r.idx) >= len(d.store.portName) {
		return nil
	}
	return &d.store.portName[r.idx]
}

// newPortName appends a zeroed PortName for a record being decoded and returns it with its index.
func (s *recordStore) newPortName() (*PortName, int32) {
	s.portName = append(s.portName, PortName{})
	return &s.portName[len(s.portName)-1], int32(len(s.portName) - 1)
}

// HostDescr returns the record's HostDescr, or nil if r is not a RecHostDescr.
func (d *Datagram) HostDescr(r *Record) *HostDescr {
	if r.Type != RecHostDescr || int(r.idx) >= len(d.store.hostDescr) {
		return nil
	}
	return &d.store.hostDescr[r.idx]
}

// newHostDescr appends a zeroed HostDescr for a record being decoded and returns it with its index.
func (s *recordStore) newHostDescr() (*HostDescr, int32) {
	s.hostDescr = append(s.hostDescr, HostDescr{})
	return &s.hostDescr[len(s.hostDescr)-1], int32(len(s.hostDescr) - 1)
}

// HostAdapters returns the record's HostAdapters, or nil if r is not a RecHostAdapters.
func (d *Datagram) HostAdapters(r *Record) *HostAdapters {
	if r.Type != RecHostAdapters || int(r.idx) >= len(d.store.hostAdapters) {
		return nil
	}
	return &d.store.hostAdapters[r.idx]
}

// newHostAdapters appends a zeroed HostAdapters for a record being decoded and returns it with its index.
func (s *recordStore) newHostAdapters() (*HostAdapters, int32) {
	s.hostAdapters = append(s.hostAdapters, HostAdapters{})
	return &s.hostAdapters[len(s.hostAdapters)-1], int32(len(s.hostAdapters) - 1)
}

// HostParent returns the record's HostParent, or nil if r is not a RecHostParent.
func (d *Datagram) HostParent(r *Record) *HostParent {
	if r.Type != RecHostParent || int(r.idx) >= len(d.store.hostParent) {
		return nil
	}
	return &d.store.hostParent[r.idx]
}

// newHostParent appends a zeroed HostParent for a record being decoded and returns it with its index.
func (s *recordStore) newHostParent() (*HostParent, int32) {
	s.hostParent = append(s.hostParent, HostParent{})
	return &s.hostParent[len(s.hostParent)-1], int32(len(s.hostParent) - 1)
}

// HostCPU returns the record's HostCPU, or nil if r is not a RecHostCPU.
func (d *Datagram) HostCPU(r *Record) *HostCPU {
	if r.Type != RecHostCPU || int(r.idx) >= len(d.store.hostCPU) {
		return nil
	}
	return &d.store.hostCPU[r.idx]
}

// newHostCPU appends a zeroed HostCPU for a record being decoded and returns it with its index.
func (s *recordStore) newHostCPU() (*HostCPU, int32) {
	s.hostCPU = append(s.hostCPU, HostCPU{})
	return &s.hostCPU[len(s.hostCPU)-1], int32(len(s.hostCPU) - 1)
}

// HostMemory returns the record's HostMemory, or nil if r is not a RecHostMemory.
func (d *Datagram) HostMemory(r *Record) *HostMemory {
	if r.Type != RecHostMemory || int(r.idx) >= len(d.store.hostMemory) {
		return nil
	}
	return &d.store.hostMemory[r.idx]
}

// newHostMemory appends a zeroed HostMemory for a record being decoded and returns it with its index.
func (s *recordStore) newHostMemory() (*HostMemory, int32) {
	s.hostMemory = append(s.hostMemory, HostMemory{})
	return &s.hostMemory[len(s.hostMemory)-1], int32(len(s.hostMemory) - 1)
}

// HostDiskIO returns the record's HostDiskIO, or nil if r is not a RecHostDiskIO.
func (d *Datagram) HostDiskIO(r *Record) *HostDiskIO {
	if r.Type != RecHostDiskIO || int(r.idx) >= len(d.store.hostDiskIO) {
		return nil
	}
	return &d.store.hostDiskIO[r.idx]
}

// newHostDiskIO appends a zeroed HostDiskIO for a record being decoded and returns it with its index.
func (s *recordStore) newHostDiskIO() (*HostDiskIO, int32) {
	s.hostDiskIO = append(s.hostDiskIO, HostDiskIO{})
	return &s.hostDiskIO[len(s.hostDiskIO)-1], int32(len(s.hostDiskIO) - 1)
}

// HostNetIO returns the record's HostNetIO, or nil if r is not a RecHostNetIO.
func (d *Datagram) HostNetIO(r *Record) *HostNetIO {
	if r.Type != RecHostNetIO || int(r.idx) >= len(d.store.hostNetIO) {
		return nil
	}
	return &d.store.hostNetIO[r.idx]
}

// newHostNetIO appends a zeroed HostNetIO for a record being decoded and returns it with its index.
func (s *recordStore) newHostNetIO() (*HostNetIO, int32) {
	s.hostNetIO = append(s.hostNetIO, HostNetIO{})
	return &s.hostNetIO[len(s.hostNetIO)-1], int32(len(s.hostNetIO) - 1)
}

// MIB2IP returns the record's MIB2IP, or nil if r is not a RecMIB2IP.
func (d *Datagram) MIB2IP(r *Record) *MIB2IP {
	if r.Type != RecMIB2IP || int(r.idx) >= len(d.store.mib2IP) {
		return nil
	}
	return &d.store.mib2IP[r.idx]
}

// newMIB2IP appends a zeroed MIB2IP for a record being decoded and returns it with its index.
func (s *recordStore) newMIB2IP() (*MIB2IP, int32) {
	s.mib2IP = append(s.mib2IP, MIB2IP{})
	return &s.mib2IP[len(s.mib2IP)-1], int32(len(s.mib2IP) - 1)
}

// MIB2ICMP returns the record's MIB2ICMP, or nil if r is not a RecMIB2ICMP.
func (d *Datagram) MIB2ICMP(r *Record) *MIB2ICMP {
	if r.Type != RecMIB2ICMP || int(r.idx) >= len(d.store.mib2ICMP) {
		return nil
	}
	return &d.store.mib2ICMP[r.idx]
}

// newMIB2ICMP appends a zeroed MIB2ICMP for a record being decoded and returns it with its index.
func (s *recordStore) newMIB2ICMP() (*MIB2ICMP, int32) {
	s.mib2ICMP = append(s.mib2ICMP, MIB2ICMP{})
	return &s.mib2ICMP[len(s.mib2ICMP)-1], int32(len(s.mib2ICMP) - 1)
}

// MIB2TCP returns the record's MIB2TCP, or nil if r is not a RecMIB2TCP.
func (d *Datagram) MIB2TCP(r *Record) *MIB2TCP {
	if r.Type != RecMIB2TCP || int(r.idx) >= len(d.store.mib2TCP) {
		return nil
	}
	return &d.store.mib2TCP[r.idx]
}

// newMIB2TCP appends a zeroed MIB2TCP for a record being decoded and returns it with its index.
func (s *recordStore) newMIB2TCP() (*MIB2TCP, int32) {
	s.mib2TCP = append(s.mib2TCP, MIB2TCP{})
	return &s.mib2TCP[len(s.mib2TCP)-1], int32(len(s.mib2TCP) - 1)
}

// MIB2UDP returns the record's MIB2UDP, or nil if r is not a RecMIB2UDP.
func (d *Datagram) MIB2UDP(r *Record) *MIB2UDP {
	if r.Type != RecMIB2UDP || int(r.idx) >= len(d.store.mib2UDP) {
		return nil
	}
	return &d.store.mib2UDP[r.idx]
}

// newMIB2UDP appends a zeroed MIB2UDP for a record being decoded and returns it with its index.
func (s *recordStore) newMIB2UDP() (*MIB2UDP, int32) {
	s.mib2UDP = append(s.mib2UDP, MIB2UDP{})
	return &s.mib2UDP[len(s.mib2UDP)-1], int32(len(s.mib2UDP) - 1)
}

// VirtNode returns the record's VirtNode, or nil if r is not a RecVirtNode.
func (d *Datagram) VirtNode(r *Record) *VirtNode {
	if r.Type != RecVirtNode || int(r.idx) >= len(d.store.virtNode) {
		return nil
	}
	return &d.store.virtNode[r.idx]
}

// newVirtNode appends a zeroed VirtNode for a record being decoded and returns it with its index.
func (s *recordStore) newVirtNode() (*VirtNode, int32) {
	s.virtNode = append(s.virtNode, VirtNode{})
	return &s.virtNode[len(s.virtNode)-1], int32(len(s.virtNode) - 1)
}

// VirtCPU returns the record's VirtCPU, or nil if r is not a RecVirtCPU.
func (d *Datagram) VirtCPU(r *Record) *VirtCPU {
	if r.Type != RecVirtCPU || int(r.idx) >= len(d.store.virtCPU) {
		return nil
	}
	return &d.store.virtCPU[r.idx]
}

// newVirtCPU appends a zeroed VirtCPU for a record being decoded and returns it with its index.
func (s *recordStore) newVirtCPU() (*VirtCPU, int32) {
	s.virtCPU = append(s.virtCPU, VirtCPU{})
	return &s.virtCPU[len(s.virtCPU)-1], int32(len(s.virtCPU) - 1)
}

// VirtMemory returns the record's VirtMemory, or nil if r is not a RecVirtMemory.
func (d *Datagram) VirtMemory(r *Record) *VirtMemory {
	if r.Type != RecVirtMemory || int(r.idx) >= len(d.store.virtMemory) {
		return nil
	}
	return &d.store.virtMemory[r.idx]
}

// newVirtMemory appends a zeroed VirtMemory for a record being decoded and returns it with its index.
func (s *recordStore) newVirtMemory() (*VirtMemory, int32) {
	s.virtMemory = append(s.virtMemory, VirtMemory{})
	return &s.virtMemory[len(s.virtMemory)-1], int32(len(s.virtMemory) - 1)
}

// VirtDiskIO returns the record's VirtDiskIO, or nil if r is not a RecVirtDiskIO.
func (d *Datagram) VirtDiskIO(r *Record) *VirtDiskIO {
	if r.Type != RecVirtDiskIO || int(r.idx) >= len(d.store.virtDiskIO) {
		return nil
	}
	return &d.store.virtDiskIO[r.idx]
}

// newVirtDiskIO appends a zeroed VirtDiskIO for a record being decoded and returns it with its index.
func (s *recordStore) newVirtDiskIO() (*VirtDiskIO, int32) {
	s.virtDiskIO = append(s.virtDiskIO, VirtDiskIO{})
	return &s.virtDiskIO[len(s.virtDiskIO)-1], int32(len(s.virtDiskIO) - 1)
}

// JVMRuntime returns the record's JVMRuntime, or nil if r is not a RecJVMRuntime.
func (d *Datagram) JVMRuntime(r *Record) *JVMRuntime {
	if r.Type != RecJVMRuntime || int(r.idx) >= len(d.store.jvmRuntime) {
		return nil
	}
	return &d.store.jvmRuntime[r.idx]
}

// newJVMRuntime appends a zeroed JVMRuntime for a record being decoded and returns it with its index.
func (s *recordStore) newJVMRuntime() (*JVMRuntime, int32) {
	s.jvmRuntime = append(s.jvmRuntime, JVMRuntime{})
	return &s.jvmRuntime[len(s.jvmRuntime)-1], int32(len(s.jvmRuntime) - 1)
}

// JVMStatistics returns the record's JVMStatistics, or nil if r is not a RecJVMStatistics.
func (d *Datagram) JVMStatistics(r *Record) *JVMStatistics {
	if r.Type != RecJVMStatistics || int(r.idx) >= len(d.store.jvmStatistics) {
		return nil
	}
	return &d.store.jvmStatistics[r.idx]
}

// newJVMStatistics appends a zeroed JVMStatistics for a record being decoded and returns it with its index.
func (s *recordStore) newJVMStatistics() (*JVMStatistics, int32) {
	s.jvmStatistics = append(s.jvmStatistics, JVMStatistics{})
	return &s.jvmStatistics[len(s.jvmStatistics)-1], int32(len(s.jvmStatistics) - 1)
}

// MemcacheCounters returns the record's MemcacheCounters, or nil if r is not a RecMemcacheCounters.
func (d *Datagram) MemcacheCounters(r *Record) *MemcacheCounters {
	if r.Type != RecMemcacheCounters || int(r.idx) >= len(d.store.memcacheCounters) {
		return nil
	}
	return &d.store.memcacheCounters[r.idx]
}

// newMemcacheCounters appends a zeroed MemcacheCounters for a record being decoded and returns it with its index.
func (s *recordStore) newMemcacheCounters() (*MemcacheCounters, int32) {
	s.memcacheCounters = append(s.memcacheCounters, MemcacheCounters{})
	return &s.memcacheCounters[len(s.memcacheCounters)-1], int32(len(s.memcacheCounters) - 1)
}

// HTTPCounters returns the record's HTTPCounters, or nil if r is not a RecHTTPCounters.
func (d *Datagram) HTTPCounters(r *Record) *HTTPCounters {
	if r.Type != RecHTTPCounters || int(r.idx) >= len(d.store.httpCounters) {
		return nil
	}
	return &d.store.httpCounters[r.idx]
}

// newHTTPCounters appends a zeroed HTTPCounters for a record being decoded and returns it with its index.
func (s *recordStore) newHTTPCounters() (*HTTPCounters, int32) {
	s.httpCounters = append(s.httpCounters, HTTPCounters{})
	return &s.httpCounters[len(s.httpCounters)-1], int32(len(s.httpCounters) - 1)
}

// AppOperations returns the record's AppOperations, or nil if r is not a RecAppOperations.
func (d *Datagram) AppOperations(r *Record) *AppOperations {
	if r.Type != RecAppOperations || int(r.idx) >= len(d.store.appOperations) {
		return nil
	}
	return &d.store.appOperations[r.idx]
}

// newAppOperations appends a zeroed AppOperations for a record being decoded and returns it with its index.
func (s *recordStore) newAppOperations() (*AppOperations, int32) {
	s.appOperations = append(s.appOperations, AppOperations{})
	return &s.appOperations[len(s.appOperations)-1], int32(len(s.appOperations) - 1)
}

// AppResources returns the record's AppResources, or nil if r is not a RecAppResources.
func (d *Datagram) AppResources(r *Record) *AppResources {
	if r.Type != RecAppResources || int(r.idx) >= len(d.store.appResources) {
		return nil
	}
	return &d.store.appResources[r.idx]
}

// newAppResources appends a zeroed AppResources for a record being decoded and returns it with its index.
func (s *recordStore) newAppResources() (*AppResources, int32) {
	s.appResources = append(s.appResources, AppResources{})
	return &s.appResources[len(s.appResources)-1], int32(len(s.appResources) - 1)
}

// AppWorkers returns the record's AppWorkers, or nil if r is not a RecAppWorkers.
func (d *Datagram) AppWorkers(r *Record) *AppWorkers {
	if r.Type != RecAppWorkers || int(r.idx) >= len(d.store.appWorkers) {
		return nil
	}
	return &d.store.appWorkers[r.idx]
}

// newAppWorkers appends a zeroed AppWorkers for a record being decoded and returns it with its index.
func (s *recordStore) newAppWorkers() (*AppWorkers, int32) {
	s.appWorkers = append(s.appWorkers, AppWorkers{})
	return &s.appWorkers[len(s.appWorkers)-1], int32(len(s.appWorkers) - 1)
}

// OVSDP returns the record's OVSDP, or nil if r is not a RecOVSDP.
func (d *Datagram) OVSDP(r *Record) *OVSDP {
	if r.Type != RecOVSDP || int(r.idx) >= len(d.store.ovsDP) {
		return nil
	}
	return &d.store.ovsDP[r.idx]
}

// newOVSDP appends a zeroed OVSDP for a record being decoded and returns it with its index.
func (s *recordStore) newOVSDP() (*OVSDP, int32) {
	s.ovsDP = append(s.ovsDP, OVSDP{})
	return &s.ovsDP[len(s.ovsDP)-1], int32(len(s.ovsDP) - 1)
}

// BroadcomTables returns the record's BroadcomTables, or nil if r is not a RecBroadcomTables.
func (d *Datagram) BroadcomTables(r *Record) *BroadcomTables {
	if r.Type != RecBroadcomTables || int(r.idx) >= len(d.store.broadcomTables) {
		return nil
	}
	return &d.store.broadcomTables[r.idx]
}

// newBroadcomTables appends a zeroed BroadcomTables for a record being decoded and returns it with its index.
func (s *recordStore) newBroadcomTables() (*BroadcomTables, int32) {
	s.broadcomTables = append(s.broadcomTables, BroadcomTables{})
	return &s.broadcomTables[len(s.broadcomTables)-1], int32(len(s.broadcomTables) - 1)
}

// SFP returns the record's SFP, or nil if r is not a RecSFP.
func (d *Datagram) SFP(r *Record) *SFP {
	if r.Type != RecSFP || int(r.idx) >= len(d.store.rare.sfp) {
		return nil
	}
	return &d.store.rare.sfp[r.idx]
}

// newSFP appends a zeroed SFP for a record being decoded and returns it with its index.
func (s *recordStore) newSFP() (*SFP, int32) {
	s.rareUsed = true
	s.rare.sfp = append(s.rare.sfp, SFP{})
	return &s.rare.sfp[len(s.rare.sfp)-1], int32(len(s.rare.sfp) - 1)
}

// PFC returns the record's PFC, or nil if r is not a RecPFC.
func (d *Datagram) PFC(r *Record) *PFC {
	if r.Type != RecPFC || int(r.idx) >= len(d.store.rare.pfc) {
		return nil
	}
	return &d.store.rare.pfc[r.idx]
}

// newPFC appends a zeroed PFC for a record being decoded and returns it with its index.
func (s *recordStore) newPFC() (*PFC, int32) {
	s.rareUsed = true
	s.rare.pfc = append(s.rare.pfc, PFC{})
	return &s.rare.pfc[len(s.rare.pfc)-1], int32(len(s.rare.pfc) - 1)
}
