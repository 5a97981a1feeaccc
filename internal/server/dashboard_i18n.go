package server

import (
	"fmt"
	"slices"
	"strings"

	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/indicator"
)

// The dashboard's and drill-down's part of the message catalogue. It is
// kept beside the pages and merged into messages at start-up, so that pages
// built in parallel do not edit one map; a key defined twice panics.

var dashboardMessages = map[string][2]string{
	"title.dashboard": {"Dashboard", "Dashboard"},
	"title.drilldown": {"Gevallen", "Cases"},

	"dash.title":                     {"Dashboard resultaten en effecten", "Dashboard of results and effects"},
	"dash.period":                    {"Periode", "Period"},
	"dash.period.this_year":          {"Dit schooljaar", "This school year"},
	"dash.period.last_year":          {"Vorig schooljaar", "Last school year"},
	"dash.period.last_quarter":       {"Vorig kwartaal", "Last quarter"},
	"dash.period.custom":             {"Zelf kiezen", "Custom range"},
	"dash.from":                      {"Van", "From"},
	"dash.to":                        {"Tot en met", "To"},
	"dash.asof":                      {"Peildatum", "As of"},
	"dash.customhint":                {"Van, tot en met en peildatum gelden bij 'Zelf kiezen'. Zonder peildatum geldt vandaag (binnen de periode) of het einde van de periode.", "From, to and as of apply to a custom range. Without an as-of date, today counts (inside the period) or else the period's end."},
	"dash.provider":                  {"Aanbieder", "Provider"},
	"dash.allproviders":              {"alle aanbieders", "all providers"},
	"dash.exact":                     {"Exacte aantallen (alleen binnen de eigen organisatie)", "Exact numbers (within your own organisation only)"},
	"dash.exact.on":                  {"Exacte aantallen: ook aantallen van 1 tot 4 staan er. Verspreid deze cijfers niet buiten de aanbieder.", "Exact numbers: counts from 1 to 4 are shown too. Do not share these figures outside the provider."},
	"dash.suppressed":                {"Kleine aantallen (1 tot 4) staan er als <5, en percentages en gemiddelden over minder dan 5 gevallen worden niet getoond (n<5), zoals buiten de aanbieder.", "Small counts (1 to 4) read <5, and rates and means over fewer than 5 cases are not shown (n<5), as outside the provider."},
	"dash.params":                    {"Parameters", "Parameters"},
	"dash.param.statutory_months":    {"Wettelijke termijn (maanden)", "Statutory period (months)"},
	"dash.param.waiting_list_months": {"Wachtlijst na (maanden)", "Waiting list after (months)"},
	"dash.param.grace_days":          {"Marge na einde groep (dagen)", "Grace after a group's end (days)"},
	"dash.param.min_hours":           {"Deelnemer vanaf (uren)", "Participant from (hours)"},
	"dash.param.followup_months":     {"Opvolging binnen (maanden)", "Follow-up within (months)"},
	"dash.scope":                     {"%s – %s, peildatum %s, %s", "%s – %s, as of %s, %s"},
	"dash.prevscope":                 {"Vergeleken met dezelfde periode een jaar eerder: %s – %s (peildatum %s).", "Compared with the same period a year earlier: %s – %s (as of %s)."},
	"dash.tiles":                     {"Indicatoren", "Indicators"},
	"dash.num":                       {"teller", "numerator"},
	"dash.den":                       {"noemer", "denominator"},
	"dash.prev":                      {"vorig jaar %s", "a year earlier %s"},
	"dash.delta.up":                  {"gestegen met %s tegenover %s een jaar eerder", "up %s from %s a year earlier"},
	"dash.delta.down":                {"gedaald met %s tegenover %s een jaar eerder", "down %s from %s a year earlier"},
	"dash.delta.same":                {"gelijk (%s) tegenover %s een jaar eerder", "unchanged (%s) from %s a year earlier"},
	"dash.charts":                    {"Grafieken", "Charts"},
	"dash.chart.provider":            {"Percentages per aanbieder", "Rates per provider"},
	"dash.chart.route":               {"Percentages per leerroute", "Rates per learning route"},
	"dash.chart.skill":               {"Gemiddelde leerwinst per vaardigheid (stappen)", "Mean learning gain per skill (steps)"},
	"dash.chart.reasons":             {"Redenen van vroegtijdige uitstroom", "Reasons of early leavers"},
	"dash.chart.aria":                {"Grafiek: %s. Dezelfde cijfers staan in de tabellen eronder; klik op een staaf voor de gevallen.", "Chart: %s. The tables below hold the same figures; click a bar for its cases."},
	"dash.meangain":                  {"gemiddelde leerwinst", "mean gain"},
	"dash.earlyleavers":              {"vroegtijdige uitstromers", "early leavers"},
	"dash.skills":                    {"Leerwinst per vaardigheid", "Learning gain per skill"},
	"dash.skill":                     {"Vaardigheid", "Skill"},
	"dash.skill.assessed":            {"Getoetst", "Assessed"},
	"dash.skill.gained":              {"Met leerwinst", "Gained"},
	"dash.skill.mean":                {"Gem. winst", "Mean gain"},
	"dash.reasons":                   {"Redenen van vroegtijdige uitstroom", "Reasons of early leavers"},
	"dash.destinations":              {"Bestemmingen na uitstroom", "Destinations after outflow"},
	"dash.reason":                    {"Reden", "Reason"},
	"dash.destination":               {"Bestemming", "Destination"},
	"dash.count":                     {"Aantal", "Count"},
	"dash.none":                      {"Geen gevallen.", "No cases."},
	"dash.breakdowns":                {"Uitsplitsingen", "Breakdowns"},
	"dash.breakdown.caption":         {"Per %s: waarde, met teller/noemer eronder", "Per %s: value, with numerator/denominator below"},
	"dash.links":                     {"Elk getal leidt naar de gevallen erachter.", "Every number leads to the cases behind it."},

	"drill.title":           {"%s: %s", "%s: %s"},
	"drill.breakdown":       {"%s %s", "%s %s"},
	"drill.count":           {"%d gevallen", "%d cases"},
	"drill.showing":         {"Gevallen %d tot %d van %d.", "Cases %d to %d of %d."},
	"drill.learner":         {"Lerende", "Learner"},
	"drill.number":          {"Nummer", "Number"},
	"drill.class":           {"Klasse", "Class"},
	"drill.provider":        {"Aanbieder", "Provider"},
	"drill.date":            {"Datum", "Date"},
	"drill.ref":             {"Groep", "Group"},
	"drill.detail":          {"Toelichting", "Explanation"},
	"drill.hidden":          {"(niet zichtbaar voor jou)", "(not visible to you)"},
	"drill.back":            {"Terug naar het dashboard", "Back to the dashboard"},
	"drill.none":            {"Geen gevallen.", "No cases."},
	"drill.suppressed":      {"Klein aantal", "Small count"},
	"drill.suppressed.text": {"Achter dit getal zitten minder dan 5 gevallen. Zoals buiten de aanbieder wordt het niet getoond.", "Fewer than 5 cases stand behind this number. As outside the provider, it is not shown."},
	"drill.exactlink":       {"Toon de exacte aantallen", "Show the exact numbers"},
	"drill.detailnote":      {"De toelichting is die van de rekenmotor (in het Nederlands).", "The explanation is the engine's (in Dutch)."},

	"ind.access":        {"", "Access within the statutory period"},
	"ind.progress":      {"", "Progress within the planned time"},
	"ind.certification": {"", "Certification"},
	"ind.learning_gain": {"", "Learning gain"},
	"ind.outflow":       {"", "Outflow"},
	"ind.effects":       {"", "Longer-term effects"},

	"bd.provider":        {"", "provider"},
	"bd.gender":          {"", "gender"},
	"bd.learning_route":  {"", "learning route"},
	"bd.schooling_level": {"", "schooling level"},
	"bd.literacy":        {"", "literacy"},
	"bd.civic_status":    {"", "civic integration status"},
	"bd.age_band":        {"", "age band"},
	"bd.target_level":    {"", "target level"},

	"class.access.on_time":                   {"tijdig gestart", "started on time"},
	"class.access.late":                      {"laat gestart", "started late"},
	"class.access.waiting_overdue":           {"wachtend na de termijn", "waiting past the deadline"},
	"class.access.waiting_in_term":           {"wachtend binnen de termijn", "waiting within the term"},
	"class.access.waiting_list":              {"op de wachtlijst", "on the waiting list"},
	"class.access.started":                   {"gestart", "started"},
	"class.access.judged":                    {"tijdig, laat of wachtend na de termijn", "on time, late or waiting past the deadline"},
	"class.progress.on_track":                {"geslaagd op tijd", "passed on time"},
	"class.progress.not_on_track":            {"niet geslaagd op tijd", "not passed on time"},
	"class.certification.certified":          {"deelcertificaat op tijd", "module certificate on time"},
	"class.certification.not_certified":      {"geen deelcertificaat op tijd", "no module certificate on time"},
	"class.learning_gain.gained":             {"met leerwinst", "gained"},
	"class.learning_gain.assessed_no_gain":   {"getoetst, geen leerwinst", "assessed, no gain"},
	"class.learning_gain.not_assessed":       {"niet getoetst", "not assessed"},
	"class.learning_gain.participants":       {"deelnemers", "participants"},
	"class.learning_gain.assessed":           {"getoetst", "assessed"},
	"class.learning_gain.by_skill.assessed":  {"getoetst voor %s", "assessed for %s"},
	"class.learning_gain.by_skill.gained":    {"met leerwinst voor %s", "gained for %s"},
	"class.outflow.qualified":                {"gekwalificeerd", "qualified"},
	"class.outflow.transfer":                 {"doorstroom", "transfer"},
	"class.outflow.early_leaver":             {"vroegtijdig", "early leaver"},
	"class.outflow.other":                    {"ander type", "other type"},
	"class.outflow.total":                    {"alle uitstromers", "all who left"},
	"class.outflow.reasons":                  {"reden: %s", "reason: %s"},
	"class.outflow.destinations":             {"bestemming: %s", "destination: %s"},
	"class.effects.positive":                 {"werk en/of onderwijs", "work and/or education"},
	"class.effects.followed_up_not_positive": {"opgevolgd, niet positief", "followed up, not positive"},
	"class.effects.not_followed_up":          {"niet opgevolgd", "not followed up"},
	"class.effects.followed_up":              {"opgevolgd", "followed up"},
	"class.cohort":                           {"alle gevallen", "all cases"},
}

