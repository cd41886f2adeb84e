package sim

import (
	"fmt"
	"math/rand/v2"
	"net/netip"

	"github.com/fleettop/fleettop/feeds/sflow"
)

// The appTypes of the simulated website, as its ENC names them.
const (
	AppWeb         = "web"
	AppImageServer = "imageserver"
	AppMemcached   = "memcached"
	AppSearch      = "search"
	AppSecurity    = "security"
	AppDB          = "db"
)

// Indices into profiles, in the order of AppTypes.
const (
	iWeb = iota
	iImage
	iMemcached
	iSearch
	iSecurity
	iDB
	numApps
)

// AppTypes returns the appTypes of the fleet, in a fixed order.
func AppTypes() []string {
	out := make([]string, numApps)
	for i := range profiles {
		out[i] = profiles[i].appType
	}
	return out
}

// appKind is the application agent a host runs beside hsflowd.
type appKind uint8

const (
	appNone     appKind = iota
	appHTTP             // Apache with mod-sflow
	appMemcache         // memcached with its sFlow patch
	appJVM              // a JVM with jmx-sflow-agent
)

// Peers of a flow that are not hosts of the fleet.
const (
	peerClients  = -1 // the Internet: web browsers, CDN edges
	peerResolver = -2 // the data centre's DNS resolvers
)

// IP protocol numbers.
const (
	protoTCP = 6
	protoUDP = 17
)

// flowKind is one kind of traffic a host sends, weighted among its others.
type flowKind struct {
	peer   int // appType index, peerClients or peerResolver
	weight int
	proto  uint8
	port   uint16 // the service port
	server bool   // this host is the server: it sends from port (responses), else to port (requests)
	size   int    // mean IP packet length
}

// appProfile is what the hosts of one appType look like and do. Rates are per host at the daily peak.
type appProfile struct {
	appType     string
	prefix      string // host name prefix: web01, cache03, ...
	cluster     string // ganglia_cluster_name
	gangliaPort int
	share       int // hosts of this type in a 60-host fleet
	classes     []string
	vlan        uint16
	app         appKind
	appPort     uint32  // mod-sflow's data source 3:<listen port>
	vhost       string  // HTTP Host header
	rate        float64 // application operations per second: HTTP requests or memcache operations
	sampling    uint32  // the application agent's 1-in-N
	sendMbps    float64
	recvMbps    float64
	cpuBusy     float64 // CPU utilisation
	diskWrites  float64 // disk writes per second
	flows       []flowKind
}

