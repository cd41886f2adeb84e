// The accessors of a Datagram's flow records, one per RecordType, and their allocators.

package sflow

// SampledHeader returns the record's SampledHeader, or nil if r is not a RecSampledHeader.
func (d *Datagram) SampledHeader(r *Record) *SampledHeader {
	if r.Type != RecSampledHeader || int(r.idx) >= len(d.store.sampledHeader) {
		return nil
	}
	return &d.store.sampledHeader[r.idx]
}

// newSampledHeader appends a zeroed SampledHeader for a record being decoded and returns it with its index.
func (s *recordStore) newSampledHeader() (*SampledHeader, int32) {
	s.sampledHeader = append(s.sampledHeader, SampledHeader{})
	return &s.sampledHeader[len(s.sampledHeader)-1], int32(len(s.sampledHeader) - 1)
}

// SampledEthernet returns the record's SampledEthernet, or nil if r is not a RecSampledEthernet.
func (d *Datagram) SampledEthernet(r *Record) *SampledEthernet {
	if r.Type != RecSampledEthernet || int(r.idx) >= len(d.store.sampledEthernet) {
		return nil
	}
	return &d.store.sampledEthernet[r.idx]
}

// newSampledEthernet appends a zeroed SampledEthernet for a record being decoded and returns it with its index.
func (s *recordStore) newSampledEthernet() (*SampledEthernet, int32) {
	s.sampledEthernet = append(s.sampledEthernet, SampledEthernet{})
	return &s.sampledEthernet[len(s.sampledEthernet)-1], int32(len(s.sampledEthernet) - 1)
}

// SampledIPv4 returns the record's SampledIP, or nil if r is not a RecSampledIPv4.
func (d *Datagram) SampledIPv4(r *Record) *SampledIP {
	if r.Type != RecSampledIPv4 || int(r.idx) >= len(d.store.sampledIPv4) {
		return nil
	}
	return &d.store.sampledIPv4[r.idx]
}

// newSampledIPv4 appends a zeroed SampledIP for a record being decoded and returns it with its index.
func (s *recordStore) newSampledIPv4() (*SampledIP, int32) {
	s.sampledIPv4 = append(s.sampledIPv4, SampledIP{})
	return &s.sampledIPv4[len(s.sampledIPv4)-1], int32(len(s.sampledIPv4) - 1)
}

// SampledIPv6 returns the record's SampledIP, or nil if r is not a RecSampledIPv6.
func (d *Datagram) SampledIPv6(r *Record) *SampledIP {
	if r.Type != RecSampledIPv6 || int(r.idx) >= len(d.store.sampledIPv6) {
		return nil
	}
	return &d.store.sampledIPv6[r.idx]
}

// newSampledIPv6 appends a zeroed SampledIP for a record being decoded and returns it with its index.
func (s *recordStore) newSampledIPv6() (*SampledIP, int32) {
	s.sampledIPv6 = append(s.sampledIPv6, SampledIP{})
	return &s.sampledIPv6[len(s.sampledIPv6)-1], int32(len(s.sampledIPv6) - 1)
}

// ExtSwitch returns the record's ExtSwitch, or nil if r is not a RecExtSwitch.
func (d *Datagram) ExtSwitch(r *Record) *ExtSwitch {
	if r.Type != RecExtSwitch || int(r.idx) >= len(d.store.extSwitch) {
		return nil
	}
	return &d.store.extSwitch[r.idx]
}

// newExtSwitch appends a zeroed ExtSwitch for a record being decoded and returns it with its index.
func (s *recordStore) newExtSwitch() (*ExtSwitch, int32) {
	s.extSwitch = append(s.extSwitch, ExtSwitch{})
	return &s.extSwitch[len(s.extSwitch)-1], int32(len(s.extSwitch) - 1)
}

// ExtRouter returns the record's ExtRouter, or nil if r is not a RecExtRouter.
func (d *Datagram) ExtRouter(r *Record) *ExtRouter {
	if r.Type != RecExtRouter || int(r.idx) >= len(d.store.extRouter) {
		return nil
	}
	return &d.store.extRouter[r.idx]
}

// newExtRouter appends a zeroed ExtRouter for a record being decoded and returns it with its index.
func (s *recordStore) newExtRouter() (*ExtRouter, int32) {
	s.extRouter = append(s.extRouter, ExtRouter{})
	return &s.extRouter[len(s.extRouter)-1], int32(len(s.extRouter) - 1)
}

