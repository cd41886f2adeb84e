package app

import (
	"context"
	"fmt"
	"os"

	"github.com/fleettop/fleettop/model/query"
	"github.com/fleettop/fleettop/themes"
	"github.com/fleettop/fleettop/ui"
)

// Dashboard runs the UI on the model (or the collectors' merge when subscribing) until the user quits or ctx
// ends, with a Console that keeps its history in the user's state directory. The user's themes, the listener's
// warning and the console's notices join opt.Notices; seed lines run on the command line first (windows for the
// kiosk to show).
func (a *App) Dashboard(ctx context.Context, opt ui.Options, seed ...string) error {
	cat, errs := themes.LoadUser(os.Getenv)
	for _, e := range errs {
		opt.Notices = append(opt.Notices, e.Error())
	}
	opt.Themes = cat
	if a.recorder != nil {
		opt.Recording = a.recorder.health
	}
	if a.listener != nil {
		opt.Listen = a.ListenAddr().String()
	}
	if w := a.ListenWarning(); w != "" {
		opt.Notices = append(opt.Notices, w)
	}
	histPath, _ := query.DefaultHistoryPath() // no history file is no reason not to start
	con, err := a.NewConsole(ConsoleOptions{HistoryPath: histPath})
	if err != nil {
		return err
	}
	opt.Notices = append(opt.Notices, con.Notices()...)
	for _, line := range seed {
		if _, err := con.Run(line); err != nil {
			opt.Notices = append(opt.Notices, fmt.Sprintf("%s: %v", line, err))
		}
	}
	if len(seed) > 0 {
		con.Redraw(ctx)
	}
	a.WatchEvents(ctx, con, nil)
	opt.Events = con
	return ui.Run(ctx, a.view(), con, opt, nil, nil)
}
