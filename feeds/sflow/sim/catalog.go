package sim

import (
	"net/netip"
	"strconv"
)

// The website's content: URIs, memcache keys and clients, ranked by popularity and drawn with Zipf variates.
// Each is computed from its rank on demand into a scratch buffer, so a fleet of any size holds no catalogue.

const (
	uriCatalogue = 4000   // URIs per appType
	keysPerHost  = 2000   // memcache keys per cache host (keys are spread over the hosts by hash)
	clientPool   = 50_000 // distinct Internet clients
)

// textScratch holds the variable-length fields of the sample being built; they stay valid until its commit.
type textScratch struct {
	uri, referer, xff, key []byte
}

// content is what a URI serves.
type content uint8

const (
	contentPage content = iota
	contentAPI
	contentJS
	contentCSS
	contentIcon
	contentJPEG
	contentWebP
	contentPNG
)

var mimeTypes = [...][]byte{
	contentPage: []byte("text/html; charset=utf-8"),
	contentAPI:  []byte("application/json"),
	contentJS:   []byte("application/javascript"),
	contentCSS:  []byte("text/css"),
	contentIcon: []byte("image/x-icon"),
	contentJPEG: []byte("image/jpeg"),
	contentWebP: []byte("image/webp"),
	contentPNG:  []byte("image/png"),
}

var searchWords = []string{"shoes", "laptop", "coffee", "lego", "headphones", "desk", "lamp", "jacket", "tv",
	"cable", "garden", "hose", "kettle", "backpack", "monitor", "chair", "tent", "bike", "watch", "camera"}

var imageSizes = []string{"thumb", "320", "640", "1280", "orig"}

// appendURI appends the URI of popularity rank to b for appType app, and says what it serves and how big it is.
func (f *Fleet) appendURI(b []byte, app int, rank uint64) ([]byte, content, uint64) {
	h := mix(uint64(f.opt.Seed), uint64(app), rank, 0x0a1)
	id := 1000 + h%900_000
	if app == iImage {
		if rank%7 == 6 {
			b = append(b, "/avatars/"...)
			b = appendUint(b, id)
			return append(b, ".png"...), contentPNG, 8_000 + h%10_000
		}
		b = append(b, "/i/"...)
		b = appendUint(b, id)
		b = append(b, '/')
		variant := rank % 6
		if variant == 5 {
			b = append(b, "640.webp"...)
			return b, contentWebP, 40_000 + h%30_000
		}
		b = append(b, imageSizes[variant]...)
		b = append(b, ".jpg"...)
		sizes := [...]uint64{8_000, 25_000, 70_000, 220_000, 900_000}
		return b, contentJPEG, sizes[variant] + h%(sizes[variant]/2)
	}
	switch rank {
	case 0:
		return append(b, '/'), contentPage, 45_000 + h%20_000
	case 1:
		b = append(b, "/static/js/app."...)
		b = strconv.AppendUint(b, h&0xffffff, 16)
		return append(b, ".js"...), contentJS, 310_000
	case 2:
		b = append(b, "/static/css/site."...)
		b = strconv.AppendUint(b, h&0xffffff, 16)
		return append(b, ".css"...), contentCSS, 64_000
	case 3:
		return append(b, "/favicon.ico"...), contentIcon, 1_150
	case 4:
		return append(b, "/api/v2/cart"...), contentAPI, 1_000 + h%3_000
	case 5:
		return append(b, "/login"...), contentPage, 12_000
	}
	switch rank % 6 {
	case 0:
		b = append(b, "/item/"...)
		return appendUint(b, id), contentPage, 20_000 + h%70_000
	case 1:
		b = append(b, "/item/"...)
		b = appendUint(b, id)
		return append(b, "/reviews"...), contentPage, 20_000 + h%60_000
	case 2:
		b = append(b, "/api/v2/items/"...)
		return appendUint(b, id), contentAPI, 1_000 + h%11_000
	case 3:
		b = append(b, "/search?q="...)
		b = append(b, searchWords[h%uint64(len(searchWords))]...)
		b = append(b, '+')
		return append(b, searchWords[(h>>20)%uint64(len(searchWords))]...), contentPage, 30_000 + h%40_000
	case 4:
		b = append(b, "/user/"...)
		return appendUint(b, id), contentPage, 15_000 + h%20_000
	default:
		b = append(b, "/api/v2/recommendations?user="...)
		return appendUint(b, id), contentAPI, 2_000 + h%8_000
	}
}

// appendKey appends the memcache key of popularity rank on cache host pos (of n) to b, and returns the size of
// its value.
func (f *Fleet) appendKey(b []byte, pos, n int, rank uint64) ([]byte, uint32) {
	k := rank*uint64(n) + uint64(pos) // keys are spread over the cache hosts like a client's hash ring
	h := mix(uint64(f.opt.Seed), k, 0x4e7)
	id := 100_000 + h%900_000
	switch k % 8 {
	case 0:
		b = append(b, "user:"...)
		b = appendUint(b, id)
		return append(b, ":profile"...), uint32(1_000 + h%2_000)
	case 1:
		b = append(b, "session:"...)
		return strconv.AppendUint(b, h>>32, 16), uint32(300 + h%300)
	case 2:
		b = append(b, "item:"...)
		b = appendUint(b, id)
		return append(b, ":price"...), uint32(16 + h%24)
	case 3:
		b = append(b, "item:"...)
		b = appendUint(b, id)
		return append(b, ":html"...), uint32(20_000 + h%40_000)
	case 4:
		b = append(b, "page:/item/"...)
		return appendUint(b, id), uint32(30_000 + h%60_000)
	case 5:
		b = append(b, "img:"...)
		b = appendUint(b, id)
		return append(b, ":meta"...), uint32(200 + h%300)
	case 6:
		b = append(b, "search:q:"...)
		b = append(b, searchWords[h%uint64(len(searchWords))]...)
		b = append(b, '+')
		return append(b, searchWords[(h>>20)%uint64(len(searchWords))]...), uint32(2_000 + h%6_000)
	default:
		b = append(b, "rate:"...)
		b = appendUint(b, id)
		return append(b, ":api"...), 8
	}
}

// client returns the Internet address of client rank: IPv4 from 198.18.0.0/15 (the benchmarking range), one in
// five IPv6 from 2001:db8:ffff::/48 when six is allowed.
func (f *Fleet) client(rank uint64, six bool) netip.Addr {
	h := mix(uint64(f.opt.Seed), rank, 0xc11e)
	if six && h%5 == 0 {
		return netip.AddrFrom16([16]byte{0x20, 0x01, 0x0d, 0xb8, 0xff, 0xff, 6: byte(h >> 8), 7: byte(h >> 16),
			8: byte(h >> 24), 9: byte(h >> 32), 14: byte(h >> 40), 15: byte(h>>48) | 1})
	}
	return netip.AddrFrom4([4]byte{198, 18 + byte(h>>8)&1, byte(h >> 16), byte(h>>24)%254 + 1})
}

var userAgents = [][]byte{
	[]byte("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36"),
	[]byte("Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15"),
	[]byte("Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148"),
	[]byte("Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0"),
	[]byte("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Mobile Safari/537.36"),
	[]byte("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"),
	[]byte("curl/8.5.0"),
	[]byte("okhttp/4.12.0"),
}

func appendUint(b []byte, v uint64) []byte { return strconv.AppendUint(b, v, 10) }
