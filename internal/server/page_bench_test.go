package server_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/traject-nt2/traject/internal/auth"
	"github.com/traject-nt2/traject/internal/demo"
	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/server"
	"github.com/traject-nt2/traject/internal/server/servertest"
	"github.com/traject-nt2/traject/internal/signal"
	"github.com/traject-nt2/traject/internal/store"
	"github.com/traject-nt2/traject/internal/testdb"
)

// BenchmarkPages measures what one request for the pages used most costs the
// server, through the whole handler chain (session, permission, store,
// template) on 2,000 demo learners: the group page of the group with the
// most learners, as its teacher, the learner page of the learner with the
// most evaluations, as an admin, an admin's first page of the learner
// list, of all learners and of those with one flag, and the admin's
// dashboard once cached (its body spliced into the gzip stream; after the
// first view only the layout is rendered). With TRAJECT_TEST_POSTGRES set it runs
// on PostgreSQL. The load test (make load) measures the same pages under 16
// concurrent clients.
func BenchmarkPages(b *testing.B) {
	ctx := context.Background()
	db, err := store.Open(testdb.DSN(b))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	ds := demo.Generate(demo.Options{Learners: 2000})
	tx, err := db.Begin(ctx)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := tx.Upsert(ctx, ds, nil); err != nil {
		b.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	// The busiest group and learner; ties go to the first code, so that
	// every run measures the same pages.
	roster, evals := map[string]int{}, map[string]int{}
	for _, e := range ds.Enrollments {
		roster[e.Group]++
	}
	for _, e := range ds.Evaluations {
		evals[e.Learner]++
	}
	var group domain.Group
	for _, g := range ds.Groups {
		if g.Teacher != "" && (group.Code == "" || roster[g.Code] > roster[group.Code] ||
			roster[g.Code] == roster[group.Code] && g.Code < group.Code) {
			group = g
		}
	}
	var learner string
	for _, l := range ds.Learners {
		if learner == "" || evals[l.ID] > evals[learner] || evals[l.ID] == evals[learner] && l.ID < learner {
			learner = l.ID
		}
	}
	now := demo.DefaultToday.Time().Add(12 * time.Hour)
	srv := server.New(server.Config{HashPassword: servertest.QuickHash, DB: db, ExportDir: filepath.Join(b.TempDir(), "exports"),
		Now: func() time.Time { return now }, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	hash, err := servertest.QuickHash(servertest.Password)
	if err != nil {
		b.Fatal(err)
	}
	session := func(u domain.User) string {
		if err := db.CreateUser(ctx, "bench", u, hash, now); err != nil {
			b.Fatal(err)
		}
		token, _, err := db.CreateSession(ctx, u.Username, time.Hour, now)
		if err != nil {
			b.Fatal(err)
		}
		return token
	}
	teacher := session(domain.User{Username: group.Teacher, Role: domain.RoleTeacher})
	admin := session(domain.User{Username: "bench-admin", Role: domain.RoleAdmin})
	h := srv.Handler()
	for _, p := range []struct{ name, path, token, encoding string }{
		{"group", "/groups/" + group.Code, teacher, ""},
		{"learner", "/learners/" + learner, admin, ""},
		{"learners", "/learners", admin, ""},
		{"learners-flag", "/learners?flag=" + signal.NoEvaluation, admin, ""},
		{"dashboard-cached-gzip", "/dashboard", admin, "gzip"},
	} {
		get := func(b *testing.B) *httptest.ResponseRecorder {
			req := httptest.NewRequest(http.MethodGet, p.path, nil)
			req.AddCookie(&http.Cookie{Name: auth.SessionCookieName(false), Value: p.token})
			if p.encoding != "" {
				req.Header.Set("Accept-Encoding", p.encoding)
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != http.StatusOK {
				b.Fatalf("GET %s: %d", p.path, rec.Code)
			}
			return rec
		}
		b.Run(p.name, func(b *testing.B) {
			get(b) // the first view loads the data (and fills the dashboard's cache)
			var size int
			for b.Loop() {
				size = get(b).Body.Len()
			}
			b.ReportMetric(float64(size), "bytes/page")
		})
	}
}
