// Package reports embeds the workbook layouts: which sheets a workbook has,
// in what order, their columns, labels (keys of the catalogue,
// internal/locale), number formats and widths, and the charts. internal/report reads and checks them at start-up and writes
// accordingly, so that the layout is data and not code spread through Go.
package reports

import "embed"

// FS holds the layouts as NAME.json files (indicators.json is the indicator
// workbook of `traject export indicators` and of scheduled exports).
//
//go:embed *.json
var FS embed.FS
