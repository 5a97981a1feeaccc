package testkit

import (
	"os"
	"testing"

	"github.com/traject-nt2/traject/internal/testdb"
)

func TestMain(m *testing.M) { os.Exit(testdb.Main(m)) }