// ExtGateway returns the record's ExtGateway, or nil if r is not a RecExtGateway.
func (d *Datagram) ExtGateway(r *Record) *ExtGateway {
	if r.Type != RecExtGateway || int(r.idx) >= len(d.store.extGateway) {
		return nil
	}
	return &d.store.extGateway[r.idx]
}

// newExtGateway appends a zeroed ExtGateway for a record being decoded and returns it with its index.
func (s *recordStore) newExtGateway() (*ExtGateway, int32) {
	s.extGateway = append(s.extGateway, ExtGateway{})
	return &s.extGateway[len(s.extGateway)-1], int32(len(s.extGateway) - 1)
}

// ExtUser returns the record's ExtUser, or nil if r is not a RecExtUser.
func (d *Datagram) ExtUser(r *Record) *ExtUser {
	if r.Type != RecExtUser || int(r.idx) >= len(d.store.extUser) {
		return nil
	}
	return &d.store.extUser[r.idx]
}

// newExtUser appends a zeroed ExtUser for a record being decoded and returns it with its index.
func (s *recordStore) newExtUser() (*ExtUser, int32) {
	s.extUser = append(s.extUser, ExtUser{})
	return &s.extUser[len(s.extUser)-1], int32(len(s.extUser) - 1)
}

// ExtURL returns the record's ExtURL, or nil if r is not a RecExtURL.
func (d *Datagram) ExtURL(r *Record) *ExtURL {
	if r.Type != RecExtURL || int(r.idx) >= len(d.store.extURL) {
		return nil
	}
	return &d.store.extURL[r.idx]
}

// newExtURL appends a zeroed ExtURL for a record being decoded and returns it with its index.
func (s *recordStore) newExtURL() (*ExtURL, int32) {
	s.extURL = append(s.extURL, ExtURL{})
	return &s.extURL[len(s.extURL)-1], int32(len(s.extURL) - 1)
}

// U32 returns the record's U32Record, or nil if r is not a RecU32.
func (d *Datagram) U32(r *Record) *U32Record {
	if r.Type != RecU32 || int(r.idx) >= len(d.store.u32) {
		return nil
	}
	return &d.store.u32[r.idx]
}

// newU32 appends a zeroed U32Record for a record being decoded and returns it with its index.
func (s *recordStore) newU32() (*U32Record, int32) {
	s.u32 = append(s.u32, U32Record{})
	return &s.u32[len(s.u32)-1], int32(len(s.u32) - 1)
}

// ExtACL returns the record's ExtACL, or nil if r is not a RecExtACL.
func (d *Datagram) ExtACL(r *Record) *ExtACL {
	if r.Type != RecExtACL || int(r.idx) >= len(d.store.extACL) {
		return nil
	}
	return &d.store.extACL[r.idx]
}

// newExtACL appends a zeroed ExtACL for a record being decoded and returns it with its index.
func (s *recordStore) newExtACL() (*ExtACL, int32) {
	s.extACL = append(s.extACL, ExtACL{})
	return &s.extACL[len(s.extACL)-1], int32(len(s.extACL) - 1)
}

// String returns the record's StringRecord, or nil if r is not a RecString.
func (d *Datagram) String(r *Record) *StringRecord {
	if r.Type != RecString || int(r.idx) >= len(d.store.str) {
		return nil
	}
	return &d.store.str[r.idx]
}

// newString appends a zeroed StringRecord for a record being decoded and returns it with its index.
func (s *recordStore) newString() (*StringRecord, int32) {
	s.str = append(s.str, StringRecord{})
	return &s.str[len(s.str)-1], int32(len(s.str) - 1)
}

// HWTrap returns the record's HWTrap, or nil if r is not a RecHWTrap.
func (d *Datagram) HWTrap(r *Record) *HWTrap {
	if r.Type != RecHWTrap || int(r.idx) >= len(d.store.hwTrap) {
		return nil
	}
	return &d.store.hwTrap[r.idx]
}

// newHWTrap appends a zeroed HWTrap for a record being decoded and returns it with its index.
func (s *recordStore) newHWTrap() (*HWTrap, int32) {
	s.hwTrap = append(s.hwTrap, HWTrap{})
	return &s.hwTrap[len(s.hwTrap)-1], int32(len(s.hwTrap) - 1)
}

