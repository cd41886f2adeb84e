package app

import (
	"fmt"
	"time"

	"github.com/fleettop/fleettop/feeds/graphite"
	"github.com/fleettop/fleettop/model"
)

func carbonHealth(h graphite.CarbonHealth) model.FeedHealth {
	fh := model.FeedHealth{Configured: true, OK: h.Connected}
	if h.Connected {
		fh.Summary = fmt.Sprintf("%s up, %d sent, %d dropped", h.Addr, h.Sent, h.Dropped)
	} else {
		fh.Summary = fmt.Sprintf("%s down, %d buffered, %d dropped", h.Addr, h.Buffered, h.Dropped)
	}
	if h.LastError != nil {
		fh.LastError = h.LastError.Error()
	}
	return fh
}

func webHealth(h graphite.WebHealth) model.FeedHealth {
	fh := model.FeedHealth{Configured: true, OK: h.OK || h.Requests == 0}
	switch {
	case h.Requests == 0:
		fh.Summary = "idle"
	case h.OK:
		fh.Summary = fmt.Sprintf("ok (%s)", h.LastDuration.Round(time.Millisecond))
	default:
		fh.Summary = "failing"
	}
	if h.LastError != nil {
		fh.LastError = h.LastError.Error()
	}
	return fh
}
