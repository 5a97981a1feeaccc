package ui_test

import (
	"os"
	"testing"

	"github.com/traject-nt2/traject/internal/testkit"
)

// TestMain drops the template databases of this binary when its tests end.
func TestMain(m *testing.M) { os.Exit(testkit.Main(m)) }
