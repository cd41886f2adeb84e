// Package natstest runs a real NATS server with JetStream inside a test (the nats-server/v2 package, embedded),
// on a loopback port, that the test can stop and start again on the same port and storage.
package natstest

import (
	"fmt"
	"net"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
)

// Server is an embedded NATS server.
type Server struct {
	t    testing.TB
	opts server.Options
	ns   *server.Server
}

// Start starts a server on a free loopback port with JetStream storing under a temporary directory; it is
// shut down when the test ends.
func Start(t testing.TB) *Server {
	t.Helper()
	s := &Server{t: t, opts: server.Options{Host: "127.0.0.1", Port: -1, JetStream: true, StoreDir: t.TempDir(),
		NoLog: true, NoSigs: true}}
	s.start()
	s.opts.Port = s.ns.Addr().(*net.TCPAddr).Port
	t.Cleanup(s.Stop)
	return s
}

func (s *Server) start() {
	s.t.Helper()
	opts := s.opts
	ns, err := server.NewServer(&opts)
	if err != nil {
		s.t.Fatal(err)
	}
	go ns.Start()
	if !ns.ReadyForConnections(10 * time.Second) {
		ns.Shutdown()
		s.t.Fatal("nats server not ready in 10 s")
	}
	s.ns = ns
}

// URL is nats://127.0.0.1:PORT.
func (s *Server) URL() string { return fmt.Sprintf("nats://127.0.0.1:%d", s.opts.Port) }

// Stop shuts the server down (no-op when stopped).
func (s *Server) Stop() {
	if s.ns != nil {
		s.ns.Shutdown()
		s.ns.WaitForShutdown()
		s.ns = nil
	}
}

// Restart starts the stopped server again on the same port with the same storage.
func (s *Server) Restart() {
	s.t.Helper()
	s.Stop()
	s.start()
}