// Timestamp returns the record's Timestamp, or nil if r is not a RecTimestamp.
func (d *Datagram) Timestamp(r *Record) *Timestamp {
	if r.Type != RecTimestamp || int(r.idx) >= len(d.store.timestamp) {
		return nil
	}
	return &d.store.timestamp[r.idx]
}

// newTimestamp appends a zeroed Timestamp for a record being decoded and returns it with its index.
func (s *recordStore) newTimestamp() (*Timestamp, int32) {
	s.timestamp = append(s.timestamp, Timestamp{})
	return &s.timestamp[len(s.timestamp)-1], int32(len(s.timestamp) - 1)
}

// Socket returns the record's Socket, or nil if r is not a RecSocket.
func (d *Datagram) Socket(r *Record) *Socket {
	if r.Type != RecSocket || int(r.idx) >= len(d.store.socket) {
		return nil
	}
	return &d.store.socket[r.idx]
}

// newSocket appends a zeroed Socket for a record being decoded and returns it with its index.
func (s *recordStore) newSocket() (*Socket, int32) {
	s.socket = append(s.socket, Socket{})
	return &s.socket[len(s.socket)-1], int32(len(s.socket) - 1)
}

// MemcacheOp returns the record's MemcacheOp, or nil if r is not a RecMemcacheOp.
func (d *Datagram) MemcacheOp(r *Record) *MemcacheOp {
	if r.Type != RecMemcacheOp || int(r.idx) >= len(d.store.memcacheOp) {
		return nil
	}
	return &d.store.memcacheOp[r.idx]
}

// newMemcacheOp appends a zeroed MemcacheOp for a record being decoded and returns it with its index.
func (s *recordStore) newMemcacheOp() (*MemcacheOp, int32) {
	s.memcacheOp = append(s.memcacheOp, MemcacheOp{})
	return &s.memcacheOp[len(s.memcacheOp)-1], int32(len(s.memcacheOp) - 1)
}

// HTTPRequest returns the record's HTTPRequest, or nil if r is not a RecHTTPRequest.
func (d *Datagram) HTTPRequest(r *Record) *HTTPRequest {
	if r.Type != RecHTTPRequest || int(r.idx) >= len(d.store.httpRequest) {
		return nil
	}
	return &d.store.httpRequest[r.idx]
}

// newHTTPRequest appends a zeroed HTTPRequest for a record being decoded and returns it with its index.
func (s *recordStore) newHTTPRequest() (*HTTPRequest, int32) {
	s.httpRequest = append(s.httpRequest, HTTPRequest{})
	return &s.httpRequest[len(s.httpRequest)-1], int32(len(s.httpRequest) - 1)
}

// ProxyRequest returns the record's ProxyRequest, or nil if r is not a RecProxyRequest.
func (d *Datagram) ProxyRequest(r *Record) *ProxyRequest {
	if r.Type != RecProxyRequest || int(r.idx) >= len(d.store.proxyRequest) {
		return nil
	}
	return &d.store.proxyRequest[r.idx]
}

// newProxyRequest appends a zeroed ProxyRequest for a record being decoded and returns it with its index.
func (s *recordStore) newProxyRequest() (*ProxyRequest, int32) {
	s.proxyRequest = append(s.proxyRequest, ProxyRequest{})
	return &s.proxyRequest[len(s.proxyRequest)-1], int32(len(s.proxyRequest) - 1)
}

// AppOperation returns the record's AppOperation, or nil if r is not a RecAppOperation.
func (d *Datagram) AppOperation(r *Record) *AppOperation {
	if r.Type != RecAppOperation || int(r.idx) >= len(d.store.appOperation) {
		return nil
	}
	return &d.store.appOperation[r.idx]
}

// newAppOperation appends a zeroed AppOperation for a record being decoded and returns it with its index.
func (s *recordStore) newAppOperation() (*AppOperation, int32) {
	s.appOperation = append(s.appOperation, AppOperation{})
	return &s.appOperation[len(s.appOperation)-1], int32(len(s.appOperation) - 1)
}

// AppContext returns the record's AppContext, or nil if r is not a RecAppContext.
func (d *Datagram) AppContext(r *Record) *AppContext {
	if r.Type != RecAppContext || int(r.idx) >= len(d.store.appContext) {
		return nil
	}
	return &d.store.appContext[r.idx]
}

// newAppContext appends a zeroed AppContext for a record being decoded and returns it with its index.
func (s *recordStore) newAppContext() (*AppContext, int32) {
	s.appContext = append(s.appContext, AppContext{})
	return &s.appContext[len(s.appContext)-1], int32(len(s.appContext) - 1)
}

