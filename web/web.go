// Package web embeds the HTML templates and static files (CSS, JavaScript,
// the vendored htmx and Chart.js) of Traject's web application, so that the
// binary serves them without internet. go:embed cannot reach "..", hence this
// small package beside the folders.
package web

import "embed"

// FS holds templates/*.html and static/**.
//
//go:embed templates static
var FS embed.FS
