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

// WriteTable writes a readable Dutch summary of r for the terminal: per figure
// its teller, noemer and value, the counts per indicator, and the figures per
// provider. Suppressed counts read "<5", rates over a small cell "n<5".
func WriteTable(w io.Writer, r *Result) error {
	ew := &errWriter{w: w}
	prov := "alle aanbieders"
	if r.Provider != "" {
		prov = "aanbieder " + r.Provider
	}
	ew.printf("Indicatoren %s – %s (peildatum %s), %s\n", r.Period.From, r.Period.To, r.Period.AsOf, prov)
	pa := r.Parameters
	ew.printf("Parameters: wettelijke termijn %d maanden, wachtlijst na %d maanden, %d dagen marge, deelnemer vanaf %s uren, opvolging binnen %d maanden\n\n",
		pa.StatutoryMonths, pa.WaitingListMonths, pa.GraceDays, dutchNumber(pa.MinHours, -1), pa.FollowupMonths)

	tw := tabwriter.NewWriter(ew, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "Indicator\tTeller\tNoemer\tWaarde")
	for _, f := range r.Figures() {
		num := ""
		if f.Numerator.Valid {
			num = amountText(f.Numerator, KindCount)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", locale.T("nl", f.LabelKey()), num, amountText(f.Denominator, KindCount), amountText(f.Value, f.Kind))
	}
	tw.Flush()

	in := &r.Indicators
	a, p, c, g, o, e := &in.Access, &in.Progress, &in.Certification, &in.LearningGain, &in.Outflow, &in.Effects
	ew.printf("\nAantallen\n")
	ew.printf("  Aanmeldingen %s: tijdig %s, laat %s, wachtend na de termijn %s, wachtend binnen de termijn %s; wachtlijst %s\n",
		a.Cohort, a.OnTime, a.Late, a.WaitingOverdue, a.WaitingInTerm, a.WaitingList)
	ew.printf("  Inschrijvingen %s: geslaagd op tijd %s, deelcertificaat op tijd %s\n", p.Cohort, p.OnTrack, c.Certified)
	ew.printf("  Deelnemers %s: getoetst %s, met leerwinst %s\n", g.Participants, g.Assessed, g.Gained)
	var sk []string
	for k, s := range g.BySkill {
		sk = append(sk, fmt.Sprintf("%s %s/%s (gem. %s)", locale.T("nl", domain.Skill(k).Key()), s.Gained, s.Assessed, numberText(s.MeanGain, KindMean)))
	}
	ew.printf("    per vaardigheid (met winst/getoetst): %s\n", strings.Join(sk, "; "))
	ew.printf("  Uitstromers %s: gekwalificeerd %s, doorstroom %s, vroegtijdig %s\n", o.Total, o.Qualified, o.Transfer, o.EarlyLeaver)
	if len(o.Reasons) > 0 {
		ew.printf("    redenen: %s\n", countsText(o.Reasons, domain.OutflowReasons))
	}
	if len(o.Destinations) > 0 {
		ew.printf("    bestemmingen: %s\n", countsText(o.Destinations, domain.Destinations))
	}
	ew.printf("  Opgevolgd %s: positief %s\n", e.FollowedUp, e.Positive)
	for _, ob := range []struct {
		name string
		o    *Observed
	}{{"Welbevinden", &in.Wellbeing}, {"Betrokkenheid", &in.Involvement}} {
		o := ob.o
		ew.printf("  %s: geobserveerd %s, hoog %s (%s), laag %s, gemiddeld %s; gevolgd %s: beter %s, slechter %s; verdeling 1–5: %s\n",
			ob.name, o.Observed, o.High, numberText(o.Rate, KindRate), o.Low, numberText(o.Mean, KindMean),
			o.Followed, o.Improved, o.Declined, distributionText(o.Distribution))
	}
	for i, f := range in.Survey.slots() {
		if f.Responses.N == 0 && !f.Responses.Suppressed {
			continue
		}
		sl := surveySlots[i]
		ew.printf("  Bevraging %s, %s: %s antwoorden, hoog %s (%s), laag %s, gemiddeld %s; verdeling 1–5: %s\n",
			locale.Code("nl", domain.RespondentKinds.Name, sl.respondent), surveyScoreLabels[sl.score], f.Responses, f.High,
			numberText(f.Rate, KindRate), f.Low, numberText(f.Mean, KindMean), distributionText(f.Distribution))
	}

	b := &r.Breakdowns.Provider
	if len(b.Rows) > 0 {
		ew.printf("\nPer aanbieder\n")
		tw = tabwriter.NewWriter(ew, 0, 0, 2, ' ', 0)
		head := []string{"Aanbieder"}
		for _, d := range FigureDefs {
			head = append(head, locale.T("nl", d.ShortKey()))
		}
		fmt.Fprintln(tw, strings.Join(head, "\t"))
		row := func(name string, fs []Figure) {
			cells := []string{name}
			for _, f := range fs {
				cells = append(cells, amountText(f.Value, f.Kind))
			}
			fmt.Fprintln(tw, strings.Join(cells, "\t"))
		}
		row("Totaal", r.Figures())
		for i := range b.Rows {
			row(b.Rows[i].Key, b.Figures(i))
		}
		tw.Flush()
	}
	ew.printf("\n%s: aantal van 1 tot %d, verborgen; n%s: noemer kleiner dan %d, verborgen; –: niet te berekenen (noemer 0)\n",
		SuppressedText, SmallCellMax, SuppressedText, MinDenominator)
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

// dutchNumber formats v with a decimal comma and the given decimals (-1: as few as needed).
func dutchNumber(v float64, decimals int) string {
	return strings.Replace(strconv.FormatFloat(v, 'f', decimals, 64), ".", ",", 1)
}

// amountText formats an amount of the given kind for the table.
func amountText(a Amount, kind Kind) string {
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
		return dutchNumber(a.Value*100, 1) + "%"
	case KindDays:
		return dutchNumber(a.Value, 1) + " d"
	case KindMean:
		return dutchNumber(a.Value, 2)
	}
	return dutchNumber(a.Value, -1)
}

func numberText(n Number, kind Kind) string { return amountText(numberAmount(n), kind) }

func countsText(m map[string]Count, list *domain.CodeList) string {
	var parts []string
	for _, code := range slices.Sorted(maps.Keys(m)) {
		parts = append(parts, fmt.Sprintf("%s %s", locale.Code("nl", list.Name, code), m[code]))
	}
	return strings.Join(parts, ", ")
}

// surveyScoreLabels are the Dutch names of the scores of §9.
var surveyScoreLabels = map[string]string{"wellbeing": "welbevinden", "involvement": "betrokkenheid", "satisfaction": "tevredenheid"}

// distributionText is a distribution as "0/1/3/5/2".
func distributionText(d Distribution) string {
	parts := make([]string, len(d))
	for i, c := range d {
		parts[i] = c.String()
	}
	return strings.Join(parts, "/")
}