// figureEnglish are the English label, short label, numerator and
// denominator of each figure; the Dutch ones are indicator.FigureDefs'.
var figureEnglish = map[string][4]string{
	indicator.AccessRate:           {"Access within the statutory period", "Access", "started on time", "on time + late + waiting past the deadline"},
	indicator.WaitingList:          {"Waiting list", "Waiting list", "on the waiting list", "referrals"},
	indicator.MedianDaysToStart:    {"Median days to start", "Median days", "", "started"},
	indicator.ProgressRate:         {"Progress within the planned time", "Progress", "passed on time", "enrollments"},
	indicator.AttendanceRate:       {"Attendance", "Attendance", "hours attended", "planned hours"},
	indicator.CertificationRate:    {"Certification", "Certification", "module certificate on time", "enrollments"},
	indicator.GainRate:             {"Learning gain", "Gain", "gained", "assessed participants"},
	indicator.MeanGain:             {"Mean learning gain (steps)", "Mean gain", "sum of the gains", "assessed skills"},
	indicator.QualifiedOutflowRate: {"Qualified outflow", "Qualified", "qualified", "who left"},
	indicator.EarlyLeaverRate:      {"Early leavers", "Early", "early leavers", "who left"},
	indicator.EffectRate:           {"Positive effect after outflow", "Effect", "work and/or education", "followed up"},
}

