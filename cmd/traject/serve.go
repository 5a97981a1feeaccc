package main

import (
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"strings"
	"time"

	"github.com/traject-nt2/traject/internal/auth"
	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/report"
	"github.com/traject-nt2/traject/internal/schedule"
	"github.com/traject-nt2/traject/internal/server"
	"github.com/traject-nt2/traject/internal/server/core"
	"github.com/traject-nt2/traject/internal/store"
)

// cmdServe runs the web application until SIGTERM or Ctrl-C, then shuts
// down gracefully. Unless --no-scheduler, it also runs the scheduler, which
// runs due schedules only while it holds the database's scheduler lock: one
// scheduler per database, however many servers share it.
func cmdServe(ctx context.Context, e *env, args []string) error {
	fs, dbPath := newFlags(e, "serve", "serve [--addr 127.0.0.1:8080] [--name NAME] [--public-url URL] [--secure] [--no-scheduler] [--export-dir DIR] [--trusted-proxy CIDR]… [--db PATH|URL]")
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on (:8080 serves every interface)")
	publicURL := fs.String("public-url", e.getenv("TRAJECT_PUBLIC_URL"), "the address learners reach Traject at, e.g. https://traject.example.org: survey links and QR codes are built from it (env TRAJECT_PUBLIC_URL; unset: rounds show no link)")
	name := fs.String("name", e.getenv("TRAJECT_NAME"), "the installation's name, shown on the sign-in page and in every page title, e.g. \"CVO Antwerpen\" (env TRAJECT_NAME)")
	secure := fs.Bool("secure", false, "served behind TLS: Secure cookies with the __Host- prefix and HSTS")
	noScheduler := fs.Bool("no-scheduler", false, "do not run due schedules here (run `traject scheduler` elsewhere)")
	exportDir := fs.String("export-dir", "", "folder under which schedules made on the web write their workbooks (default: exports beside the database)")
	var proxies []string
	fs.Func("trusted-proxy", "a reverse proxy or load balancer (CIDR or address; repeatable) whose X-Forwarded-For names the client", func(v string) error {
		p, err := parseProxy(v)
		if err == nil {
			proxies = append(proxies, p)
		}
		return err
	})
	if _, err := parse(fs, args); err != nil {
		return err
	}
	if len(*name) > maxInstallationName {
		return &exitError{code: 2, msg: fmt.Sprintf("--name: at most %d characters, this one has %d", maxInstallationName, len(*name))}
	}
	public := ""
	if *publicURL != "" {
		p, err := core.ParsePublicURL(*publicURL, *secure)
		if err != nil {
			return &exitError{code: 2, msg: "--public-url: " + err.Error()}
		}
		public = p
	}
	db, err := openDB(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	job := schedule.WorkbookJob(db, Version)
	srv := server.New(server.Config{DB: db, Addr: *addr, Secure: *secure, Log: slog.Default(), Job: job, Version: Version,
		Scheduler: !*noScheduler, ExportDir: *exportDir, TrustedProxies: proxies, PublicURL: public, Now: e.clock, Name: strings.TrimSpace(*name)})
	url, err := srv.Listen()
	if err != nil {
		return err
	}
	e.printf("Traject serves %s on %s (Ctrl-C to stop)\n", db.Name(), url)
	if public == "" {
		e.printf("No --public-url: survey rounds show no link or QR code until it is set.\n")
	}
	done := make(chan struct{})
	if *noScheduler {
		close(done)
	} else {
		// A broken layout stops the server now, not a run at night.
		if _, err := report.DefaultLayout(); err != nil {
			return err
		}
		sched := &schedule.Scheduler{Runner: schedule.Runner{DB: db, Job: job, Log: slog.Default(), Now: e.clock}, Holder: schedulerHolder()}
		go func() {
			defer close(done)
			if err := sched.Run(ctx); err != nil {
				slog.Error("scheduler", "err", err)
			}
		}()
	}
	err = srv.Run(ctx)
	cancel()
	<-done // the scheduler stops with ctx, finishing the record of a run in progress and releasing its lock
	return err
}

// maxInstallationName bounds --name: it goes into every page title.
const maxInstallationName = 100

// schedulerHolder names this server's scheduler in the database's lock:
// host and process, and a random part, so that two schedulers never take
// each other for themselves (two servers in one process, as in the tests).
func schedulerHolder() string {
	host, _ := os.Hostname()
	b := make([]byte, 4)
	rand.Read(b)
	return fmt.Sprintf("%s:%d/serve-%x", host, os.Getpid(), b)
}

// demoAccount is one account that ensureDemoAccounts creates.
type demoAccount struct {
	role     domain.Role
	username string
	password string
	provider string
	name     string // the display name the pages show
}

// ensureDemoAccounts creates one account per role that matches the demo
// data, when they do not exist yet, and prints their user names and
// passwords: the teacher of the most groups, the counsellor of the most
// learners, a coordinator of the largest provider and an admin. The
// passwords are fixed and public: for the demo only, never for real data.
// The accounts are made at now (the command's clock).
func ensureDemoAccounts(ctx context.Context, db *store.DB, out io.Writer, now time.Time) error {
	teacher, err := db.BusiestTeacher(ctx)
	if err != nil {
		return err
	}
	counsellor, err := db.BusiestCounsellor(ctx)
	if err != nil {
		return err
	}
	provider, err := db.LargestProvider(ctx)
	if err != nil {
		return err
	}
	accounts := []demoAccount{
		{domain.RoleTeacher, teacher, "demo-lesgever-2026", "", "Sarah Peeters"},
		{domain.RoleCounsellor, counsellor, "demo-begeleider-2026", "", "Karim El Amrani"},
		{domain.RoleCoordinator, "coordinator", "demo-coordinator-2026", provider, "Els Wouters"},
		{domain.RoleAdmin, "admin", "demo-beheerder-2026", "", "Tom Claes"},
	}
	fmt.Fprintln(out, "Demo accounts (demo passwords: for the demo data only):")
	for _, a := range accounts {
		if a.username == "" || (a.role == domain.RoleCoordinator && a.provider == "") {
			fmt.Fprintf(out, "  %-12s (no %s in the data: none created)\n", a.role, a.role)
			continue
		}
		acct, err := db.FindUser(ctx, a.username)
		switch domain.ErrorCode(err) {
		case "":
			// A demo account made before accounts had names gets its name.
			if acct.DisplayName == "" {
				if err := db.SetUserProfile(ctx, "demo", a.username, a.name, acct.Email, now); err != nil {
					return err
				}
			}
			fmt.Fprintf(out, "  %-12s %-16s %s (exists; password unchanged)\n", a.role, a.username, a.password)
			continue
		case domain.ENOTFOUND:
		default:
			return err
		}
		hash, err := auth.HashPassword(a.password)
		if err != nil {
			return err
		}
		u := domain.User{Username: a.username, Role: a.role, DisplayName: a.name}
		if a.provider != "" {
			u.Providers = []string{a.provider}
		}
		if err := db.CreateUser(ctx, "demo", u, hash, now); err != nil {
			return err
		}
		fmt.Fprintf(out, "  %-12s %-16s %s\n", a.role, a.username, a.password)
	}
	return nil
}

// parseProxy checks a --trusted-proxy value: a CIDR, or one address (which
// stands for itself alone).
func parseProxy(v string) (string, error) {
	v = strings.TrimSpace(v)
	if _, n, err := net.ParseCIDR(v); err == nil {
		return n.String(), nil
	}
	if ip := net.ParseIP(v); ip != nil {
		if ip.To4() != nil {
			return ip.String() + "/32", nil
		}
		return ip.String() + "/128", nil
	}
	return "", fmt.Errorf("%q is neither a CIDR (10.0.0.0/8) nor an address", v)
}