// AppActor returns the record's AppActor, or nil if r is not a RecAppActor.
func (d *Datagram) AppActor(r *Record) *AppActor {
	if r.Type != RecAppActor || int(r.idx) >= len(d.store.appActor) {
		return nil
	}
	return &d.store.appActor[r.idx]
}

// newAppActor appends a zeroed AppActor for a record being decoded and returns it with its index.
func (s *recordStore) newAppActor() (*AppActor, int32) {
	s.appActor = append(s.appActor, AppActor{})
	return &s.appActor[len(s.appActor)-1], int32(len(s.appActor) - 1)
}

// TCPInfo returns the record's TCPInfo, or nil if r is not a RecTCPInfo.
func (d *Datagram) TCPInfo(r *Record) *TCPInfo {
	if r.Type != RecTCPInfo || int(r.idx) >= len(d.store.tcpInfo) {
		return nil
	}
	return &d.store.tcpInfo[r.idx]
}

// newTCPInfo appends a zeroed TCPInfo for a record being decoded and returns it with its index.
func (s *recordStore) newTCPInfo() (*TCPInfo, int32) {
	s.tcpInfo = append(s.tcpInfo, TCPInfo{})
	return &s.tcpInfo[len(s.tcpInfo)-1], int32(len(s.tcpInfo) - 1)
}

// Entities returns the record's Entities, or nil if r is not a RecEntities.
func (d *Datagram) Entities(r *Record) *Entities {
	if r.Type != RecEntities || int(r.idx) >= len(d.store.entities) {
		return nil
	}
	return &d.store.entities[r.idx]
}

// newEntities appends a zeroed Entities for a record being decoded and returns it with its index.
func (s *recordStore) newEntities() (*Entities, int32) {
	s.entities = append(s.entities, Entities{})
	return &s.entities[len(s.entities)-1], int32(len(s.entities) - 1)
}

// ExtMPLS returns the record's ExtMPLS, or nil if r is not a RecExtMPLS.
func (d *Datagram) ExtMPLS(r *Record) *ExtMPLS {
	if r.Type != RecExtMPLS || int(r.idx) >= len(d.store.rare.extMPLS) {
		return nil
	}
	return &d.store.rare.extMPLS[r.idx]
}

// newExtMPLS appends a zeroed ExtMPLS for a record being decoded and returns it with its index.
func (s *recordStore) newExtMPLS() (*ExtMPLS, int32) {
	s.rareUsed = true
	s.rare.extMPLS = append(s.rare.extMPLS, ExtMPLS{})
	return &s.rare.extMPLS[len(s.rare.extMPLS)-1], int32(len(s.rare.extMPLS) - 1)
}

// ExtNAT returns the record's ExtNAT, or nil if r is not a RecExtNAT.
func (d *Datagram) ExtNAT(r *Record) *ExtNAT {
	if r.Type != RecExtNAT || int(r.idx) >= len(d.store.rare.extNAT) {
		return nil
	}
	return &d.store.rare.extNAT[r.idx]
}

// newExtNAT appends a zeroed ExtNAT for a record being decoded and returns it with its index.
func (s *recordStore) newExtNAT() (*ExtNAT, int32) {
	s.rareUsed = true
	s.rare.extNAT = append(s.rare.extNAT, ExtNAT{})
	return &s.rare.extNAT[len(s.rare.extNAT)-1], int32(len(s.rare.extNAT) - 1)
}

// ExtMPLSTunnel returns the record's ExtMPLSTunnel, or nil if r is not a RecExtMPLSTunnel.
func (d *Datagram) ExtMPLSTunnel(r *Record) *ExtMPLSTunnel {
	if r.Type != RecExtMPLSTunnel || int(r.idx) >= len(d.store.rare.extMPLSTunnel) {
		return nil
	}
	return &d.store.rare.extMPLSTunnel[r.idx]
}

// newExtMPLSTunnel appends a zeroed ExtMPLSTunnel for a record being decoded and returns it with its index.
func (s *recordStore) newExtMPLSTunnel() (*ExtMPLSTunnel, int32) {
	s.rareUsed = true
	s.rare.extMPLSTunnel = append(s.rare.extMPLSTunnel, ExtMPLSTunnel{})
	return &s.rare.extMPLSTunnel[len(s.rare.extMPLSTunnel)-1], int32(len(s.rare.extMPLSTunnel) - 1)
}

