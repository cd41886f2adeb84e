package sflow

// decodeSampledHeader decodes flow 0:1. decodeSample calls it directly: it is the record of every flow sample
// a switch sends.
func (dec *Decoder) decodeSampledHeader(st *recordStore, b []byte) (RecordType, int32, error) {
	if len(b) < 16 {
		return RecSampledHeader, -1, ErrTruncated
	}
	f := b[:16:16]
	n := be32(f, 12) // header<>: an opaque ending the record, so its padding is not needed
	if uint64(n) > uint64(len(b)-16) {
		return RecSampledHeader, -1, ErrTruncated
	}
	header := b[16 : 16+n : 16+n]
	v, i := st.newSampledHeader()
	v.Protocol, v.FrameLength, v.Stripped, v.Header = be32(f, 0), be32(f, 4), be32(f, 8), header
	if dec.decodeHeaders {
		dec.hdr.decode(v.Protocol, header, &v.Packet)
	}
	return RecSampledHeader, i, nil
}

// decodeFlowRecord decodes the flow record formats this package knows; others are RecUnknown.
//
// Here and in decodeCounterRecord, fields are read into locals (or straight from b) and then set one by one on
// the stored record: building a struct value, literal or local, and copying it in costs more than the reads
// (see decodeSample).
func (dec *Decoder) decodeFlowRecord(st *recordStore, dataFormat uint32, b []byte) (RecordType, int32, error) {
	if dataFormat>>12 != 0 {
		return RecUnknown, -1, nil
	}
	switch dataFormat { // FlowSampledHeader never gets here: decodeSample calls decodeSampledHeader first
	case FlowSampledEthernet, FlowExtL2TunnelEgress, FlowExtL2TunnelIngress:
		if len(b) < 24 {
			return RecSampledEthernet, -1, ErrTruncated
		}
		v, i := st.newSampledEthernet()
		v.Length = be32(b, 0)
		v.SrcMAC = macAt(b, 4)
		v.DstMAC = macAt(b, 12)
		v.Type = be32(b, 20)
		return RecSampledEthernet, i, nil

	case FlowSampledIPv4, FlowExtIPv4TunnelEgr, FlowExtIPv4TunnelIngr:
		if len(b) < 32 {
			return RecSampledIPv4, -1, ErrTruncated
		}
		v, i := st.newSampledIPv4()
		v.Length = be32(b, 0)
		v.Protocol = be32(b, 4)
		v.SrcIP = ipv4At(b, 8)
		v.DstIP = ipv4At(b, 12)
		v.SrcPort = be32(b, 16)
		v.DstPort = be32(b, 20)
		v.TCPFlags = be32(b, 24)
		v.Priority = be32(b, 28)
		return RecSampledIPv4, i, nil

	case FlowSampledIPv6, FlowExtIPv6TunnelEgr, FlowExtIPv6TunnelIngr:
		if len(b) < 56 {
			return RecSampledIPv6, -1, ErrTruncated
		}
		v, i := st.newSampledIPv6()
		v.Length = be32(b, 0)
		v.Protocol = be32(b, 4)
		v.SrcIP = ipv6At(b, 8)
		v.DstIP = ipv6At(b, 24)
		v.SrcPort = be32(b, 40)
		v.DstPort = be32(b, 44)
		v.TCPFlags = be32(b, 48)
		v.Priority = be32(b, 52)
		return RecSampledIPv6, i, nil

	case FlowExtSwitch:
		if len(b) < 16 {
			return RecExtSwitch, -1, ErrTruncated
		}
		v, i := st.newExtSwitch()
		v.SrcVLAN = be32(b, 0)
		v.SrcPriority = be32(b, 4)
		v.DstVLAN = be32(b, 8)
		v.DstPriority = be32(b, 12)
		return RecExtSwitch, i, nil

	case FlowExtRouter:
		c := xdrCursor{rest: b}
		nextHop := c.address()
		src, dst := c.u32(), c.u32()
		if c.err != nil {
			return RecExtRouter, -1, c.err
		}
		v, i := st.newExtRouter()
		v.NextHop, v.SrcMaskLen, v.DstMaskLen = nextHop, src, dst
		return RecExtRouter, i, nil

	case FlowExtGateway:
		return decodeExtGateway(st, b)

	case FlowExtUser:
		c := xdrCursor{rest: b}
		srcCharset := c.u32()
		srcUser := c.opaque()
		dstCharset := c.u32()
		dstUser := c.opaque()
		if c.err != nil {
			return RecExtUser, -1, c.err
		}
		v, i := st.newExtUser()
		v.SrcCharset, v.SrcUser, v.DstCharset, v.DstUser = srcCharset, srcUser, dstCharset, dstUser
		return RecExtUser, i, nil

	case FlowExtURL:
		c := xdrCursor{rest: b}
		direction := c.u32()
		url := c.opaque()
		host := c.opaque()
		if c.err != nil {
			return RecExtURL, -1, c.err
		}
		v, i := st.newExtURL()
		v.Direction, v.URL, v.Host = direction, url, host
		return RecExtURL, i, nil

	case FlowExtDecapEgress, FlowExtDecapIngress, FlowExtVNIEgress, FlowExtVNIIngress,
		FlowEgressQueue, FlowTransitDelay, FlowQueueDepth:
		if len(b) < 4 {
			return RecU32, -1, ErrTruncated
		}
		v, i := st.newU32()
		v.Value = be32(b, 0)
		return RecU32, i, nil

	case FlowExtACL:
		c := xdrCursor{rest: b}
		number := c.u32()
		name := c.opaque()
		direction := c.u32()
		if c.err != nil {
			return RecExtACL, -1, c.err
		}
		v, i := st.newExtACL()
		v.Number, v.Name, v.Direction = number, name, direction
		return RecExtACL, i, nil

	case FlowExtFunction, FlowLinuxDropReason:
		c := xdrCursor{rest: b}
		s := c.opaque()
		if c.err != nil {
			return RecString, -1, c.err
		}
		v, i := st.newString()
		v.Value = s
		return RecString, i, nil

	case FlowHWTrap:
		c := xdrCursor{rest: b}
		group := c.opaque()
		trap := c.opaque()
		if c.err != nil {
			return RecHWTrap, -1, c.err
		}
		v, i := st.newHWTrap()
		v.Group, v.Trap = group, trap
		return RecHWTrap, i, nil

	case FlowTimestamp:
		if len(b) < 8 {
			return RecTimestamp, -1, ErrTruncated
		}
		v, i := st.newTimestamp()
		v.Nanos = be64(b, 0)
		return RecTimestamp, i, nil

	case FlowExtSocketIPv4, FlowExtProxySocketIPv4:
		if len(b) < 20 {
			return RecSocket, -1, ErrTruncated
		}
		v, i := st.newSocket()
		v.Proxy = dataFormat == FlowExtProxySocketIPv4
		v.Protocol = be32(b, 0)
		v.LocalIP = ipv4At(b, 4)
		v.RemoteIP = ipv4At(b, 8)
		v.LocalPort = be32(b, 12)
		v.RemotePort = be32(b, 16)
		return RecSocket, i, nil

	case FlowExtSocketIPv6, FlowExtProxySocketIPv6:
		if len(b) < 44 {
			return RecSocket, -1, ErrTruncated
		}
		v, i := st.newSocket()
		v.Proxy = dataFormat == FlowExtProxySocketIPv6
		v.Protocol = be32(b, 0)
		v.LocalIP = ipv6At(b, 4)
		v.RemoteIP = ipv6At(b, 20)
		v.LocalPort = be32(b, 36)
		v.RemotePort = be32(b, 40)
		return RecSocket, i, nil

	case FlowMemcacheOperation:
		c := xdrCursor{rest: b}
		protocol := c.u32()
		cmd := c.u32()
		key := c.opaque()
		nkeys := c.u32()
		valueBytes := c.u32()
		duration := c.u32()
		status := c.u32()
		if c.err != nil {
			return RecMemcacheOp, -1, c.err
		}
		v, i := st.newMemcacheOp()
		v.Protocol, v.Cmd, v.Key, v.NKeys, v.ValueBytes = protocol, cmd, key, nkeys, valueBytes
		v.DurationUS, v.Status = duration, status
		return RecMemcacheOp, i, nil

	case FlowHTTPRequest, FlowHTTPRequestLegacy:
		legacy := dataFormat == FlowHTTPRequestLegacy
		c := xdrCursor{rest: b}
		method := c.u32()
		protocol := c.u32()
		uri := c.opaque()
		host := c.opaque()
		referer := c.opaque()
		userAgent := c.opaque()
		var xff []byte
		if !legacy {
			xff = c.opaque()
		}
		authUser := c.opaque()
		mimeType := c.opaque()
		var reqBytes uint64
		if !legacy {
			reqBytes = c.u64()
		}
		respBytes := c.u64()
		duration := c.u32()
		status := c.i32()
		if c.err != nil {
			return RecHTTPRequest, -1, c.err
		}
		v, i := st.newHTTPRequest()
		v.Legacy, v.Method, v.Protocol, v.URI, v.Host = legacy, method, protocol, uri, host
		v.Referer, v.UserAgent, v.XFF, v.AuthUser, v.MimeType = referer, userAgent, xff, authUser, mimeType
		v.ReqBytes, v.RespBytes, v.DurationUS, v.Status = reqBytes, respBytes, duration, status
		return RecHTTPRequest, i, nil

	case FlowExtProxyRequest:
		c := xdrCursor{rest: b}
		uri := c.opaque()
		host := c.opaque()
		if c.err != nil {
			return RecProxyRequest, -1, c.err
		}
		v, i := st.newProxyRequest()
		v.URI, v.Host = uri, host
		return RecProxyRequest, i, nil

	case FlowAppOperation:
		c := xdrCursor{rest: b}
		application, operation, attributes := c.opaque(), c.opaque(), c.opaque()
		statusDescr := c.opaque()
		reqBytes, respBytes := c.u64(), c.u64()
		duration, status := c.u32(), c.u32()
		if c.err != nil {
			return RecAppOperation, -1, c.err
		}
		v, i := st.newAppOperation()
		v.Context.Application, v.Context.Operation, v.Context.Attributes = application, operation, attributes
		v.StatusDescr, v.ReqBytes, v.RespBytes = statusDescr, reqBytes, respBytes
		v.DurationUS, v.Status = duration, status
		return RecAppOperation, i, nil

	case FlowAppParentContext:
		c := xdrCursor{rest: b}
		application, operation, attributes := c.opaque(), c.opaque(), c.opaque()
		if c.err != nil {
			return RecAppContext, -1, c.err
		}
		v, i := st.newAppContext()
		v.Application, v.Operation, v.Attributes = application, operation, attributes
		return RecAppContext, i, nil

	case FlowAppInitiator, FlowAppTarget:
		c := xdrCursor{rest: b}
		actor := c.opaque()
		if c.err != nil {
			return RecAppActor, -1, c.err
		}
		v, i := st.newAppActor()
		v.Target, v.Actor = dataFormat == FlowAppTarget, actor
		return RecAppActor, i, nil

	case FlowTCPInfo:
		if len(b) < 48 {
			return RecTCPInfo, -1, ErrTruncated
		}
		v, i := st.newTCPInfo()
		v.Dirn, v.SndMSS, v.RcvMSS, v.Unacked, v.Lost = be32(b, 0), be32(b, 4), be32(b, 8), be32(b, 12), be32(b, 16)
		v.Retrans, v.PMTU, v.RTT, v.RTTVar = be32(b, 20), be32(b, 24), be32(b, 28), be32(b, 32)
		v.SndCwnd, v.Reordering, v.MinRTT = be32(b, 36), be32(b, 40), be32(b, 44)
		return RecTCPInfo, i, nil

	case FlowEntities:
		if len(b) < 16 {
			return RecEntities, -1, ErrTruncated
		}
		v, i := st.newEntities()
		v.SrcClass, v.SrcIndex, v.DstClass, v.DstIndex = be32(b, 0), be32(b, 4), be32(b, 8), be32(b, 12)
		return RecEntities, i, nil
	}
	return dec.decodeFlowRecordRare(st, dataFormat, b)
}

