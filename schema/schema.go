// Package schema embeds Traject's numbered SQL migrations, so that the
// binary carries its own schema and the store can apply it in order.
package schema

import "embed"

// FS holds the migrations as NNN_name.sql files, applied in name order.
//
//go:embed *.sql
var FS embed.FS