// profiles is the fleet's recipe, indexed by the i* constants.
var profiles = [numApps]appProfile{
	iWeb: {appType: AppWeb, prefix: "web", cluster: "Web", gangliaPort: 8670, share: 20, vlan: 10,
		classes: []string{"base", "role::web", "apache", "mod_sflow", "hsflowd", "ganglia::gmond"},
		app:     appHTTP, appPort: 80, vhost: "www.example.com", rate: 400, sampling: 100,
		sendMbps: 150, recvMbps: 40, cpuBusy: 0.55, diskWrites: 40,
		flows: []flowKind{
			{peerClients, 55, protoTCP, 443, true, 1200}, {peerClients, 10, protoTCP, 80, true, 900},
			{iMemcached, 15, protoTCP, 11211, false, 150}, {iDB, 6, protoTCP, 3306, false, 300},
			{iSearch, 8, protoTCP, 9200, false, 400}, {iSecurity, 4, protoTCP, 8443, false, 300},
			{peerResolver, 2, protoUDP, 53, false, 80},
		}},
	iImage: {appType: AppImageServer, prefix: "img", cluster: "Images", gangliaPort: 8671, share: 10, vlan: 11,
		classes: []string{"base", "role::imageserver", "apache", "mod_sflow", "hsflowd", "ganglia::gmond"},
		app:     appHTTP, appPort: 8080, vhost: "img.example.com", rate: 800, sampling: 200,
		sendMbps: 400, recvMbps: 30, cpuBusy: 0.35, diskWrites: 15,
		flows: []flowKind{
			{peerClients, 85, protoTCP, 443, true, 1400}, {iMemcached, 8, protoTCP, 11211, false, 150},
			{iDB, 5, protoTCP, 3306, false, 250}, {peerResolver, 2, protoUDP, 53, false, 80},
		}},
	iMemcached: {appType: AppMemcached, prefix: "cache", cluster: "Cache", gangliaPort: 8672, share: 10, vlan: 12,
		classes: []string{"base", "role::memcache", "memcached", "hsflowd", "ganglia::gmond"},
		app:     appMemcache, rate: 15000, sampling: 2000,
		sendMbps: 200, recvMbps: 60, cpuBusy: 0.25, diskWrites: 5,
		flows: []flowKind{
			{iWeb, 70, protoTCP, 11211, true, 700}, {iImage, 30, protoTCP, 11211, true, 500},
		}},
	iSearch: {appType: AppSearch, prefix: "search", cluster: "Search", gangliaPort: 8673, share: 8, vlan: 13,
		classes: []string{"base", "role::search", "java", "jmx_sflow_agent", "hsflowd", "ganglia::gmond"},
		app:     appJVM, sendMbps: 80, recvMbps: 50, cpuBusy: 0.45, diskWrites: 120,
		flows: []flowKind{
			{iWeb, 60, protoTCP, 9200, true, 1000}, {iSearch, 25, protoTCP, 9300, true, 1200},
			{iDB, 15, protoTCP, 3306, false, 200},
		}},
	iSecurity: {appType: AppSecurity, prefix: "sec", cluster: "Security", gangliaPort: 8674, share: 4, vlan: 14,
		classes:  []string{"base", "role::security", "auditd", "hsflowd", "ganglia::gmond"},
		sendMbps: 40, recvMbps: 30, cpuBusy: 0.3, diskWrites: 60,
		flows: []flowKind{
			{iWeb, 60, protoTCP, 8443, true, 400}, {iDB, 25, protoTCP, 3306, false, 200},
			{peerResolver, 15, protoUDP, 53, false, 90},
		}},
	iDB: {appType: AppDB, prefix: "db", cluster: "DB", gangliaPort: 8675, share: 8, vlan: 15,
		classes:  []string{"base", "role::db", "mysql::server", "hsflowd", "ganglia::gmond"},
		sendMbps: 120, recvMbps: 60, cpuBusy: 0.4, diskWrites: 400,
		flows: []flowKind{
			{iWeb, 45, protoTCP, 3306, true, 900}, {iSearch, 15, protoTCP, 3306, true, 1200},
			{iImage, 10, protoTCP, 3306, true, 600}, {iDB, 20, protoTCP, 3306, true, 1400},
			{iSecurity, 10, protoTCP, 3306, true, 300},
		}},
}

// Host is one server of the simulated fleet.
type Host struct {
	Name        string     // FQDN, host_descr hostname and ENC certname: web01.example.com
	AppType     string     // one of AppTypes
	Environment string     // production, or staging for a few
	Addr        netip.Addr // its sFlow agent address, 10.x.y.z: it appears inside datagrams only
	Addr6       netip.Addr // its front-end IPv6 address (web and imageserver), else the zero Addr
	Switch      string     // the switch its port is on
	Port        uint32     // that port's ifIndex
}

// Switch is one top-of-rack switch of the simulated fleet.
type Switch struct {
	Name         string
	Addr         netip.Addr // its sFlow agent address (inside datagrams only)
	SamplingRate uint32     // 1-in-N on its server ports
	UplinkRate   uint32     // 1-in-N on its uplinks
}

