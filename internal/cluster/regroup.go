package cluster

import (
	"strings"

	"github.com/fleettop/fleettop/feeds/enc"
	"github.com/fleettop/fleettop/model"
)

// regroup sets each host's group from its ENC data as shown in its row (environment, classes, class, or a
// top-level parameter): what a dashboard chooses to group by when the collectors group by another field.
// Class parameters and nested parameters are not in a row; their hosts go to model.Unclassified.
func regroup(hosts []*model.HostRow, field string) {
	for _, h := range hosts {
		v := ""
		switch field {
		case enc.FieldEnvironment:
			v = h.Environment
		case enc.FieldClasses:
			v = strings.Join(h.Classes, ",")
		case enc.FieldClass:
			if len(h.Classes) > 0 {
				v = h.Classes[0]
			}
		default:
			v = h.Params[strings.TrimPrefix(field, "parameters.")]
		}
		if v == "" {
			v = model.Unclassified
		}
		h.Group = v
	}
	model.SortHostRows(hosts)
}