// ExtMPLSFTN returns the record's ExtMPLSFTN, or nil if r is not a RecExtMPLSFTN.
func (d *Datagram) ExtMPLSFTN(r *Record) *ExtMPLSFTN {
	if r.Type != RecExtMPLSFTN || int(r.idx) >= len(d.store.rare.extMPLSFTN) {
		return nil
	}
	return &d.store.rare.extMPLSFTN[r.idx]
}

// newExtMPLSFTN appends a zeroed ExtMPLSFTN for a record being decoded and returns it with its index.
func (s *recordStore) newExtMPLSFTN() (*ExtMPLSFTN, int32) {
	s.rareUsed = true
	s.rare.extMPLSFTN = append(s.rare.extMPLSFTN, ExtMPLSFTN{})
	return &s.rare.extMPLSFTN[len(s.rare.extMPLSFTN)-1], int32(len(s.rare.extMPLSFTN) - 1)
}

// ExtVLANTunnel returns the record's ExtVLANTunnel, or nil if r is not a RecExtVLANTunnel.
func (d *Datagram) ExtVLANTunnel(r *Record) *ExtVLANTunnel {
	if r.Type != RecExtVLANTunnel || int(r.idx) >= len(d.store.rare.extVLANTunnel) {
		return nil
	}
	return &d.store.rare.extVLANTunnel[r.idx]
}

// newExtVLANTunnel appends a zeroed ExtVLANTunnel for a record being decoded and returns it with its index.
func (s *recordStore) newExtVLANTunnel() (*ExtVLANTunnel, int32) {
	s.rareUsed = true
	s.rare.extVLANTunnel = append(s.rare.extVLANTunnel, ExtVLANTunnel{})
	return &s.rare.extVLANTunnel[len(s.rare.extVLANTunnel)-1], int32(len(s.rare.extVLANTunnel) - 1)
}

// ExtWifiPayload returns the record's ExtWifiPayload, or nil if r is not a RecExtWifiPayload.
func (d *Datagram) ExtWifiPayload(r *Record) *ExtWifiPayload {
	if r.Type != RecExtWifiPayload || int(r.idx) >= len(d.store.rare.extWifiPayload) {
		return nil
	}
	return &d.store.rare.extWifiPayload[r.idx]
}

// newExtWifiPayload appends a zeroed ExtWifiPayload for a record being decoded and returns it with its index.
func (s *recordStore) newExtWifiPayload() (*ExtWifiPayload, int32) {
	s.rareUsed = true
	s.rare.extWifiPayload = append(s.rare.extWifiPayload, ExtWifiPayload{})
	return &s.rare.extWifiPayload[len(s.rare.extWifiPayload)-1], int32(len(s.rare.extWifiPayload) - 1)
}

// ExtWifiRx returns the record's ExtWifiRx, or nil if r is not a RecExtWifiRx.
func (d *Datagram) ExtWifiRx(r *Record) *ExtWifiRx {
	if r.Type != RecExtWifiRx || int(r.idx) >= len(d.store.rare.extWifiRx) {
		return nil
	}
	return &d.store.rare.extWifiRx[r.idx]
}

// newExtWifiRx appends a zeroed ExtWifiRx for a record being decoded and returns it with its index.
func (s *recordStore) newExtWifiRx() (*ExtWifiRx, int32) {
	s.rareUsed = true
	s.rare.extWifiRx = append(s.rare.extWifiRx, ExtWifiRx{})
	return &s.rare.extWifiRx[len(s.rare.extWifiRx)-1], int32(len(s.rare.extWifiRx) - 1)
}

// ExtWifiTx returns the record's ExtWifiTx, or nil if r is not a RecExtWifiTx.
func (d *Datagram) ExtWifiTx(r *Record) *ExtWifiTx {
	if r.Type != RecExtWifiTx || int(r.idx) >= len(d.store.rare.extWifiTx) {
		return nil
	}
	return &d.store.rare.extWifiTx[r.idx]
}

// newExtWifiTx appends a zeroed ExtWifiTx for a record being decoded and returns it with its index.
func (s *recordStore) newExtWifiTx() (*ExtWifiTx, int32) {
	s.rareUsed = true
	s.rare.extWifiTx = append(s.rare.extWifiTx, ExtWifiTx{})
	return &s.rare.extWifiTx[len(s.rare.extWifiTx)-1], int32(len(s.rare.extWifiTx) - 1)
}
