package model

// TableBound is what a top-N table needs besides its rows to merge with the same table of other collectors
// (topk.Summary.AddTotals): both per second of the window, like the rows.
type TableBound struct {
	Total    float64 // exact total of the window: every key, listed or not
	Unlisted float64 // upper bound on the weight of a key the table does not list
}

// TableBounds has one TableBound per top-N table of the Snapshot.
type TableBounds struct {
	TalkersBySrc, TalkersByDst, TalkersByPair, URLs, Keys TableBound
}

// bounds are the collected tables' totals and bounds per second of span.
func (c *collected) bounds(span float64) TableBounds {
	return TableBounds{
		TalkersBySrc:  TableBound{c.bySrc.total / span, c.bySrc.unlisted / span},
		TalkersByDst:  TableBound{c.byDst.total / span, c.byDst.unlisted / span},
		TalkersByPair: TableBound{c.byPair.total / span, c.byPair.unlisted / span},
		URLs:          TableBound{c.urls.total / span, c.urls.unlisted / span},
		Keys:          TableBound{c.keys.total / span, c.keys.unlisted / span},
	}
}
