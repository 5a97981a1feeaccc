// Package server is Traject's web application: gin routes, middleware and
// handlers that render server-side HTML (html/template, embedded from web/)
// with htmx for in-page updates. It is the only package that knows gin.
//
// Every route names the permission it needs (internal/auth), and every
// record a handler reads is read through the auth filters or checked with the
// auth rules, so that a page shows each person only what their role allows.
package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/traject-nt2/traject/internal/auth"
	"github.com/traject-nt2/traject/internal/cache"
	"github.com/traject-nt2/traject/internal/schedule"
	"github.com/traject-nt2/traject/internal/server/api"
	"github.com/traject-nt2/traject/internal/server/core"
	"github.com/traject-nt2/traject/internal/server/public"
	"github.com/traject-nt2/traject/internal/server/ui"
	"github.com/traject-nt2/traject/internal/store"
)

// DefaultSessionTTL is how long a session lasts without use.
const DefaultSessionTTL = core.DefaultSessionTTL

// shutdownTimeout is how long Run waits for requests in flight at shutdown.
const shutdownTimeout = 10 * time.Second

// Config is what a Server needs from the outside world.
type Config struct {
	DB         *store.DB
	Addr       string           // listen address for Run, e.g. ":8080" or "127.0.0.1:0"
	Secure     bool             // behind TLS: Secure cookies with the __Host- prefix, HSTS
	Now        func() time.Time // the clock; nil: time.Now
	Log        *slog.Logger     // access and error log; nil: slog.Default()
	SessionTTL time.Duration    // idle lifetime of a session; 0: DefaultSessionTTL
	Job        schedule.Job     // the scheduled export that "run now" runs; nil: schedule.WorkbookJob
	Version    string           // Traject's version, shown in workbooks
	Scheduler  bool             // this process also runs the scheduler (traject serve), shown on the schedules page
	ExportDir  string           // the folder under which schedules made on the web write; "": exports beside the database
	// PublicURL is the address learners and partners reach Traject at
	// (core.ParsePublicURL), from which survey links and QR codes are
	// built; "": none, and the round's page shows no link.
	PublicURL string
	// Name is the installation's name ("CVO Antwerpen"), shown on the
	// sign-in page and in every page title; "": the product's name alone.
	Name string
	// TrustedProxies are the reverse proxies (CIDRs) whose X-Forwarded-For
	// or X-Real-IP names the client; from any other peer the peer's own
	// address counts, so that no client can pick its address (the login
	// limiter keys on it).
	TrustedProxies []string
	// HashPassword hashes passwords set on the administration's pages; nil:
	// auth.HashPassword. Tests pass bcrypt's lowest cost.
	HashPassword func(password string) (string, error)
	// NoCacheWatch stops the cache from watching the database's version
	// while requests come: what a request finds in the cache then depends
	// on the requests alone (tests; Refresh loads changes made elsewhere).
	NoCacheWatch bool
}

// Server is the web application over one database.
type Server struct {
	cfg   Config
	app   *core.App
	cache *cache.Cache // the loaded data set and indicator results, shared by the pages and the API
	// imports bounds the data sets the process reads for imports at once
	// (ui.MaxImports); tests take its slots to see the busy answer.
	imports *ui.Slots
	engine  *gin.Engine

	mu  sync.Mutex
	ln  net.Listener
	srv *http.Server
}

// New returns a Server for cfg with its routes and parsed templates. It
// panics when the embedded templates do not parse: they are part of the
// binary, and a test renders every one of them.
func New(cfg Config) *Server {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	if cfg.SessionTTL <= 0 {
		cfg.SessionTTL = DefaultSessionTTL
	}
	if cfg.HashPassword == nil {
		cfg.HashPassword = auth.HashPassword
	}
	pages, err := core.ParseTemplates(ui.Funcs)
	if err != nil {
		panic(fmt.Sprintf("server: embedded templates: %v", err))
	}
	app := &core.App{DB: cfg.DB, Log: cfg.Log, Now: cfg.Now, Secure: cfg.Secure, SessionTTL: cfg.SessionTTL,
		Version: cfg.Version, Pages: pages, HashPassword: cfg.HashPassword, PublicURL: strings.TrimSuffix(cfg.PublicURL, "/"), Name: cfg.Name}
	s := &Server{cfg: cfg, app: app, cache: cache.New(cfg.DB), imports: ui.NewSlots(ui.MaxImports)}
	if cfg.NoCacheWatch {
		s.cache.PollEvery = 0
	}
	s.engine = s.routes()
	return s
}

