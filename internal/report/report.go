// Package report writes the indicator workbook: an Excel file laid out by a
// definition in reports/ (sheets, columns, labels as catalogue keys, formats), with the
// overview, the definitions, every indicator per breakdown, the cases behind
// the numbers and the data-quality findings. `traject export indicators` and
// the scheduled exports both call Write, so they produce the same workbook.
package report

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/indicator"
	"github.com/traject-nt2/traject/internal/locale"
	"github.com/traject-nt2/traject/internal/report/xlsxpart"
)

// Options say what one indicator workbook shows.
type Options struct {
	Params      indicator.Params // period, as_of, provider and the other parameters
	Exact       bool             // exact counts and learner ids; otherwise small cells suppressed and learners pseudonymous
	Secret      []byte           // the installation's key of the pseudonyms (at least 16 bytes); required unless Exact
	GeneratedAt time.Time        // shown in the overview; zero: now
	Version     string           // Traject's version, shown in the overview
	Layout      *Layout          // nil: the default layout in Lang
	Lang        string           // the workbook's language; "": Dutch (locale.Default). A Layout given is in its own.
}

// Stats say what Write wrote and where its time went. The cases and the
// findings are computed on another core while sheets are written, so
// Compute and Write can add up to more than Total.
type Stats struct {
	Cases    int           // rows of the cases sheet
	Findings int           // rows of the findings sheet
	Compute  time.Duration // computing the indicators, the cases and the findings
	Write    time.Duration // laying out the sheets and writing the file
	Total    time.Duration // all of Write, start to end
	Load     time.Duration // loading the data set, as its caller measured it (Data.Load; Workbook only)
}

// book is one workbook being written.
type book struct {
	f         *excelize.File
	layout    *Layout
	lang      string // the language of the texts the code writes: codes' labels, details, findings
	opt       Options
	ds        *domain.DataSet
	exact     *indicator.Result         // for row counts; always exact
	cases     *indicator.Casebook       // the classification behind exact and the Lerenden sheet
	splices   map[string]*xlsxpart.Rows // rows to splice into sheet parts when zipping (xlsxpart)
	res       *indicator.Result         // as shown: suppressed unless opt.Exact
	suppress  bool
	provNames map[string]string
	pseud     *pseudonyms // nil when exact
	findings  chan findings
	st        styles
	stats     Stats
}

// Write computes the indicators of ds for opt.Params, the cases behind them
// and the data-quality findings, and writes the workbook that opt.Layout
// describes to w. It is the one way Traject makes an indicator workbook.
func Write(w io.Writer, ds *domain.DataSet, opt Options) (Stats, error) {
	start := time.Now()
	b := &book{opt: opt, ds: ds, suppress: !opt.Exact, lang: locale.Lang(opt.Lang)}
	if b.layout = opt.Layout; b.layout == nil {
		var err error
		if b.layout, err = DefaultLayoutIn(b.lang); err != nil {
			return Stats{}, err
		}
	}
	if err := opt.Params.Validate(); err != nil {
		return Stats{}, err
	}
	if !opt.Exact {
		if len(opt.Secret) < 16 {
			return Stats{}, domain.Errorf(domain.EINVALID, "a workbook with pseudonymous learners needs the installation's secret (at least 16 bytes)")
		}
		b.pseud = newPseudonyms(opt.Secret)
	}
	if b.opt.GeneratedAt.IsZero() {
		b.opt.GeneratedAt = time.Now()
	}
	b.cases = indicator.Classify(ds, opt.Params) // once, for the figures and every case list
	b.exact = b.cases.Result()
	b.res = b.exact
	if b.suppress {
		b.res = b.exact.Suppressed()
	}
	b.stats.Compute = time.Since(start)
	b.provNames = make(map[string]string, len(ds.Providers))
	for _, p := range ds.Providers {
		b.provNames[p.Code] = p.Name
	}

	b.f = excelize.NewFile()
	defer b.f.Close()
	b.splices = map[string]*xlsxpart.Rows{}
	defer func() {
		for _, rw := range b.splices {
			rw.Close()
		}
	}()
	var zw *xlsxpart.Zip
	b.f.SetZipWriter(func(w io.Writer) excelize.ZipWriter {
		zw = xlsxpart.NewZip(w, b.splices)
		return zw
	})
	if err := b.newStyles(); err != nil {
		return b.stats, err
	}
	for i := range b.layout.Sheets {
		s := &b.layout.Sheets[i]
		var err error
		if i == 0 {
			err = b.f.SetSheetName(b.f.GetSheetName(0), s.Name)
		} else {
			_, err = b.f.NewSheet(s.Name)
		}
		if err != nil {
			return b.stats, fmt.Errorf("sheet %q: %w", s.Name, err)
		}
	}
	b.stats.Write = time.Since(start) - b.stats.Compute
	for i := range b.layout.Sheets {
		s := &b.layout.Sheets[i]
		t := time.Now()
		if err := b.writeSheet(s); err != nil {
			return b.stats, fmt.Errorf("sheet %q: %w", s.Name, err)
		}
		if s.Kind != KindCases && s.Kind != KindFindings { // those count their own
			b.stats.Write += time.Since(t)
		}
	}
	t := time.Now()
	if err := b.f.SetDocProps(&excelize.DocProperties{
		Title:       b.layout.Title,
		Subject:     fmt.Sprintf("%s %s – %s", b.layout.Title, opt.Params.From, opt.Params.To),
		Creator:     "Traject " + b.version(),
		Created:     b.opt.GeneratedAt.UTC().Format(time.RFC3339),
		Modified:    b.opt.GeneratedAt.UTC().Format(time.RFC3339),
		Language:    "nl-BE",
		Description: b.suppression(),
	}); err != nil {
		return b.stats, err
	}
	if _, err := b.f.WriteTo(w); err != nil {
		return b.stats, fmt.Errorf("write workbook: %w", err)
	}
	if zw == nil {
		return b.stats, fmt.Errorf("write workbook: no zip writer")
	}
	if err := zw.Check(); err != nil {
		return b.stats, err
	}
	b.stats.Write += time.Since(t)
	b.stats.Total = time.Since(start)
	return b.stats, nil
}

