package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/traject-nt2/traject/internal/auth"
	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/store"
)

// cliActor is the user name the audit trail records for the command line.
const cliActor = "cli"

// stringList is a repeatable string flag (--provider P --provider Q).
type stringList []string

func (s *stringList) String() string     { return strings.Join(*s, ",") }
func (s *stringList) Set(v string) error { *s = append(*s, v); return nil }

// cmdUser manages accounts: add, list, disable (or enable), set-password.
func cmdUser(ctx context.Context, e *env, args []string) error {
	const usage = "user add --username U --role teacher|counsellor|coordinator|admin [--provider P]… [--name NAME] [--email ADDRESS] --password-stdin\n" +
		"       traject user list\n       traject user disable --username U [--enable]\n" +
		"       traject user set-password --username U --password-stdin\n" +
		"       traject user set --username U [--name NAME] [--email ADDRESS]   (\"\" clears either)"
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		e.eprintf("Usage: traject %s\n", usage)
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
			return flag.ErrHelp
		}
		return &exitError{code: 2}
	}
	sub, args := args[0], args[1:]
	fs, dbPath := newFlags(e, "user "+sub, usage)
	username := fs.String("username", "", "the account's user name")
	var role string
	var providers stringList
	var stdin, enable bool
	var name, email string
	profileFlags := func() {
		fs.StringVar(&name, "name", "", `the name the pages show for the account, e.g. "Sarah Peeters" (default: the user name)`)
		fs.StringVar(&email, "email", "", "the person's e-mail address (optional; one account per address)")
	}
	switch sub {
	case "set":
		profileFlags()
	case "add":
		profileFlags()
		fs.StringVar(&role, "role", "", "teacher, counsellor, coordinator or admin")
		fs.Var(&providers, "provider", "a provider the account belongs to (repeatable; required for a coordinator)")
		fs.BoolVar(&stdin, "password-stdin", false, "read the password from the first line of standard input")
	case "set-password":
		fs.BoolVar(&stdin, "password-stdin", false, "read the password from the first line of standard input")
	case "disable":
		fs.BoolVar(&enable, "enable", false, "enable the account again instead")
	case "list":
	default:
		e.eprintf("Usage: traject %s\n", usage)
		return &exitError{code: 2, msg: fmt.Sprintf("unknown subcommand %q", sub)}
	}
	if _, err := parse(fs, args); err != nil {
		return err
	}
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	if sub == "set" && !given["name"] && !given["email"] {
		return &exitError{code: 2, msg: "give --name, --email or both"}
	}
	if sub != "list" && *username == "" {
		return &exitError{code: 2, msg: "--username is required"}
	}
	db, err := openDB(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	now := e.clock()
	switch sub {
	case "add":
		r, err := domain.ParseRole(role)
		if err != nil {
			return err
		}
		hash, err := passwordFromStdin(e, stdin)
		if err != nil {
			return err
		}
		if err := db.CreateUser(ctx, cliActor, domain.User{Username: *username, Role: r, Providers: providers, DisplayName: name, Email: email}, hash, now); err != nil {
			return err
		}
		e.printf("created %s %s\n", r, *username)
	case "set":
		a, err := db.FindUser(ctx, *username)
		if err != nil {
			return err
		}
		if !given["name"] {
			name = a.DisplayName
		}
		if !given["email"] {
			email = a.Email
		}
		if err := db.SetUserProfile(ctx, cliActor, *username, name, email, now); err != nil {
			return err
		}
		a, err = db.FindUser(ctx, *username)
		if err != nil {
			return err
		}
		e.printf("%s: name %q, e-mail %q\n", *username, a.DisplayName, a.Email)
	case "set-password":
		hash, err := passwordFromStdin(e, stdin)
		if err != nil {
			return err
		}
		if err := db.SetPassword(ctx, cliActor, *username, hash, now); err != nil {
			return err
		}
		e.printf("password of %s changed; their sessions have ended\n", *username)
	case "disable":
		if err := db.SetDisabled(ctx, cliActor, *username, !enable, now); err != nil {
			return err
		}
		if enable {
			e.printf("enabled %s\n", *username)
		} else {
			e.printf("disabled %s; their sessions have ended\n", *username)
		}
	case "list":
		return listUsers(ctx, e, db)
	}
	return nil
}