// Handler returns the application as an http.Handler, for httptest.
func (s *Server) Handler() http.Handler { return s.engine }

// Config is the configuration the server runs with, its defaults filled in.
func (s *Server) Config() Config { return s.cfg }

// Routes lists the router's routes (method and path), for the tests that
// ask every route.
func (s *Server) Routes() gin.RoutesInfo { return s.engine.Routes() }

// Refresh loads the data set and indicator results again now, as the
// cache's watcher would on a change made by another process.
func (s *Server) Refresh(ctx context.Context) error { return s.cache.Refresh(ctx) }

// ImportSlots bounds the data sets read for imports at once; tests take
// its slots to see the busy answer.
func (s *Server) ImportSlots() *ui.Slots { return s.imports }

// routes builds the router: the middleware every request passes, the
// shared routes (static files, the language selector), and each audience
// with its own routes and middleware.
func (s *Server) routes() *gin.Engine {
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	if err := r.SetTrustedProxies(s.cfg.TrustedProxies); err != nil || len(s.cfg.TrustedProxies) == 0 {
		if err != nil {
			s.cfg.Log.Error("trusted proxies: trusting none", "err", err)
		}
		_ = r.SetTrustedProxies(nil) // the client address is the peer's: no X-Forwarded-For to spoof the login limiter
	}
	r.RemoteIPHeaders = []string{"X-Forwarded-For", "X-Real-IP"}
	r.UseRawPath = true // group codes and learner ids are path-escaped in links
	r.UnescapePathValues = true
	r.HandleMethodNotAllowed = true
	a := s.app
	r.Use(a.Recoverer, a.AccessLog, a.Headers, a.Language, a.Text)
	r.NoRoute(a.Session(false), func(c *gin.Context) { a.Fail(c, core.ErrNotFound) })
	r.NoMethod(func(c *gin.Context) { a.Fail(c, core.ErrMethod) })
	r.GET("/static/*path", a.Static)
	r.GET("/lang", a.SetLanguage)

	public.New(a).Routes(r)
	ui.New(a, s.cache, ui.Options{ExportDir: s.cfg.ExportDir, Job: s.cfg.Job, Scheduler: s.cfg.Scheduler,
		Imports: s.imports}).Routes(r)
	api.New(a, s.cache).Routes(r)
	return r
}

// Listen binds cfg.Addr (":0" picks a free port) and returns the base URL,
// e.g. "http://127.0.0.1:39123". Run serves on it.
func (s *Server) Listen() (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ln == nil {
		ln, err := net.Listen("tcp", s.cfg.Addr)
		if err != nil {
			return "", err
		}
		s.ln = ln
	}
	addr := s.ln.Addr().(*net.TCPAddr)
	host := addr.IP.String()
	if addr.IP.IsUnspecified() {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, fmt.Sprint(addr.Port)), nil
}

// Run serves until ctx is done (SIGTERM in cmd), then shuts down gracefully:
// it stops accepting connections and waits for requests in flight.
func (s *Server) Run(ctx context.Context) error {
	if _, err := s.Listen(); err != nil {
		return err
	}
	s.mu.Lock()
	s.srv = &http.Server{Handler: s.engine, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: time.Minute,
		WriteTimeout: 2 * time.Minute, IdleTimeout: 2 * time.Minute, ErrorLog: slog.NewLogLogger(s.cfg.Log.Handler(), slog.LevelWarn)}
	srv, ln := s.srv, s.ln
	s.mu.Unlock()
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	s.cfg.Log.Info("serving", "addr", ln.Addr().String())
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	err := srv.Shutdown(sctx)
	if e := <-errc; e != nil && !errors.Is(e, http.ErrServerClosed) && err == nil {
		err = e
	}
	s.cfg.Log.Info("stopped")
	return err
}