// host is a Host with what the simulation keeps about it.
type host struct {
	Host
	idx      int // in Fleet.hosts
	n        int // in Fleet.byApp[app]
	app      int // profile index
	prof     *appProfile
	weight   float64 // share of its type's load (staging hosts take little)
	cores    int
	memGB    int
	cpuMHz   int
	vendor   string
	gen      int
	specID   int
	cab      string
	cage     int
	console  int
	uuid     [16]byte
	jvmUUID  [16]byte
	mac      [6]byte
	adapters sflow.HostAdapters
	release  []byte // os_release
	vhost    []byte // HTTP Host header
	name     []byte
	pktSize  float64 // mean packet length of what it sends
	sw       *switchDev
	port     *switchPort
	noise    uint64 // key of its load noise
	ctr      hostCounters
	ascii    bool    // memcached speaks the ASCII protocol (else binary)
	legacy   bool    // memcached sends the pre-2204 counters layout (0:2200)
	hitBase  float64 // memcached's usual get hit ratio
}

// switchDev is a Switch with its ports.
type switchDev struct {
	Switch
	idx       int
	ports     []*switchPort // server ports, then the two uplinks
	uplinks   [2]*switchPort
	frontEnds []*host // its hosts that serve Internet clients
}

// switchPort is one port of a switch and its counters.
type switchPort struct {
	ifIndex  uint32
	host     *host // nil for an uplink
	vlan     uint16
	speed    uint64
	flowSeq  uint32
	ctrSeq   uint32
	pool     samplePool
	drops    uint32 // flow samples dropped for lack of resources (Impairments.DropSample)
	inOct    cum
	outOct   cum
	inPkts   cum
	outPkts  cum
	inMcast  cum
	outMcast cum
	inBcast  cum
	discards cum
	fcs      cum
	lastMs   int64
	started  bool
}

// Address plan: servers in 10.(10+appType).n/250.(n%250+1), switches in 10.0.254.x, resolvers 10.0.0.53/54.
const (
	uplinkIfIndex     = 49 // the first of two uplinks: ports 1-48 are server ports
	externalVLAN      = 100
	infraVLAN         = 1
	maxPortsPerSwitch = 16
	domain            = "example.com"
)

var (
	resolvers = [2]netip.Addr{netip.AddrFrom4([4]byte{10, 0, 0, 53}), netip.AddrFrom4([4]byte{10, 0, 0, 54})}
	vendors   = []string{"Dell", "HP", "Supermicro", "Dell", "Dell"}
	releases  = []string{"5.15.0-105-generic", "6.1.0-21-amd64", "4.18.0-513.24.1.el8_9.x86_64"}
)

// hostCounts splits n servers among the appTypes by their shares (largest remainder), at least one each.
func hostCounts(n int) [numApps]int {
	var counts [numApps]int
	total := 0
	for i := range profiles {
		total += profiles[i].share
	}
	left := n
	var rem [numApps]int
	for i := range profiles {
		c := n * profiles[i].share / total
		counts[i] = c
		rem[i] = n * profiles[i].share % total
		left -= c
	}
	for ; left > 0; left-- {
		best := 0
		for i := range rem {
			if rem[i] > rem[best] {
				best = i
			}
		}
		counts[best]++
		rem[best] = -1
	}
	// Every appType needs a host; take them from the largest.
	for i := range counts {
		for counts[i] == 0 {
			big := 0
			for j := range counts {
				if counts[j] > counts[big] {
					big = j
				}
			}
			counts[big]--
			counts[i]++
		}
	}
	return counts
}

