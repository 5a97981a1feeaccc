package interchange

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// writeSynthetic writes a data set of n learners with about ten rows each
// (two enrollments, three evaluations, …), as a provider's year of data.
func writeSynthetic(tb testing.TB, dir string, n int) (rows int) {
	tb.Helper()
	files := map[string]*bufio.Writer{}
	var closers []*os.File
	out := func(ent string) *bufio.Writer {
		if w, ok := files[ent]; ok {
			return w
		}
		f, err := os.Create(filepath.Join(dir, ent+".csv"))
		if err != nil {
			tb.Fatal(err)
		}
		closers = append(closers, f)
		w := bufio.NewWriterSize(f, 1<<16)
		files[ent] = w
		fmt.Fprintln(w, joinColumns(EntityNamed(ent).Columns))
		return w
	}
	line := func(ent, format string, args ...any) {
		fmt.Fprintf(out(ent), format+"\n", args...)
		rows++
	}
	line("providers", "CVO-A,CVO A Nederlands,cvo")
	modules := []string{"M1", "M2", "M3", "M4", "M5"}
	levels := []string{"A0", "A1.1", "A1", "A2.1", "A2", "B1.1"}
	for i, m := range modules {
		line("modules", "%s,CVO-A,Module %d,NT2 Richtgraad 1,%s,%s,,120", m, i+1, levels[i], levels[i+1])
	}
	groups := n / 20
	for g := range groups {
		line("groups", "G%06d,%s,2025-%02d-01,2025-%02d-28,120,teacher%02d,standard", g, modules[g%5], 1+g%6, 7+g%6, g%40)
	}
	for l := range n {
		id := fmt.Sprintf("L%07d", l)
		line("learners", "%s,Fatima,Zhang,%d-%02d-%02d,%s,Arabisch,MA,primary,6,literate_latin,standard,obliged,work,counsellor%02d",
			id, 1960+l%40, 1+l%12, 1+l%28, []string{"f", "m", "x"}[l%3], l%30)
		line("referrals", "%s,2024-%02d-%02d,agentschap,CVO-A", id, 1+l%12, 1+l%28)
		line("placements", "%s,2024-12-%02d,M1,test,A0,A0,A0,A0,A0", id, 1+l%28)
		line("learner_goals", "%s,listening,A2,2024-12-%02d,2026-06-30", id, 1+l%28)
		line("learner_goals", "%s,reading,A2,2024-12-%02d,", id, 1+l%28)
		for e := range 2 {
			g := (l + e*groups/2) % groups
			line("enrollments", "%s,G%06d,2025-%02d-01,2025-%02d-28,completed,%d.5", id, g, 1+g%6, 7+g%6, 40+l%80)
			line("evaluations", "%s,G%06d,2025-%02d-15,formative,A1.1,A1.1,A1,A1.1,A0,none,teacher%02d,", id, g, 2+g%6, g%40)
			if e == 0 {
				line("evaluations", "%s,G%06d,2025-%02d-27,module_end,A1,A1,A2.1,A1,A1,pass,teacher%02d,\"Goed gewerkt; blijf oefenen.\nTot volgende keer.\"",
					id, g, 7+g%6, g%40)
			}
		}
		if l%2 == 0 {
			line("outflows", "%s,2025-12-%02d,qualified,,work,CVO-A", id, 1+l%28)
			line("followups", "%s,2026-06-%02d,work", id, 1+l%28)
		}
		if l%3 == 0 {
			line("certificates", "%s,module,M1,2025-09-%02d,DC-%07d,A1", id, 1+l%28, l)
		}
	}
	for _, w := range files {
		if err := w.Flush(); err != nil {
			tb.Fatal(err)
		}
	}
	for _, f := range closers {
		f.Close()
	}
	return rows
}

func joinColumns(cols []string) string {
	s := cols[0]
	for _, c := range cols[1:] {
		s += "," + c
	}
	return s
}

