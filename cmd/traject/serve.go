package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/traject-nt2/traject/internal/auth"
	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/server"
	"github.com/traject-nt2/traject/internal/store"
)

// cmdServe runs the web application until SIGTERM or Ctrl-C, then shuts
// down gracefully.
func cmdServe(ctx context.Context, e *env, args []string) error {
	fs, dbPath := newFlags(e, "serve", "serve [--addr :8080] [--secure] [--db PATH]")
	addr := fs.String("addr", ":8080", "address to listen on")
	secure := fs.Bool("secure", false, "served behind TLS: Secure cookies with the __Host- prefix and HSTS")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	db, err := openDB(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	srv := server.New(server.Config{DB: db, Addr: *addr, Secure: *secure, Log: slog.Default()})
	url, err := srv.Listen()
	if err != nil {
		return err
	}
	e.printf("Traject serves %s on %s (Ctrl-C to stop)\n", *dbPath, url)
	return srv.Run(ctx)
}

// demoAccount is one account that ensureDemoAccounts creates.
type demoAccount struct {
	role     auth.Role
	username string
	password string
	provider string
}

// ensureDemoAccounts creates one account per role that matches the demo
// data, when they do not exist yet, and prints their user names and
// passwords: the teacher of the most groups, the counsellor of the most
// learners, a coordinator of the largest provider and an admin. The
// passwords are fixed and public: for the demo only, never for real data.
func ensureDemoAccounts(ctx context.Context, db *store.DB, out io.Writer) error {
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
		{auth.RoleTeacher, teacher, "demo-lesgever-2026", ""},
		{auth.RoleCounsellor, counsellor, "demo-begeleider-2026", ""},
		{auth.RoleCoordinator, "coordinator", "demo-coordinator-2026", provider},
		{auth.RoleAdmin, "admin", "demo-beheerder-2026", ""},
	}
	now := time.Now()
	fmt.Fprintln(out, "Demo accounts (demo passwords: for the demo data only):")
	for _, a := range accounts {
		if a.username == "" || (a.role == auth.RoleCoordinator && a.provider == "") {
			fmt.Fprintf(out, "  %-12s (no %s in the data: none created)\n", a.role, a.role)
			continue
		}
		_, err := db.FindUser(ctx, a.username)
		switch domain.ErrorCode(err) {
		case "":
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
		u := auth.User{Username: a.username, Role: a.role}
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