func init() {
	for k, v := range dashboardMessages {
		if _, dup := messages[k]; dup {
			panic(fmt.Sprintf("server: message %q is defined twice", k))
		}
		messages[k] = v
	}
	// The Dutch names of indicators and breakdowns are the engine's own.
	for i, name := range indicator.IndicatorNames {
		m := messages["ind."+name]
		m[0] = indicator.IndicatorLabels[i]
		messages["ind."+name] = m
	}
	for i, name := range indicator.BreakdownNames {
		m := messages["bd."+name]
		m[0] = indicator.BreakdownLabels[i]
		messages["bd."+name] = m
	}
	for _, d := range indicator.FigureDefs {
		en, ok := figureEnglish[d.Code]
		if !ok {
			panic(fmt.Sprintf("server: no English label of figure %s", d.Code))
		}
		for i, which := range []string{"label", "short", "num", "den"} {
			nl := [4]string{d.Label, d.Short, d.Numerator, d.Denom}[i]
			if nl != "" { // a figure without a numerator (the median) has no text for it
				messages["fig."+d.Code+"."+which] = [2]string{nl, en[i]}
			}
		}
	}
}

// indicatorLabel is the name of indicator name in lang.
func indicatorLabel(lang, name string) string { return translate(lang, "ind."+name) }