// buildLayout creates the hosts and switches of f from its options.
func (f *Fleet) buildLayout() {
	r := rand.New(rand.NewPCG(uint64(f.opt.Seed), 0x1a70_07))
	counts := hostCounts(f.opt.Hosts)
	for app := range profiles {
		p := &profiles[app]
		for n := 0; n < counts[app]; n++ {
			h := &host{app: app, prof: p, idx: len(f.hosts), n: n}
			h.Name = fmt.Sprintf("%s%02d.%s", p.prefix, n+1, domain)
			h.name = []byte(h.Name)
			h.vhost = []byte(p.vhost)
			h.AppType = p.appType
			h.Environment = "production"
			h.weight = 0.8 + 0.4*r.Float64()
			if counts[app] >= 3 && n == counts[app]-1 {
				h.Environment = "staging"
				h.weight = 0.15
			}
			h.Addr = netip.AddrFrom4([4]byte{10, byte(10 + app), byte(n / 250), byte(n%250 + 1)})
			if p.app == appHTTP {
				h.Addr6 = netip.AddrFrom16([16]byte{0x20, 0x01, 0x0d, 0xb8, 0, 0x10, 0, byte(app),
					14: byte((n + 1) >> 8), 15: byte(n + 1)})
			}
			h.cores = []int{8, 16, 16, 32, 48}[r.IntN(5)]
			h.memGB = []int{32, 64, 64, 128, 256}[r.IntN(5)]
			if app == iMemcached && h.memGB < 64 {
				h.memGB = 64
			}
			h.cpuMHz = []int{2100, 2400, 2530, 2600, 3100}[r.IntN(5)]
			h.vendor = vendors[r.IntN(len(vendors))]
			h.gen = 6 + r.IntN(5)
			h.specID = 1 + r.IntN(12)
			h.cage = 30 + r.IntN(8)
			h.console = 1 + r.IntN(48)
			h.release = []byte(releases[r.IntN(len(releases))])
			fillRandom(r, h.uuid[:])
			fillRandom(r, h.jvmUUID[:])
			h.mac = [6]byte{0x02, 0x1b, 0x21, byte(app), byte(n >> 8), byte(n)}
			h.adapters.AddAdapter(2, h.mac)
			h.noise = r.Uint64()
			h.ascii = r.IntN(2) == 0
			h.legacy = app == iMemcached && n%3 == 2
			h.hitBase = 0.92 + 0.05*r.Float64()
			h.pktSize = meanPacket(p)
			f.hosts = append(f.hosts, h)
			f.byApp[app] = append(f.byApp[app], h)
		}
	}

	// Racks mix appTypes, as they do when capacity is added over the years.
	nsw := (len(f.hosts) + maxPortsPerSwitch - 1) / maxPortsPerSwitch
	for i := 0; i < nsw; i++ {
		sw := &switchDev{idx: i}
		sw.Name = fmt.Sprintf("tor%d.%s", i+1, domain)
		sw.Addr = netip.AddrFrom4([4]byte{10, 0, byte(254 - i/250), byte(i%250 + 1)})
		sw.SamplingRate = []uint32{2048, 4096}[i%2]
		sw.UplinkRate = 8192
		f.switches = append(f.switches, sw)
	}
	for i, h := range f.hosts {
		sw := f.switches[i%nsw]
		p := &switchPort{ifIndex: uint32(len(sw.ports) + 1), host: h, vlan: h.prof.vlan, speed: 10_000_000_000}
		sw.ports = append(sw.ports, p)
		h.sw, h.port = sw, p
		h.Switch, h.Port = sw.Name, p.ifIndex
		h.cab = fmt.Sprintf("%d%c", 10+sw.idx, 'a'+rune(int(p.ifIndex-1)%4))
		if h.Addr6.IsValid() {
			sw.frontEnds = append(sw.frontEnds, h)
		}
	}
	for _, sw := range f.switches {
		for u := range sw.uplinks {
			p := &switchPort{ifIndex: uint32(uplinkIfIndex + u), vlan: externalVLAN, speed: 40_000_000_000}
			sw.uplinks[u] = p
			sw.ports = append(sw.ports, p)
		}
	}
}

// meanPacket is the mean length of the packets a host of p sends.
func meanPacket(p *appProfile) float64 {
	var sum, w float64
	for _, k := range p.flows {
		sum += float64(k.weight * k.size)
		w += float64(k.weight)
	}
	return sum / w
}

func fillRandom(r *rand.Rand, b []byte) {
	for i := range b {
		b[i] = byte(r.Uint32())
	}
}

// Hosts returns the fleet's servers, grouped by appType in the order of AppTypes.
func (f *Fleet) Hosts() []Host {
	out := make([]Host, len(f.hosts))
	for i, h := range f.hosts {
		out[i] = h.Host
	}
	return out
}

// Switches returns the fleet's switches.
func (f *Fleet) Switches() []Switch {
	out := make([]Switch, len(f.switches))
	for i, s := range f.switches {
		out[i] = s.Switch
	}
	return out
}
