package risk

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// WriteJSON writes a Listing or a Report in the JSON form of spec/
// early-warning.md, indented as the indicators' JSON is.
func WriteJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", " ")
	return enc.Encode(v)
}

// WriteTable writes a Listing as a Dutch table for the terminal: the model
// and its validation in words, then one line per enrollment with its
// reasons, or why there is no estimate.
func WriteTable(w io.Writer, l *Listing) error {
	v := l.Model.Validation
	fmt.Fprintf(w, "Inschatting vroegtijdige uitstroom op %s", l.AsOf)
	if l.Provider != nil {
		fmt.Fprintf(w, " (aanbieder %s)", *l.Provider)
	}
	model := "Model"
	if l.Model.ID != 0 {
		model = fmt.Sprintf("Model %d", l.Model.ID)
	}
	fmt.Fprintf(w, "\n%s geleerd op %s tot %s (gegevens tot %s), gevalideerd op %s tot %s: AUC %s, precisie bij 10 %% %s, gevonden bij 10 %% %s\n\n",
		model, l.Model.TrainFrom, l.Model.TrainTo, l.Model.Trained, v.TestFrom, v.TestTo,
		figure(v.AUC, false), figure(v.PrecisionAt10, true), figure(v.RecallAt10, true))
	if l.Refused != nil {
		_, err := fmt.Fprintf(w, "%s\n", l.Refused.Text)
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "rang\tlerende\tgroep\tkans\tredenen")
	for _, e := range l.Enrollments {
		texts := make([]string, len(e.Reasons))
		for i, r := range e.Reasons {
			texts[i] = r.Text
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s %%\t%s\n", e.Rank, e.Learner, e.Group, formatDecimal(e.Risk*100, 0), strings.Join(texts, "; "))
	}
	if len(l.Enrollments) == 0 {
		fmt.Fprintln(tw, "geen lopende inschrijvingen")
	}
	return tw.Flush()
}

// figure writes a validation figure in Dutch, as a percentage when pct; a
// dash when it is not defined.
func figure(v *float64, pct bool) string {
	switch {
	case v == nil:
		return "–"
	case pct:
		return formatDecimal(*v*100, 0) + " %"
	}
	return formatDecimal(*v, 2)
}