// decodeFlowRecordRare decodes the flow records of MPLS, NAT, VLAN tunnels and 802.11, which few agents send.
func (dec *Decoder) decodeFlowRecordRare(st *recordStore, dataFormat uint32, b []byte) (RecordType, int32, error) {
	c := xdrCursor{rest: b}
	switch dataFormat {
	case FlowExtMPLS:
		nextHop := c.address()
		in := c.words()
		out := c.words()
		if c.err != nil {
			return RecExtMPLS, -1, c.err
		}
		v, i := st.newExtMPLS()
		v.NextHop, v.InStack, v.OutStack = nextHop, in, out
		return RecExtMPLS, i, nil

	case FlowExtNAT:
		src := c.address()
		dst := c.address()
		if c.err != nil {
			return RecExtNAT, -1, c.err
		}
		v, i := st.newExtNAT()
		v.Src, v.Dst = src, dst
		return RecExtNAT, i, nil

	case FlowExtMPLSTunnel, FlowExtMPLSVC:
		name := c.opaque()
		id, cos := c.u32(), c.u32()
		if c.err != nil {
			return RecExtMPLSTunnel, -1, c.err
		}
		v, i := st.newExtMPLSTunnel()
		v.Name, v.ID, v.COS = name, id, cos
		return RecExtMPLSTunnel, i, nil

	case FlowExtMPLSFTN:
		descr := c.opaque()
		mask := c.u32()
		if c.err != nil {
			return RecExtMPLSFTN, -1, c.err
		}
		v, i := st.newExtMPLSFTN()
		v.Descr, v.Mask = descr, mask
		return RecExtMPLSFTN, i, nil

	case FlowExtVLANTunnel:
		stack := c.words()
		if c.err != nil {
			return RecExtVLANTunnel, -1, c.err
		}
		v, i := st.newExtVLANTunnel()
		v.Stack = stack
		return RecExtVLANTunnel, i, nil

	case FlowExtWifiPayload:
		suite, protocol, frameLength, stripped := c.u32(), c.u32(), c.u32(), c.u32()
		header := c.opaque()
		if c.err != nil {
			return RecExtWifiPayload, -1, c.err
		}
		v, i := st.newExtWifiPayload()
		v.CipherSuite = suite
		h := &v.Header
		h.Protocol, h.FrameLength, h.Stripped, h.Header = protocol, frameLength, stripped, header
		if dec.decodeHeaders {
			dec.hdr.decode(h.Protocol, header, &h.Packet)
		}
		return RecExtWifiPayload, i, nil

	case FlowExtWifiRx:
		ssid := c.opaque()
		bssid := c.mac()
		version, channel := c.u32(), c.u32()
		speed := c.u64()
		rsni, rcpi, duration := c.u32(), c.u32(), c.u32()
		if c.err != nil {
			return RecExtWifiRx, -1, c.err
		}
		v, i := st.newExtWifiRx()
		v.SSID, v.BSSID, v.Version, v.Channel, v.Speed = ssid, bssid, version, channel, speed
		v.RSNI, v.RCPI, v.PacketDurationUS = rsni, rcpi, duration
		return RecExtWifiRx, i, nil

	case FlowExtWifiTx:
		ssid := c.opaque()
		bssid := c.mac()
		version, transmissions, duration, retrans, channel := c.u32(), c.u32(), c.u32(), c.u32(), c.u32()
		speed := c.u64()
		power := c.u32()
		if c.err != nil {
			return RecExtWifiTx, -1, c.err
		}
		v, i := st.newExtWifiTx()
		v.SSID, v.BSSID, v.Version, v.Transmissions = ssid, bssid, version, transmissions
		v.PacketDurationUS, v.RetransDurationUS, v.Channel, v.Speed, v.PowerMW = duration, retrans, channel, speed, power
		return RecExtWifiTx, i, nil
	}
	return RecUnknown, -1, nil
}

// decodeExtGateway validates the AS path and community lists in place and keeps them as sub-slices.
func decodeExtGateway(st *recordStore, b []byte) (RecordType, int32, error) {
	c := xdrCursor{rest: b}
	nextHop := c.address()
	as, srcAS, srcPeerAS := c.u32(), c.u32(), c.u32()
	numSegments := c.count(8) // a segment is at least its type and its (zero) count
	path := c.rest
	for range numSegments {
		c.u32() // segment type
		n := c.count(4)
		c.skip(4 * int(n))
		if c.err != nil {
			break
		}
	}
	path = c.consumed(path)
	numCommunity := c.count(4)
	communities := c.fixed(4 * int(numCommunity))
	localPref := c.u32()
	if c.err != nil {
		return RecExtGateway, -1, c.err
	}
	v, i := st.newExtGateway()
	v.NextHop, v.AS, v.SrcAS, v.SrcPeerAS = nextHop, as, srcAS, srcPeerAS
	v.NumSegments, v.ASPathRaw = numSegments, path
	v.NumCommunity, v.Communities, v.LocalPref = numCommunity, communities, localPref
	return RecExtGateway, i, nil
}
