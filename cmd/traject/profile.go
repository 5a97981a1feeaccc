package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/traject-nt2/traject/internal/interchange"
	"github.com/traject-nt2/traject/internal/store"
)

// Mapping profiles for other systems' files (spec/interchange.md, "Files
// from other systems: mapping profiles"): kept in the database, and named
// by `traject import --profile`.

const profileUsage = `usage: traject profile add FILE.json [--provider P] | list | show NAME [--provider P] | remove NAME [--provider P]`

func cmdProfile(ctx context.Context, e *env, args []string) error {
	if len(args) > 0 {
		switch args[0] {
		case "add":
			return cmdProfileAdd(ctx, e, args[1:])
		case "list":
			return cmdProfileList(ctx, e, args[1:])
		case "show":
			return cmdProfileShow(ctx, e, args[1:])
		case "remove":
			return cmdProfileRemove(ctx, e, args[1:])
		}
	}
	return &exitError{code: 2, msg: profileUsage}
}

// readProfileFile reads and checks a profile from a JSON file.
func readProfileFile(path string) (*interchange.Profile, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return interchange.ParseProfile(b, path)
}

// loadProfile takes --profile: a JSON file when it names one (or ends in
// .json), else the name of a stored profile, of owner when given.
func loadProfile(ctx context.Context, db *store.DB, arg string, owner *string) (*interchange.Profile, error) {
	if _, err := os.Stat(arg); err == nil || strings.HasSuffix(strings.ToLower(arg), ".json") {
		return readProfileFile(arg)
	}
	sp, err := findProfile(ctx, db, arg, owner)
	if err != nil {
		return nil, err
	}
	return sp.Profile, nil
}

// findProfile is the stored profile name: of owner when given ("" for
// everyone's), else the only one of that name. Names are per owner, so a
// name several owners keep needs the owner (flag names the flag that
// gives it).
func findProfile(ctx context.Context, db *store.DB, name string, owner *string) (*store.StoredProfile, error) {
	if owner != nil {
		return db.Profile(ctx, *owner, name)
	}
	return db.ProfileNamed(ctx, name)
}

// providerFlag is a --provider flag whose absence differs from --provider
// "" (everyone's): nil when it was not given.
func providerFlag(fs *flag.FlagSet, name, usage string) func() *string {
	v := fs.String(name, "", usage)
	return func() *string {
		given := false
		fs.Visit(func(f *flag.Flag) { given = given || f.Name == name })
		if !given {
			return nil
		}
		return v
	}
}

func cmdProfileAdd(ctx context.Context, e *env, args []string) error {
	fs, dbPath := newFlags(e, "profile add", "profile add FILE.json [--provider P] [--db PATH|URL]\n\n"+
		"Checks the mapping profile and keeps it under its name, for one provider or (without --provider) for all;\n"+
		"that owner's profile of the same name is replaced. Names are per owner: another provider's is not touched.")
	provider := fs.String("provider", "", "the provider the profile is for (default: every provider)")
	pos, err := parseN(fs, args, 1, "give one profile file")
	if err != nil {
		return err
	}
	p, err := readProfileFile(pos[0])
	if err != nil {
		return err
	}
	db, err := openDB(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.SaveProfile(ctx, cliActor, *provider, p, e.clock()); err != nil {
		return err
	}
	e.printf("profile %s saved for %s (%d file entries)\n", p.Name, store.ProfileOwner(*provider), len(p.Files))
	return nil
}

func cmdProfileList(ctx context.Context, e *env, args []string) error {
	fs, dbPath := newFlags(e, "profile list", "profile list [--db PATH|URL]\n\nLists the stored mapping profiles.")
	if _, err := parseN(fs, args, 0, "profile list takes no arguments"); err != nil {
		return err
	}
	db, err := openDB(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	ps, err := db.Profiles(ctx)
	if err != nil {
		return err
	}
	if len(ps) == 0 {
		e.printf("no profiles (traject profile add FILE.json)\n")
		return nil
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "name\tprovider\tentities\tupdated\tby\tdescription\n")
	for _, sp := range ps {
		var ents []string
		for _, f := range sp.Profile.Files {
			ents = append(ents, f.Entity)
		}
		prov := sp.Provider
		if prov == "" {
			prov = "(all)"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", sp.Profile.Name, prov, strings.Join(ents, ","),
			sp.UpdatedAt.Format("2006-01-02 15:04"), sp.CreatedBy, sp.Profile.Description)
	}
	return tw.Flush()
}

func cmdProfileShow(ctx context.Context, e *env, args []string) error {
	fs, dbPath := newFlags(e, "profile show", "profile show NAME [--provider P] [--db PATH|URL]\n\n"+
		"Prints a stored profile as JSON: save it to a file to hand it to another provider (traject profile add).\n"+
		"Names are per provider: --provider says whose when several keep NAME (--provider \"\" for every provider's).")
	owner := providerFlag(fs, "provider", "whose profile: a provider's code, or \"\" for every provider's (default: the only one named NAME)")
	pos, err := parseN(fs, args, 1, "give one profile name")
	if err != nil {
		return err
	}
	db, err := openDB(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	sp, err := findProfile(ctx, db, pos[0], owner())
	if err != nil {
		return err
	}
	b, err := json.MarshalIndent(sp.Profile, "", "  ")
	if err != nil {
		return err
	}
	e.printf("%s\n", b)
	return nil
}

func cmdProfileRemove(ctx context.Context, e *env, args []string) error {
	fs, dbPath := newFlags(e, "profile remove", "profile remove NAME [--provider P] [--db PATH|URL]\n\nRemoves a stored profile.\n"+
		"Names are per provider: --provider says whose when several keep NAME (--provider \"\" for every provider's).")
	owner := providerFlag(fs, "provider", "whose profile: a provider's code, or \"\" for every provider's (default: the only one named NAME)")
	pos, err := parseN(fs, args, 1, "give one profile name")
	if err != nil {
		return err
	}
	db, err := openDB(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	sp, err := findProfile(ctx, db, pos[0], owner())
	if err != nil {
		return err
	}
	if err := db.RemoveProfile(ctx, sp.Provider, pos[0]); err != nil {
		return err
	}
	e.printf("profile %s of %s removed\n", pos[0], store.ProfileOwner(sp.Provider))
	return nil
}
