package report

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/indicator"
	"github.com/traject-nt2/traject/internal/interchange"
	"github.com/traject-nt2/traject/internal/quality"
)

const conformanceDir = "../../testdata/conformance"

// conformanceCase is one run of testdata/conformance/README.md.
type conformanceCase struct {
	file, from, to, asOf, provider string
}

// conformanceCases are the three runs of testdata/conformance/README.md.
var conformanceCases = []conformanceCase{
	{"expected.json", "2024-09-01", "2025-08-31", "", ""},
	{"expected-CVO-A.json", "2024-09-01", "2025-08-31", "", "CVO-A"},
	{"expected-2025-asof-2026-06-30.json", "2025-01-01", "2025-12-31", "2026-06-30", ""},
}

func (c conformanceCase) params() indicator.Params {
	p := indicator.DefaultParams(domain.MustDate(c.from), domain.MustDate(c.to))
	if c.asOf != "" {
		p.AsOf = domain.MustDate(c.asOf)
	}
	p.Provider = c.provider
	return p
}

var testSecret = []byte("a fixed test secret of 32 bytes!")

func loadConformance(t testing.TB) *domain.DataSet {
	t.Helper()
	b, rowErrs, err := interchange.ReadDir(conformanceDir, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(rowErrs) > 0 {
		t.Fatalf("conformance data has %d row errors, first %v", len(rowErrs), rowErrs[0])
	}
	return &b.DataSet
}

// writeBook writes a workbook and returns its bytes.
func writeBook(t testing.TB, ds *domain.DataSet, p indicator.Params, exact bool) ([]byte, Stats) {
	t.Helper()
	var buf bytes.Buffer
	st, err := Write(&buf, ds, Options{Params: p, Exact: exact, Secret: testSecret,
		GeneratedAt: time.Date(2025, 9, 15, 8, 30, 0, 0, time.UTC), Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes(), st
}

// openBook reads a workbook back with raw cell values (numbers unformatted).
func openBook(t testing.TB, data []byte) *excelize.File {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func rows(t testing.TB, f *excelize.File, sheet string) [][]string {
	t.Helper()
	rs, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	return rs
}

func at(row []string, i int) string {
	if i < len(row) {
		return row[i]
	}
	return ""
}

// overview returns the overview's table as code -> column label -> raw value.
func overview(t testing.TB, f *excelize.File) map[string]map[string]string {
	t.Helper()
	rs := rows(t, f, "Overzicht")
	out := map[string]map[string]string{}
	for i, r := range rs {
		if at(r, 0) != "Code" {
			continue
		}
		for _, data := range rs[i+1:] {
			if len(data) == 0 {
				break
			}
			m := map[string]string{}
			for j, label := range r {
				m[label] = at(data, j)
			}
			out[at(data, 0)] = m
		}
		return out
	}
	t.Fatal("Overzicht has no table with a Code column")
	return nil
}

// jsonPaths says where each figure's value is in the JSON form.
var jsonPaths = map[string][]string{
	indicator.AccessRate: {"access", "rate"}, indicator.WaitingList: {"access", "waiting_list"},
	indicator.MedianDaysToStart: {"access", "median_days_to_start"}, indicator.ProgressRate: {"progress", "rate"},
	indicator.AttendanceRate: {"progress", "attendance_rate"}, indicator.CertificationRate: {"certification", "rate"},
	indicator.GainRate: {"learning_gain", "rate"}, indicator.MeanGain: {"learning_gain", "mean_gain"},
	indicator.QualifiedOutflowRate: {"outflow", "qualified_rate"}, indicator.EarlyLeaverRate: {"outflow", "early_leaver_rate"},
	indicator.EffectRate: {"effects", "rate"}, indicator.WellbeingRate: {"wellbeing", "rate"},
	indicator.InvolvementRate: {"involvement", "rate"}, indicator.SatisfactionRate: {"survey", "learner", "satisfaction", "rate"},
	indicator.StaffWellbeingRate:  {"survey", "staff", "wellbeing", "rate"},
	indicator.PartnerSatisfaction: {"survey", "partner", "satisfaction", "rate"},
}

// jsonValue returns a figure's value in a JSON form: a float64, the string
// "<5", or nil.
func jsonValue(t testing.TB, doc map[string]any, code string) any {
	t.Helper()
	path, ok := jsonPaths[code]
	if !ok {
		t.Fatalf("no JSON path for %s", code)
	}
	v := doc["indicators"]
	for _, k := range path {
		v = v.(map[string]any)[k]
	}
	return v
}

// checkCell compares a raw cell with a JSON value: numbers exactly (the
// workbook holds the shortest text that reads back as the same float64).
func checkCell(t testing.TB, what, got string, want any) {
	t.Helper()
	switch w := want.(type) {
	case nil:
		if got != "" {
			t.Errorf("%s = %q, want empty (null in JSON)", what, got)
		}
	case string:
		if got != w {
			t.Errorf("%s = %q, want %q", what, got, w)
		}
	case float64:
		v, err := strconv.ParseFloat(got, 64)
		if err != nil || v != w {
			t.Errorf("%s = %q, want the number %v", what, got, w)
		}
	default:
		t.Fatalf("%s: unexpected JSON value %T", what, want)
	}
}

// readExpected reads one of the conformance files.
func readExpected(t *testing.T, file string) map[string]any {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(conformanceDir, file))
	if err != nil {
		t.Fatal(err)
	}
	var want map[string]any
	if err := json.Unmarshal(raw, &want); err != nil {
		t.Fatal(err)
	}
	return want
}

func TestOverviewEqualsJSONForm(t *testing.T) {
	ds := loadConformance(t)
	for _, tc := range conformanceCases {
		t.Run(tc.file, func(t *testing.T) {
			want := readExpected(t, tc.file)
			p := tc.params()
			data, _ := writeBook(t, ds, p, true)
			got := overview(t, openBook(t, data))
			figs := indicator.Compute(ds, p).Figures()
			if len(got) != len(figs) {
				t.Fatalf("overview has %d figures, want %d", len(got), len(figs))
			}
			for _, fig := range figs {
				row, ok := got[fig.Code]
				if !ok {
					t.Fatalf("overview lacks %s", fig.Code)
				}
				checkCell(t, fig.Code+" Waarde", row["Waarde"], jsonValue(t, want, fig.Code))
				for _, c := range []struct {
					label string
					a     indicator.Amount
				}{{"Teller", fig.Numerator}, {"Noemer", fig.Denominator}} {
					var w any
					if c.a.Valid {
						w = c.a.Value
					}
					checkCell(t, fig.Code+" "+c.label, row[c.label], w)
				}
			}
		})
	}
}

// denominators name, per rate or mean column key, the count column it is
// judged by (spec/indicators.md, "Small-cell suppression").
var denominators = map[string][]string{
	"access.rate": {"access.judged"}, "access.median_days_to_start": {"access.on_time", "access.late"},
	"progress.rate": {"progress.cohort"}, "progress.attendance_rate": {"progress.cohort"},
	"progress.hours_attended": {"progress.cohort"}, "progress.planned_hours": {"progress.cohort"},
	"certification.rate": {"certification.cohort"},
	"learning_gain.rate": {"learning_gain.assessed"}, "learning_gain.mean_gain": {"learning_gain.pairs"},
	"outflow.qualified_rate": {"outflow.total"}, "outflow.early_leaver_rate": {"outflow.total"},
	"effects.rate": {"effects.followed_up"}, "skill.mean_gain": {"skill.assessed"},
	"score.rate": {"score.count"}, "score.mean": {"score.count"},
}

func TestSuppressionHidesExactlySmallCells(t *testing.T) {
	ds := loadConformance(t)
	l, err := DefaultLayout()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range conformanceCases {
		t.Run(tc.file, func(t *testing.T) {
			p := tc.params()
			exactData, _ := writeBook(t, ds, p, true)
			shownData, _ := writeBook(t, ds, p, false)
			exact, shown := openBook(t, exactData), openBook(t, shownData)
			res := indicator.Compute(ds, p)
			b := &book{layout: l, res: res}
			small := 0
			for i := range l.Sheets {
				s := &l.Sheets[i]
				switch s.Kind {
				case KindIndicator, KindSkills, KindFigures, KindWellbeing:
				default:
					continue
				}
				cols := b.expand(s.Columns)
				er, sr := rows(t, exact, s.Name), rows(t, shown, s.Name)
				if len(er) != len(sr) {
					t.Fatalf("%s: %d rows exact, %d suppressed", s.Name, len(er), len(sr))
				}
				for r := tableTop(s); r < len(er); r++ {
					val := map[string]string{}
					for i, c := range cols {
						val[c.Key] = at(er[r], i)
					}
					for i, c := range cols {
						e, v := at(er[r], i), at(sr[r], i)
						where := fmt.Sprintf("%s!%s row %d", s.Name, c.Key, r+1)
						switch {
						case c.Format == "count":
							n, err := strconv.Atoi(e)
							if e != "" && err != nil {
								t.Fatalf("%s: exact count %q", where, e)
							}
							if e != "" && n >= 1 && n <= 4 {
								small++
								if v != indicator.SuppressedText {
									t.Errorf("%s = %q, want <5 (exact %d)", where, v, n)
								}
							} else if v != e {
								t.Errorf("%s = %q, want %q as exact", where, v, e)
							}
						case formatType(c.Format) == typeNumber:
							den := 0.0
							if code, ok := strings.CutPrefix(c.Key, "figure."); ok {
								in := &res.Indicators
								if key := val["key"]; key != l.Texts["total"] {
									in = res.Breakdowns.ByName(s.Breakdown).Get(key)
								}
								for _, f := range in.Figures() {
									if f.Code == code {
										den = f.Denominator.Value
									}
								}
								if code == indicator.AttendanceRate { // judged by the cohort, not the hours
									den = float64(in.Progress.Cohort.N)
								}
							} else {
								keys, ok := denominators[c.Key]
								if !ok {
									t.Fatalf("%s: test knows no denominator", where)
								}
								for _, k := range keys {
									n, _ := strconv.ParseFloat(val[k], 64)
									den += n
								}
							}
							if den < 5 {
								if v != "" {
									t.Errorf("%s = %q, want empty (denominator %v)", where, v, den)
								}
							} else if v != e {
								t.Errorf("%s = %q, want %q as exact (denominator %v)", where, v, e, den)
							}
						default:
							if v != e {
								t.Errorf("%s = %q, want %q as exact", where, v, e)
							}
						}
					}
				}
			}
			if small == 0 {
				t.Fatal("no small cell in the conformance data: the test checks nothing")
			}

			// The overview agrees with the suppressed JSON form and explains
			// every value it does not show.
			var buf bytes.Buffer
			if err := indicator.WriteJSON(&buf, res.Suppressed()); err != nil {
				t.Fatal(err)
			}
			var doc map[string]any
			if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
				t.Fatal(err)
			}
			for code, row := range overview(t, shown) {
				want := jsonValue(t, doc, code)
				checkCell(t, code+" Waarde", row["Waarde"], want)
				if hiddenValue := want == nil || want == indicator.SuppressedText; hiddenValue != (row["Opmerking"] != "") {
					t.Errorf("%s: Waarde %q with Opmerking %q", code, row["Waarde"], row["Opmerking"])
				}
				for _, label := range []string{"Teller", "Noemer"} {
					if n, err := strconv.Atoi(row[label]); err == nil && n >= 1 && n <= 4 {
						t.Errorf("%s %s shows the small count %d", code, label, n)
					}
				}
			}
		})
	}
}

// TestWellbeingSheetEqualsJSONForm reads every row of the Welbevinden sheet
// back and compares it with the JSON form of the conformance files: the
// total and every provider row for all eight measures, the learner
// attributes for the two observed ones only.
func TestWellbeingSheetEqualsJSONForm(t *testing.T) {
	ds := loadConformance(t)
	l, _ := DefaultLayout()
	for _, tc := range conformanceCases {
		t.Run(tc.file, func(t *testing.T) {
			want := readExpected(t, tc.file)
			data, _ := writeBook(t, ds, tc.params(), true)
			var s *Sheet
			for i := range l.Sheets {
				if l.Sheets[i].Kind == KindWellbeing {
					s = &l.Sheets[i]
				}
			}
			if s == nil {
				t.Fatal("the layout has no sheet of kind wellbeing")
			}
			rs := rows(t, openBook(t, data), s.Name)
			head := rs[tableTop(s)-1]
			col := map[string]int{}
			for i, c := range s.Columns {
				if head[i] != c.Label {
					t.Fatalf("column %d is %q, want %q", i+1, head[i], c.Label)
				}
				col[c.Key] = i
			}
			byLabel := map[string]string{}
			for code, label := range l.Measures {
				byLabel[label] = code
			}
			fields := map[string]string{"score.high": "high", "score.low": "low", "score.rate": "rate", "score.mean": "mean",
				"score.followed": "followed", "score.improved": "improved", "score.declined": "declined"}
			for n := 1; n <= 5; n++ {
				fields[fmt.Sprintf("score.distribution.%d", n)] = fmt.Sprintf("distribution.%d", n)
			}
			seen := map[string]int{}
			for _, r := range rs[tableTop(s):] {
				bd, key, code := at(r, col["breakdown"]), at(r, col["key"]), byLabel[at(r, col["measure"])]
				if code == "" {
					t.Fatalf("row %v: unknown measure", r)
				}
				doc := want["indicators"].(map[string]any)
				name := ""
				if bd != l.Texts["total"] {
					for n, label := range l.Breakdowns {
						if label == bd {
							name = n
						}
					}
					doc = want["breakdowns"].(map[string]any)[name].(map[string]any)[key].(map[string]any)
				}
				seen[name]++
				if strings.HasPrefix(code, "survey.") && name != "" && name != indicator.BreakdownProvider {
					t.Errorf("%s=%s has survey row %s: surveys are broken down by provider only", name, key, code)
					continue
				}
				var obj map[string]any = doc
				for _, k := range strings.Split(code, ".") {
					obj = obj[k].(map[string]any)
				}
				count := "observed"
				if strings.HasPrefix(code, "survey.") {
					count = "responses"
				}
				where := fmt.Sprintf("%s %s=%s", code, name, key)
				checkCell(t, where+" count", at(r, col["score.count"]), obj[count])
				for k, f := range fields {
					v, ok := obj[f]
					if d, isDist := strings.CutPrefix(f, "distribution."); isDist {
						v, ok = obj["distribution"].(map[string]any)[d], true
					}
					if !ok { // followed, improved, declined: observations only
						checkCell(t, where+" "+k, at(r, col[k]), nil)
						continue
					}
					checkCell(t, where+" "+k, at(r, col[k]), v)
				}
			}
			if seen[""] != len(Measures()) || seen[indicator.BreakdownProvider] == 0 || seen[indicator.BreakdownGender] == 0 {
				t.Errorf("rows per breakdown %v: want the %d measures of the total, provider and gender rows", seen, len(Measures()))
			}
		})
	}
}

var pseudonymRE = regexp.MustCompile(`^P-[0-9a-f]{12}$`)

func TestCasesSheetListsEveryCase(t *testing.T) {
	ds := loadConformance(t)
	l, _ := DefaultLayout()
	for _, tc := range conformanceCases {
		for _, exact := range []bool{true, false} {
			t.Run(fmt.Sprintf("%s/exact=%v", tc.file, exact), func(t *testing.T) {
				p := tc.params()
				data, st := writeBook(t, ds, p, exact)
				rs := rows(t, openBook(t, data), "Lerenden")
				ex := indicator.Explain(ds, p)
				// Every case of a learner: survey responses are no learners
				// (the Welbevinden sheet has their figures).
				cases := slices.DeleteFunc(ex.Cases, func(c indicator.Case) bool { return c.Indicator == indicator.IndicatorSurvey })
				if got := len(rs) - 1; got != len(cases) || st.Cases != len(cases) {
					t.Fatalf("Lerenden has %d rows (Stats.Cases %d), want %d cases", got, st.Cases, len(cases))
				}
				want := map[string]int{}
				for _, c := range cases {
					id := c.Learner
					if !exact {
						id = Pseudonym(testSecret, id)
					}
					want[l.Indicators[c.Indicator]+"|"+l.Classes[c.Indicator+"."+c.Class]+"|"+id]++
				}
				head := rs[0]
				col := func(label string) int {
					for i, h := range head {
						if h == label {
							return i
						}
					}
					t.Fatalf("Lerenden has no column %q", label)
					return -1
				}
				ci, cc, cl := col("Indicator"), col("Klasse"), col("Lerende")
				for _, r := range rs[1:] {
					if !exact && !pseudonymRE.MatchString(at(r, cl)) {
						t.Fatalf("learner %q is not pseudonymous", at(r, cl))
					}
					want[at(r, ci)+"|"+at(r, cc)+"|"+at(r, cl)]--
				}
				for k, n := range want {
					if n != 0 {
						t.Errorf("case %s: %d more in Explain than in the sheet", k, n)
					}
				}
			})
		}
	}
}

func TestFindingsSheet(t *testing.T) {
	ds := loadConformance(t)
	p := conformanceCases[0].params()
	data, st := writeBook(t, ds, p, false)
	rs := rows(t, openBook(t, data), "Datakwaliteit")
	want := quality.Check(ds, quality.Params{AsOf: p.AsOf, FollowupMonths: p.FollowupMonths, GraceDays: p.GraceDays})
	if len(want) == 0 {
		t.Fatal("no findings in the conformance data: the test checks nothing")
	}
	if len(rs)-1 != len(want) || st.Findings != len(want) {
		t.Fatalf("Datakwaliteit has %d rows (Stats %d), want %d findings", len(rs)-1, st.Findings, len(want))
	}
	for _, r := range rs[1:] {
		if !pseudonymRE.MatchString(at(r, 1)) {
			t.Fatalf("finding's learner %q is not pseudonymous", at(r, 1))
		}
	}
}

func TestWorkbookIsSoundXLSX(t *testing.T) {
	ds := loadConformance(t)
	data, _ := writeBook(t, ds, conformanceCases[0].params(), false)
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatalf("not a zip: %v", err)
	}
	charts := 0
	for _, zf := range zr.File {
		if regexp.MustCompile(`^xl/charts/chart\d+\.xml$`).MatchString(zf.Name) {
			charts++
		}
		if !strings.HasSuffix(zf.Name, ".xml") && !strings.HasSuffix(zf.Name, ".rels") {
			continue
		}
		rc, err := zf.Open()
		if err != nil {
			t.Fatal(err)
		}
		dec := xml.NewDecoder(rc)
		lastCol := 0
		for {
			tok, err := dec.Token()
			if errors.Is(err, io.EOF) {
				break
			} else if err != nil {
				t.Fatalf("%s does not parse as XML: %v", zf.Name, err)
			}
			// Excel repairs a sheet whose column widths are not in ascending order.
			if se, ok := tok.(xml.StartElement); ok && se.Name.Local == "col" {
				for _, a := range se.Attr {
					if a.Name.Local == "min" {
						n, _ := strconv.Atoi(a.Value)
						if n <= lastCol {
							t.Fatalf("%s: <col min=%d> after column %d", zf.Name, n, lastCol)
						}
						lastCol = n
					}
				}
			}
		}
		rc.Close()
	}
	if charts < 2 {
		t.Fatalf("%d charts, want at least 2", charts)
	}

	f := openBook(t, data)
	l, _ := DefaultLayout()
	if got := f.GetSheetList(); len(got) != len(l.Sheets) || got[0] != "Overzicht" {
		t.Fatalf("sheets %v, want those of the layout", got)
	}
	// Dates are numbers in a date format; rates numbers in a percent format.
	for _, c := range []struct{ sheet, cell, raw, format string }{
		{"Overzicht", "C3", "45536", "dd/mm/yyyy"},
	} {
		v, _ := f.GetCellValue(c.sheet, c.cell)
		if v != c.raw {
			t.Errorf("%s!%s = %q, want the serial date %s", c.sheet, c.cell, v, c.raw)
		}
		id, _ := f.GetCellStyle(c.sheet, c.cell)
		st, _ := f.GetStyle(id)
		if st.CustomNumFmt == nil || *st.CustomNumFmt != c.format {
			t.Errorf("%s!%s has number format %v, want %s", c.sheet, c.cell, st.CustomNumFmt, c.format)
		}
	}
	rs := rows(t, f, "Overzicht")
	version := false
	for _, r := range rs {
		if at(r, 0) == "Versie van de definities" && at(r, 2) == strconv.Itoa(indicator.DefinitionsVersion) {
			version = true
		}
	}
	if !version {
		t.Errorf("Overzicht does not state the definitions version %d", indicator.DefinitionsVersion)
	}
	for i, r := range rs {
		if at(r, 0) != indicator.AccessRate {
			continue
		}
		ref, _ := excelize.CoordinatesToCellName(5, i+1)
		typ, _ := f.GetCellType("Overzicht", ref)
		id, _ := f.GetCellStyle("Overzicht", ref)
		st, _ := f.GetStyle(id)
		if typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber || st.CustomNumFmt == nil || *st.CustomNumFmt != "0.0%" {
			t.Errorf("ACCESS_RATE Waarde: type %v, format %v; want a number in 0.0%%", typ, st.CustomNumFmt)
		}
	}
	for _, s := range l.Sheets {
		if !s.Freeze {
			continue
		}
		panes, err := f.GetPanes(s.Name)
		if err != nil || !panes.Freeze || panes.YSplit != tableTop(&s) {
			t.Errorf("%s: panes %+v, %v; want the rows to %d frozen", s.Name, panes, err, tableTop(&s))
		}
	}
	names := f.GetDefinedName()
	filters := map[string]bool{}
	for _, n := range names {
		if n.Name == "_xlnm._FilterDatabase" {
			filters[strings.Trim(strings.Split(n.RefersTo, "!")[0], "'")] = true
		}
	}
	for _, s := range l.Sheets {
		if s.Autofilter != filters[s.Name] {
			t.Errorf("%s: autofilter %v, want %v", s.Name, filters[s.Name], s.Autofilter)
		}
	}
}

func TestPseudonym(t *testing.T) {
	a := Pseudonym(testSecret, "L0001")
	if !pseudonymRE.MatchString(a) {
		t.Fatalf("Pseudonym = %q, want P- and 12 hex digits", a)
	}
	if b := Pseudonym(testSecret, "L0001"); b != a {
		t.Fatalf("Pseudonym is not stable: %q then %q", a, b)
	}
	if b := Pseudonym(testSecret, "L0002"); b == a {
		t.Fatalf("two learners share pseudonym %q", a)
	}
	if b := Pseudonym([]byte("another secret of thirty-two byt"), "L0001"); b == a {
		t.Fatalf("pseudonym %q does not depend on the secret", a)
	}
}

func TestWriteNeedsSecretUnlessExact(t *testing.T) {
	ds := loadConformance(t)
	p := conformanceCases[0].params()
	_, err := Write(io.Discard, ds, Options{Params: p})
	if domain.ErrorCode(err) != domain.EINVALID {
		t.Fatalf("Write without secret: %v, want EINVALID", err)
	}
	if _, err := Write(io.Discard, ds, Options{Params: p, Exact: true}); err != nil {
		t.Fatalf("exact Write without secret: %v", err)
	}
	p.To = p.From - 1
	if _, err := Write(io.Discard, ds, Options{Params: p, Exact: true}); domain.ErrorCode(err) != domain.EINVALID {
		t.Fatalf("Write with from after to: %v, want EINVALID", err)
	}
}

func TestDefaultLayoutIsValid(t *testing.T) {
	l, err := DefaultLayout()
	if err != nil {
		t.Fatal(err)
	}
	if len(l.Sheets) == 0 || l.sheet("Overzicht") == nil || l.sheet("Lerenden") == nil || l.sheet("Datakwaliteit") == nil {
		t.Fatalf("sheets %v lack Overzicht, Lerenden or Datakwaliteit", l.Sheets)
	}
}

func TestLayoutMistakesAreFound(t *testing.T) {
	base, err := os.ReadFile("../../reports/" + DefaultLayoutFile)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ name, old, new, want string }{
		{"unknown field", `"freeze": true, "autofilter": true,`, `"freze": true, "autofilter": true,`, `unknown field "freze"`},
		{"unknown kind", `"kind": "findings"`, `"kind": "finding"`, `unknown kind "finding"`},
		{"unknown key", `{"key": "access.late",`, `{"key": "access.later",`, `unknown column key "access.later"`},
		{"key of another indicator", `{"key": "effects.rate",`, `{"key": "access.rate",`, `unknown column key "access.rate"`},
		{"format of the wrong type", `{"key": "access.rate", "label": "workbook.column.access.rate", "format": "rate"`, `{"key": "access.rate", "label": "workbook.column.access.rate", "format": "date"`, "holds numbers, not dates"},
		{"unknown format", `"format": "mean", "width": 9}`, `"format": "average", "width": 9}`, `unknown format "average"`},
		{"long sheet name", `"name": "workbook.sheet.skills"`, `"name": "workbook.sheet.wellbeing.title"`, "longer than 31"},
		{"same sheet name", `"name": "workbook.sheet.effects"`, `"name": "explain.score.wellbeing"`, "used twice"}, // welbevinden, Welbevinden
		{"bad character", `"name": "workbook.sheet.effects"`, `"name": "workbook.text.note_undefined"`, "holds one of"},
		{"missing class", `"effects.not_followed_up": "class.effects.not_followed_up"`, `"effects.not_followed": "class.effects.not_followed_up"`, `no text for "effects.not_followed_up"`},
		{"a text, not a key", `"label": "workbook.column.definition"`, `"label": "Definitie"`, `sheets[1].columns[2].label: "Definitie" is no key of the catalogue`},
		{"an unknown key", `"effects.not_followed_up": "class.effects.not_followed_up"`, `"effects.not_followed_up": "class.effects.not_followed"`, `classes "effects.not_followed_up": "class.effects.not_followed" is no key`},
		{"unknown figure", `{"code": "EFFECT_RATE",`, `{"code": "EFFECTS_RATE",`, "figure EFFECT_RATE is missing"},
		{"figure format", `"format": "days", "numerator_format"`, `"format": "rate", "numerator_format"`, "MEDIAN_DAYS_TO_START: format \"rate\""},
		{"unknown code list", `{"key": "outflow.reasons.*"`, `{"key": "outflow.motives.*"`, `unknown column key "outflow.motives.*"`},
		{"chart bounds", `"axis_min": 0, "axis_max": 1`, `"axis_min": 1, "axis_max": 0`, "axis_min must be below axis_max"},
		{"chart series", `"series": ["skill.mean_gain"]`, `"series": ["skill.mean"]`, `series "skill.mean" is no column`},
		{"chart of text", `"series": ["skill.mean_gain"]`, `"series": ["skill"]`, `does not hold numbers`},
		{"two overviews", `"name": "workbook.sheet.definitions", "kind": "definitions"`, `"name": "workbook.sheet.definitions", "kind": "overview", "header": [{"key": "from", "label": "workbook.header.from", "format": "date"}]`, "2 sheets of kind overview"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if !bytes.Contains(base, []byte(tc.old)) {
				t.Fatalf("the layout no longer holds %s", tc.old)
			}
			_, err := ParseLayout(bytes.Replace(base, []byte(tc.old), []byte(tc.new), 1))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("ParseLayout = %v, want an error containing %q", err, tc.want)
			}
		})
	}
}
