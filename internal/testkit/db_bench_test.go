package testkit

import (
	"context"
	"testing"

	"github.com/traject-nt2/traject/internal/store"
	"github.com/traject-nt2/traject/internal/testdb"
)

// BenchmarkFreshMigrated: a migrated database the old way (an empty
// database, every migration applied) against a copy of the template.
func BenchmarkFreshMigrated(b *testing.B) {
	b.Run("migrate", func(b *testing.B) {
		for b.Loop() {
			db, err := store.Open(testdb.DSN(b))
			if err != nil {
				b.Fatal(err)
			}
			if _, err := db.Migrate(context.Background()); err != nil {
				b.Fatal(err)
			}
			db.Close()
		}
	})
	b.Run("copy", func(b *testing.B) {
		for b.Loop() {
			db, err := store.Open(MigratedDSN(b))
			if err != nil {
				b.Fatal(err)
			}
			if err := db.CheckSchema(context.Background()); err != nil {
				b.Fatal(err)
			}
			db.Close()
		}
	})
}