// BenchmarkReadDir reads 100,000 learners: about 1.1 million rows, of which
// 200,000 enrollments.
func BenchmarkReadDir(b *testing.B) {
	dir := b.TempDir()
	rows := writeSynthetic(b, dir, 100_000)
	b.ResetTimer()
	for b.Loop() {
		batch, rowErrs, err := ReadDir(dir, nil)
		if err != nil || len(rowErrs) > 0 {
			b.Fatal(err, rowErrs[:min(len(rowErrs), 5)])
		}
		if len(batch.Enrollments) != 200_000 {
			b.Fatalf("%d enrollments", len(batch.Enrollments))
		}
	}
	b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkValidate validates the same data set.
func BenchmarkValidate(b *testing.B) {
	dir := b.TempDir()
	rows := writeSynthetic(b, dir, 100_000)
	batch, _, err := ReadDir(dir, nil)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		if errs := Validate(batch, nil); len(errs) > 0 {
			b.Fatal(errs[:min(len(errs), 5)])
		}
	}
	b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkWriteDir exports the same data set.
func BenchmarkWriteDir(b *testing.B) {
	dir := b.TempDir()
	rows := writeSynthetic(b, dir, 100_000)
	batch, _, err := ReadDir(dir, nil)
	if err != nil {
		b.Fatal(err)
	}
	out := b.TempDir()
	b.ResetTimer()
	for b.Loop() {
		if err := WriteDir(out, &batch.DataSet); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

// foreignLearners rewrites learners.csv of dir as another system writes
// it — a title line, Dutch headers, semicolons, D/M/YYYY dates, M/V — and
// returns the profile that reads it back.
func foreignLearners(tb testing.TB, dir, out string) *Profile {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "learners.csv"))
	if err != nil {
		tb.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
	var sb strings.Builder
	sb.WriteString("Cursistenlijst\nStamnummer;Voornaam;Familienaam;Geboortedatum;Geslacht;Thuistaal;Geboorteland;Scholing;Jaren;Alfabetisering;Leerroute;Inburgering;Perspectief;Begeleider\n")
	gender := map[string]string{"f": "V", "m": "M", "x": "X"}
	for _, l := range lines[1:] {
		f := strings.Split(l, ",")
		var y, m, d int
		fmt.Sscanf(f[3], "%d-%d-%d", &y, &m, &d)
		f[3], f[4] = fmt.Sprintf("%d/%d/%d", d, m, y), gender[f[4]]
		sb.WriteString(strings.Join(f, ";"))
		sb.WriteByte('\n')
	}
	if err := os.WriteFile(filepath.Join(out, "Cursisten-2026-03.csv"), []byte(sb.String()), 0o644); err != nil {
		tb.Fatal(err)
	}
	p, err := ParseProfile([]byte(`{"name": "bench", "files": [{"match": "Cursisten*.csv", "entity": "learners", "skip_rows": 1,
		"date_format": "D/M/YYYY", "columns": {"id": "Stamnummer", "first_name": "Voornaam", "last_name": "Familienaam",
		"birth_date": "Geboortedatum", "gender": "Geslacht", "home_language": "Thuistaal", "country_of_birth": "Geboorteland",
		"schooling_level": "Scholing", "schooling_years": "Jaren", "literacy": "Alfabetisering", "learning_route": "Leerroute",
		"civic_status": "Inburgering", "perspective": "Perspectief", "counsellor": "Begeleider"},
		"values": {"gender": {"V": "f", "M": "m", "X": "x"}}}]}`), "bench")
	if err != nil {
		tb.Fatal(err)
	}
	return p
}

// BenchmarkReadProfile reads 100,000 learners from another system's file
// with a mapping profile; BenchmarkReadLearners reads the same learners in
// the interchange format (issue 12: within 1.3× of it).
func BenchmarkReadProfile(b *testing.B) {
	dir, foreign := b.TempDir(), b.TempDir()
	writeSynthetic(b, dir, 100_000)
	p := foreignLearners(b, dir, foreign)
	want, _, err := Read(filepath.Join(dir, "learners.csv"), nil)
	if err != nil {
		b.Fatal(err)
	}
	got, rowErrs, err := ReadProfile(foreign, p, nil)
	if err != nil || len(rowErrs) > 0 {
		b.Fatal(err, rowErrs[:min(len(rowErrs), 5)])
	}
	if !reflect.DeepEqual(got.Learners, want.Learners) {
		b.Fatal("the profile reads other learners than the interchange file")
	}
	b.ResetTimer()
	for b.Loop() {
		if _, rowErrs, err := ReadProfile(foreign, p, nil); err != nil || len(rowErrs) > 0 {
			b.Fatal(err, rowErrs[:min(len(rowErrs), 5)])
		}
	}
	b.ReportMetric(100_000*float64(b.N)/b.Elapsed().Seconds(), "learners/s")
}

func BenchmarkReadLearners(b *testing.B) {
	dir := b.TempDir()
	writeSynthetic(b, dir, 100_000)
	b.ResetTimer()
	for b.Loop() {
		if _, rowErrs, err := Read(filepath.Join(dir, "learners.csv"), nil); err != nil || len(rowErrs) > 0 {
			b.Fatal(err, rowErrs[:min(len(rowErrs), 5)])
		}
	}
	b.ReportMetric(100_000*float64(b.N)/b.Elapsed().Seconds(), "learners/s")
}