func (b *book) version() string {
	if b.opt.Version == "" {
		return "dev"
	}
	return b.opt.Version
}

// suppression says in Dutch whether small cells are suppressed.
func (b *book) suppression() string {
	if b.suppress {
		return b.layout.Texts["suppressed"]
	}
	return b.layout.Texts["exact"]
}

func (b *book) legend() string {
	if b.suppress {
		return b.layout.Texts["legend_suppressed"]
	}
	return b.layout.Texts["legend_exact"]
}

func (b *book) writeSheet(s *Sheet) error {
	var err error
	switch s.Kind {
	case KindOverview:
		err = b.writeOverview(s)
	case KindDefinitions:
		err = b.writeDefinitions(s)
	case KindFigures, KindIndicator, KindSkills, KindWellbeing:
		err = b.writeAggregates(s)
	case KindCases:
		return b.writeCases(s) // streamed: set up in newStream
	case KindFindings:
		return b.writeFindings(s)
	default:
		return fmt.Errorf("unknown kind %q", s.Kind)
	}
	if err != nil {
		return err
	}
	return b.pageSetup(s.Name)
}

// pageSetup prints a sheet landscape on A4, as wide as one page. It must
// follow AutoFilter, which replaces the sheet properties.
func (b *book) pageSetup(sheet string) error {
	a4, landscape, one, auto, fit := 9, "landscape", 1, 0, true
	if err := b.f.SetPageLayout(sheet, &excelize.PageLayoutOptions{Size: &a4, Orientation: &landscape,
		FitToWidth: &one, FitToHeight: &auto}); err != nil {
		return err
	}
	return b.f.SetSheetProps(sheet, &excelize.SheetPropsOptions{FitToPage: &fit})
}

// keyLabel returns the label of a breakdown key: a provider's name,
// a code's label, or the key itself (age bands, levels).
func (b *book) keyLabel(breakdown, key string) string {
	var list *domain.CodeList
	switch breakdown {
	case indicator.BreakdownProvider:
		return b.provNames[key]
	case indicator.BreakdownGender:
		list = domain.Genders
	case indicator.BreakdownLearningRoute:
		list = domain.LearningRoutes
	case indicator.BreakdownSchoolingLevel:
		list = domain.SchoolingLevels
	case indicator.BreakdownLiteracy:
		list = domain.Literacies
	case indicator.BreakdownCivicStatus:
		list = domain.CivicStatuses
	default:
		return key
	}
	return locale.Code(b.lang, list.Name, key)
}

// expand turns the layout's columns into the sheet's columns: a ".*" key
// becomes one column per code (those of its code list, then any other code
// the result holds), with "{label}" replaced by the code's label.
func (b *book) expand(cols []Column) []Column {
	var out []Column
	for _, c := range cols {
		prefix, ok := strings.CutSuffix(c.Key, "*")
		if !ok {
			out = append(out, c)
			continue
		}
		var codes, labels []string
		if list := codeLists[prefix]; list != nil {
			for _, code := range list.Codes {
				codes, labels = append(codes, code), append(labels, locale.Code(b.lang, list.Name, code))
			}
			for _, extra := range b.extraCodes(prefix, list) {
				codes, labels = append(codes, extra), append(labels, extra)
			}
		} else { // gain.*
			for _, code := range domain.SkillCodes {
				codes, labels = append(codes, code), append(labels, b.layout.Skills[code])
			}
		}
		for i, code := range codes {
			x := c
			x.Key = prefix + code
			x.Label = strings.ReplaceAll(c.Label, "{label}", labels[i])
			out = append(out, x)
		}
	}
	return out
}

// extraCodes returns the reasons or destinations the result holds that are
// not in their code list (only from data that was never validated).
func (b *book) extraCodes(prefix string, list *domain.CodeList) []string {
	seen := map[string]bool{}
	add := func(in *indicator.Indicators) {
		m := in.Outflow.Reasons
		if prefix == "outflow.destinations." {
			m = in.Outflow.Destinations
		}
		for k := range m {
			if !list.Has(k) {
				seen[k] = true
			}
		}
	}
	add(&b.res.Indicators)
	for _, bd := range b.res.Breakdowns.All() {
		for i := range bd.Rows {
			add(&bd.Rows[i].Indicators)
		}
	}
	return slices.Sorted(maps.Keys(seen))
}
