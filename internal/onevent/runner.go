// Package onevent runs the --on-event command for each event, with the event as one line of JSON on its
// standard input: one command at a time, from a bounded queue, each within a time limit. Its standard output
// and error are discarded (the dashboard owns the terminal); failures are counted and told to Options.OnError.
package onevent

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"sync"
	"sync/atomic"
	"time"

	"github.com/fleettop/fleettop/internal/procgroup"
	"github.com/fleettop/fleettop/model/events"
)

// Options tune a Runner; zero fields take the defaults.
type Options struct {
	// Timeout bounds one run of the command; past it the command and its children are killed.
	Timeout time.Duration
	// Queue is how many events may wait for the command; more are dropped and counted.
	Queue int
	// OnError, when set, is told of each run that failed, timed out or could not start. It is called from the
	// runner's goroutine and must not block.
	OnError func(error)
}

// Defaults of Options.
const (
	DefaultTimeout = 10 * time.Second
	DefaultQueue   = 64
)

// waitDelay bounds how long a finished or killed command may keep its standard input open through a child.
const waitDelay = 500 * time.Millisecond

// Stats count what the runner did.
type Stats struct {
	Ran      uint64 // runs that exited 0
	Failed   uint64 // runs that exited otherwise or could not start
	TimedOut uint64 // runs killed at the time limit
	Dropped  uint64 // events not run: the queue was full, or the runner closed
}

// Runner runs one command per event, in the order they came. Send never blocks.
type Runner struct {
	argv []string
	opt  Options

	mu     sync.Mutex // closed and sending on queue
	closed bool
	queue  chan events.Event

	ctx    context.Context // cancelled by Close when draining takes too long
	cancel context.CancelFunc
	done   chan struct{}

	ran, failed, timedOut, dropped atomic.Uint64
}

// Start starts running argv (argv[0] found in $PATH) for the events Send hands it.
func Start(argv []string, opt Options) (*Runner, error) {
	if len(argv) == 0 || argv[0] == "" {
		return nil, errors.New("on-event: empty command")
	}
	if opt.Timeout <= 0 {
		opt.Timeout = DefaultTimeout
	}
	if opt.Queue <= 0 {
		opt.Queue = DefaultQueue
	}
	r := &Runner{argv: append([]string(nil), argv...), opt: opt, queue: make(chan events.Event, opt.Queue),
		done: make(chan struct{})}
	r.ctx, r.cancel = context.WithCancel(context.Background())
	go r.loop()
	return r, nil
}

// Send queues ev for the command. It returns false, and counts the event dropped, when the queue is full or
// the runner is closed.
func (r *Runner) Send(ev events.Event) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if !r.closed {
		select {
		case r.queue <- ev:
			return true
		default:
		}
	}
	r.dropped.Add(1)
	return false
}

// Stats returns the counts so far.
func (r *Runner) Stats() Stats {
	return Stats{Ran: r.ran.Load(), Failed: r.failed.Load(), TimedOut: r.timedOut.Load(), Dropped: r.dropped.Load()}
}

// Close stops taking events and lets the queued ones run until ctx is done; then it kills the running command
// and drops the rest. It returns when the runner has stopped.
func (r *Runner) Close(ctx context.Context) {
	r.mu.Lock()
	if !r.closed {
		r.closed = true
		close(r.queue)
	}
	r.mu.Unlock()
	select {
	case <-r.done:
	case <-ctx.Done():
		r.cancel()
		<-r.done
	}
	r.cancel()
}

func (r *Runner) loop() {
	defer close(r.done)
	for ev := range r.queue {
		if r.ctx.Err() != nil {
			r.dropped.Add(1)
			continue
		}
		if err := r.run(ev); err != nil && r.opt.OnError != nil {
			r.opt.OnError(err)
		}
	}
}

// run runs the command once with ev on its standard input.
func (r *Runner) run(ev events.Event) error {
	ctx, cancel := context.WithTimeout(r.ctx, r.opt.Timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, r.argv[0], r.argv[1:]...)
	cmd.Stdin = bytes.NewReader(append(ev.JSON(), '\n'))
	cmd.WaitDelay = waitDelay
	procgroup.KillOnCancel(cmd)
	err := cmd.Run()
	where := fmt.Sprintf("on-event %s (%s %s)", r.argv[0], ev.Threshold, ev.Kind)
	switch {
	case err == nil:
		r.ran.Add(1)
		return nil
	case errors.Is(ctx.Err(), context.DeadlineExceeded):
		r.timedOut.Add(1)
		return fmt.Errorf("%s: killed after %s", where, r.opt.Timeout)
	}
	r.failed.Add(1)
	return fmt.Errorf("%s: %w", where, err)
}
