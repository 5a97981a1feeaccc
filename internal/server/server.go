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
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/traject-nt2/traject/internal/auth"
	"github.com/traject-nt2/traject/internal/cache"
	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/schedule"
	"github.com/traject-nt2/traject/internal/store"
)

// DefaultSessionTTL is how long a session lasts without use.
const DefaultSessionTTL = 8 * time.Hour

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
	Job        schedule.Job     // the scheduled export that "run now" runs; nil: report.Job
	Version    string           // Traject's version, shown in workbooks
	Scheduler  bool             // this process also runs the scheduler (traject serve), shown on the schedules page
	ExportDir  string           // the folder under which schedules made on the web write; "": exports beside the database
}

// Server is the web application over one database.
type Server struct {
	cfg          Config
	db           *store.DB
	log          *slog.Logger
	now          func() time.Time
	engine       *gin.Engine
	pages        *templates
	loginLimiter *auth.Limiter

	dataOnce sync.Once
	data     *cache.Cache // the loaded data set and indicator results, shared by the dashboard, API and quality page

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
	pages, err := parseTemplates()
	if err != nil {
		panic(fmt.Sprintf("server: embedded templates: %v", err))
	}
	s := &Server{cfg: cfg, db: cfg.DB, log: cfg.Log, now: cfg.Now, pages: pages,
		// Ten login attempts at once per client address, then one every six seconds.
		loginLimiter: auth.NewLimiter(6*time.Second, 10)}
	s.engine = s.routes()
	return s
}

// Handler returns the application as an http.Handler, for httptest.
func (s *Server) Handler() http.Handler { return s.engine }

// routes builds the router: every route names the permission it needs.
func (s *Server) routes() *gin.Engine {
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	_ = r.SetTrustedProxies(nil) // the client address is the peer's: no X-Forwarded-For to spoof the login limiter
	r.UseRawPath = true          // group codes and learner ids are path-escaped in links
	r.UnescapePathValues = true
	r.HandleMethodNotAllowed = true
	r.Use(s.recoverer, s.accessLog, s.headers, s.language)
	r.NoRoute(s.session(false), func(c *gin.Context) { s.fail(c, notFoundErr) })
	r.NoMethod(func(c *gin.Context) { s.fail(c, errMethod) })

	r.GET("/healthz", s.healthz)
	r.GET("/static/*path", s.static)
	r.GET("/lang", s.setLanguage)
	r.GET("/login", s.session(false), s.loginPage)
	r.POST("/login", s.login)

	a := r.Group("/", s.session(true))
	a.GET("/", s.home)
	a.GET("/logout", s.logoutPage)
	a.POST("/logout", s.csrf, s.logout)

	a.GET("/groups", s.require(auth.ViewGroup), s.groups)
	a.GET("/groups/:code", s.require(auth.ViewGroup), s.group)
	a.POST("/groups/:code/attendance", s.csrf, s.require(auth.WriteAttendance), s.saveAttendance)
	a.POST("/groups/:code/evaluations", s.csrf, s.require(auth.WriteEvaluation), s.saveEvaluations)

	a.GET("/learners", s.require(auth.ViewLearner), s.learners)
	a.GET("/learners/:id", s.require(auth.ViewLearner), s.learner)
	a.POST("/learners/:id/goals", s.csrf, s.require(auth.WriteGoal), s.saveGoal)
	a.POST("/learners/:id/outflows", s.csrf, s.require(auth.WriteOutflow), s.saveOutflow)
	a.POST("/learners/:id/followups", s.csrf, s.require(auth.WriteFollowUp), s.saveFollowUp)

	s.workspaceRoutes(a)
	s.indicatorRoutes(r, a)
	for _, p := range coordinatorPages {
		a.GET(p.path, s.require(p.action), s.placeholder(p))
	}
	return r
}

// dataCache returns the server's one cache of the data set, made on first use.
func (s *Server) dataCache() *cache.Cache {
	s.dataOnce.Do(func() { s.data = cache.New(s.db) })
	return s.data
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
		WriteTimeout: 2 * time.Minute, IdleTimeout: 2 * time.Minute, ErrorLog: slog.NewLogLogger(s.log.Handler(), slog.LevelWarn)}
	srv, ln := s.srv, s.ln
	s.mu.Unlock()
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	s.log.Info("serving", "addr", ln.Addr().String())
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
	s.log.Info("stopped")
	return err
}

// healthz answers 200 while the database answers.
func (s *Server) healthz(c *gin.Context) {
	if _, _, err := s.db.SchemaVersion(c.Request.Context()); err != nil {
		s.log.Error("health check", "err", err)
		c.String(http.StatusServiceUnavailable, "database unavailable\n")
		return
	}
	c.String(http.StatusOK, "ok\n")
}

// home sends each role to its first page.
func (s *Server) home(c *gin.Context) {
	c.Redirect(http.StatusSeeOther, homeOf(currentUser(c)))
}

// homeOf is the first page of u's role.
func homeOf(u *domain.User) string {
	switch {
	case u.Role == domain.RoleTeacher:
		return "/groups"
	case auth.Can(u, auth.ViewIndicators):
		return "/dashboard"
	default:
		return "/learners"
	}
}
