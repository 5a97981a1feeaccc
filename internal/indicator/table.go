package indicator

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/locale"
)

// WriteTable writes WriteTableIn's summary in Dutch, as traject
// indicators shows it.
func WriteTable(w io.Writer, r *Result) error { return WriteTableIn(w, r, locale.Default) }

// WriteTableIn writes a readable summary of r for the terminal in lang: per
// figure its teller, noemer and value, the counts per indicator, and the
// figures per provider. Suppressed counts read "<5", rates over a small
// cell "n<5". Every text is a key of the catalogue (table.…).
func WriteTableIn(w io.Writer, r *Result, lang string) error {
	ew := &errWriter{w: w}
	t := func(key string, args ...any) string { return locale.T(lang, key, args...) }
	prov := t("table.all_providers")
	if r.Provider != "" {
		prov = t("table.provider", r.Provider)
	}
	ew.printf("%s\n", t("table.title", r.Period.From, r.Period.To, r.Period.AsOf, prov))
	pa := r.Parameters
	ew.printf("%s\n\n", t("table.parameters", pa.StatutoryMonths, pa.WaitingListMonths, pa.GraceDays,
		number(lang, pa.MinHours, -1), pa.FollowupMonths))

	tw := tabwriter.NewWriter(ew, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, strings.Join([]string{t("table.col.indicator"), t("table.col.numerator"), t("table.col.denominator"), t("table.col.value")}, "\t"))
	for _, f := range r.Figures() {
		num := ""
		if f.Numerator.Valid {
			num = amountText(lang, f.Numerator, KindCount)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", t(f.LabelKey()), num, amountText(lang, f.Denominator, KindCount), amountText(lang, f.Value, f.Kind))
	}
	tw.Flush()

	in := &r.Indicators
	a, p, c, g, o, e := &in.Access, &in.Progress, &in.Certification, &in.LearningGain, &in.Outflow, &in.Effects
	ew.printf("\n%s\n", t("table.counts"))
	ew.printf("  %s\n", t("table.access", a.Cohort, a.OnTime, a.Late, a.WaitingOverdue, a.WaitingInTerm, a.WaitingList))
	ew.printf("  %s\n", t("table.progress", p.Cohort, p.OnTrack, c.Certified))
	ew.printf("  %s\n", t("table.learning_gain", g.Participants, g.Assessed, g.Gained))
	var sk []string
	for k, s := range g.BySkill {
		sk = append(sk, t("table.skill", locale.New(domain.Skill(k).Key()), s.Gained, s.Assessed, numberText(lang, s.MeanGain, KindMean)))
	}
	ew.printf("    %s\n", t("table.skills", strings.Join(sk, "; ")))
	ew.printf("  %s\n", t("table.outflow", o.Total, o.Qualified, o.Transfer, o.EarlyLeaver))
	if len(o.Reasons) > 0 {
		ew.printf("    %s\n", t("table.reasons", countsText(lang, o.Reasons, domain.OutflowReasons)))
	}
	if len(o.Destinations) > 0 {
		ew.printf("    %s\n", t("table.destinations", countsText(lang, o.Destinations, domain.Destinations)))
	}
	ew.printf("  %s\n", t("table.effects", e.FollowedUp, e.Positive))
	for _, ob := range []struct {
		key string
		o   *Observed
	}{{"table.wellbeing", &in.Wellbeing}, {"table.involvement", &in.Involvement}} {
		o := ob.o
		ew.printf("  %s\n", t("table.observed", locale.New(ob.key), o.Observed, o.High, numberText(lang, o.Rate, KindRate), o.Low,
			numberText(lang, o.Mean, KindMean), o.Followed, o.Improved, o.Declined, distributionText(o.Distribution)))
	}
	for i, f := range in.Survey.slots() {
		if f.Responses.N == 0 && !f.Responses.Suppressed {
			continue
		}
		sl := surveySlots[i]
		ew.printf("  %s\n", t("table.survey", locale.Code(lang, domain.RespondentKinds.Name, sl.respondent), locale.New("explain.score."+sl.score),
			f.Responses, f.High, numberText(lang, f.Rate, KindRate), f.Low, numberText(lang, f.Mean, KindMean), distributionText(f.Distribution)))
	}

	b := &r.Breakdowns.Provider
	if len(b.Rows) > 0 {
		ew.printf("\n%s\n", t("table.by_provider"))
		tw = tabwriter.NewWriter(ew, 0, 0, 2, ' ', 0)
		head := []string{t("table.col.provider")}
		for _, d := range FigureDefs {
			head = append(head, t(d.ShortKey()))
		}
		fmt.Fprintln(tw, strings.Join(head, "\t"))
		row := func(name string, fs []Figure) {
			cells := []string{name}
			for _, f := range fs {
				cells = append(cells, amountText(lang, f.Value, f.Kind))
			}
			fmt.Fprintln(tw, strings.Join(cells, "\t"))
		}
		row(t("table.total"), r.Figures())
		for i := range b.Rows {
			row(b.Rows[i].Key, b.Figures(i))
		}
		tw.Flush()
	}
	ew.printf("\n%s\n", t("table.legend", SuppressedText, SmallCellMax, SuppressedText, MinDenominator))
	return ew.err
}

// errWriter keeps the first write error so the table code can stay linear.
type errWriter struct {
	w   io.Writer
	err error
}

// Write writes p unless an earlier write failed.
func (e *errWriter) Write(p []byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	n, err := e.w.Write(p)
	e.err = err
	return n, err
}

func (e *errWriter) printf(format string, args ...any) { fmt.Fprintf(e, format, args...) }

// number formats v with the given decimals (-1: as few as needed) and the
// decimal mark of lang.
func number(lang string, v float64, decimals int) string {
	return strings.Replace(strconv.FormatFloat(v, 'f', decimals, 64), ".", locale.T(lang, "number.decimal"), 1)
}

// amountText formats an amount of the given kind for the table.
func amountText(lang string, a Amount, kind Kind) string {
	switch {
	case !a.Valid:
		return "–"
	case a.Suppressed && a.Count:
		return SuppressedText
	case a.Suppressed:
		return "n" + SuppressedText
	}
	switch kind {
	case KindRate:
		return number(lang, a.Value*100, 1) + "%"
	case KindDays:
		return locale.T(lang, "table.days", number(lang, a.Value, 1))
	case KindMean:
		return number(lang, a.Value, 2)
	}
	return number(lang, a.Value, -1)
}

func numberText(lang string, n Number, kind Kind) string {
	return amountText(lang, numberAmount(n), kind)
}

func countsText(lang string, m map[string]Count, list *domain.CodeList) string {
	var parts []string
	for _, code := range slices.Sorted(maps.Keys(m)) {
		parts = append(parts, fmt.Sprintf("%s %s", locale.Code(lang, list.Name, code), m[code]))
	}
	return strings.Join(parts, ", ")
}

// distributionText is a distribution as "0/1/3/5/2".
func distributionText(d Distribution) string {
	parts := make([]string, len(d))
	for i, c := range d {
		parts[i] = c.String()
	}
	return strings.Join(parts, "/")
}