// breakdownLabel is the name of breakdown name in lang.
func breakdownLabel(lang, name string) string { return translate(lang, "bd."+name) }

// figureText is the label, short label, numerator or denominator ("label",
// "short", "num", "den") of figure code in lang.
func figureText(lang, code, which string) string {
	key := "fig." + code + "." + which
	if _, ok := messages[key]; !ok {
		return ""
	}
	return translate(lang, key)
}

// breakdownLists are the code lists of the learner-attribute breakdowns.
var breakdownLists = map[string]*domain.CodeList{
	indicator.BreakdownGender:         domain.Genders,
	indicator.BreakdownLearningRoute:  domain.LearningRoutes,
	indicator.BreakdownSchoolingLevel: domain.SchoolingLevels,
	indicator.BreakdownLiteracy:       domain.Literacies,
	indicator.BreakdownCivicStatus:    domain.CivicStatuses,
}

// breakdownKeyLabel is how a key of breakdown name reads: a provider by its
// code, a code by its label, an age band or level as it is.
func breakdownKeyLabel(lang, name, key string) string {
	if l := breakdownLists[name]; l != nil {
		return codeLabel(lang, l.Name, key)
	}
	return key
}

// fieldLabel is how a class or count field of indicator ind reads
// (see indicator.Fields), e.g. "laat gestart" or "reden: werk".
func fieldLabel(lang, ind, field string) string {
	if field == "" || field == "cohort" {
		return translate(lang, "class.cohort")
	}
	if ind == indicator.IndicatorLearningGain {
		if rest, ok := strings.CutPrefix(field, "by_skill."); ok {
			skill, what, _ := strings.Cut(rest, ".")
			if k := slices.Index(domain.SkillCodes[:], skill); k >= 0 {
				return translate(lang, "class.learning_gain.by_skill."+what, skillLabel(lang, domain.Skill(k)))
			}
		}
	}
	if ind == indicator.IndicatorOutflow {
		if r, ok := strings.CutPrefix(field, "reasons."); ok {
			return translate(lang, "class.outflow.reasons", codeLabel(lang, domain.OutflowReasons.Name, r))
		}
		if d, ok := strings.CutPrefix(field, "destinations."); ok {
			return translate(lang, "class.outflow.destinations", codeLabel(lang, domain.Destinations.Name, d))
		}
	}
	if ind == indicator.IndicatorEffects && field == "total" {
		field = "cohort"
	}
	return translate(lang, "class."+ind+"."+field)
}
