package store

import (
	"os"
	"testing"

	"github.com/traject-nt2/traject/internal/testdb"
)

// TestMain drops the template databases of this binary when its tests end.
func TestMain(m *testing.M) { os.Exit(testdb.Main(m)) }