// passwordFromStdin reads one line of standard input, never echoing it, and
// returns its bcrypt hash.
func passwordFromStdin(e *env, stdin bool) (string, error) {
	if !stdin {
		return "", &exitError{code: 2, msg: "give the password on standard input with --password-stdin (never on the command line)"}
	}
	line, err := bufio.NewReader(e.stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read password: %w", err)
	}
	pw := strings.TrimRight(line, "\r\n")
	if pw == "" {
		return "", &exitError{code: 2, msg: "no password on standard input"}
	}
	return auth.HashPassword(pw)
}

func listUsers(ctx context.Context, e *env, db *store.DB) error {
	users, err := db.ListUsers(ctx)
	if err != nil {
		return err
	}
	e.printf("%-24s %-12s %-9s %-20s %-28s %s\n", "username", "role", "status", "providers", "name", "email")
	for _, u := range users {
		status := "active"
		switch {
		case u.Disabled:
			status = "disabled"
		case u.Locked(e.clock()):
			status = "locked"
		}
		e.printf("%-24s %-12s %-9s %-20s %-28s %s\n", u.Username, u.Role, status, strings.Join(u.Providers, ","), u.DisplayName, u.Email)
	}
	return nil
}

// cmdToken manages API tokens: create (printed once), list, revoke.
func cmdToken(ctx context.Context, e *env, args []string) error {
	const usage = "token create --username U [--name N] [--expires 90d]\n       traject token list [--username U]\n       traject token revoke ID"
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		e.eprintf("Usage: traject %s\n", usage)
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
			return flag.ErrHelp
		}
		return &exitError{code: 2}
	}
	sub, args := args[0], args[1:]
	fs, dbPath := newFlags(e, "token "+sub, usage)
	username := fs.String("username", "", "the account the token acts as")
	var name, expires string
	switch sub {
	case "create":
		fs.StringVar(&name, "name", "", "what the token is for")
		fs.StringVar(&expires, "expires", "90d", "expiry: days (90d), a duration (12h), a date (2026-12-31) or never")
	case "list", "revoke":
	default:
		e.eprintf("Usage: traject %s\n", usage)
		return &exitError{code: 2, msg: fmt.Sprintf("unknown subcommand %q", sub)}
	}
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	db, err := openDB(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	now := e.clock()
	switch sub {
	case "create":
		if *username == "" {
			return &exitError{code: 2, msg: "--username is required"}
		}
		exp, err := auth.ParseExpires(expires, now)
		if err != nil {
			return err
		}
		token, t, err := db.CreateToken(ctx, cliActor, *username, name, exp, now)
		if err != nil {
			return err
		}
		until := "never"
		if !t.ExpiresAt.IsZero() {
			until = t.ExpiresAt.Format(time.RFC3339)
		}
		e.printf("token %d for %s, expires %s; it is shown this once:\n%s\n", t.ID, t.Username, until, token)
	case "list":
		tokens, err := db.ListTokens(ctx, *username)
		if err != nil {
			return err
		}
		e.printf("%-5s %-20s %-20s %-9s %-20s %s\n", "id", "username", "name", "status", "expires", "last used")
		for _, t := range tokens {
			status := "active"
			switch {
			case !t.RevokedAt.IsZero():
				status = "revoked"
			case !t.Active(now):
				status = "expired"
			}
			e.printf("%-5d %-20s %-20s %-9s %-20s %s\n", t.ID, t.Username, t.Name, status, timeText(t.ExpiresAt), timeText(t.LastUsedAt))
		}
	case "revoke":
		if len(pos) != 1 {
			return &exitError{code: 2, msg: "give the ID of the token to revoke"}
		}
		id, err := strconv.ParseInt(pos[0], 10, 64)
		if err != nil {
			return &exitError{code: 2, msg: fmt.Sprintf("%q is not a token ID", pos[0])}
		}
		if err := db.RevokeToken(ctx, cliActor, id, now); err != nil {
			return err
		}
		e.printf("revoked token %d\n", id)
	}
	return nil
}

// timeText formats a timestamp for a listing, "-" for none.
func timeText(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.Format(time.RFC3339)
}
