package server

import (
	"fmt"
	"strings"

	"github.com/traject-nt2/traject/internal/domain"
)

// The message catalogue: Dutch by default, English selectable (the lang
// cookie). Codes of domain's code lists are shown with domain's Dutch labels,
// and with the English labels below.

// messages maps a key to its Dutch and English text; %-verbs take arguments.
var messages = map[string][2]string{
	"skip":       {"Naar de inhoud", "Skip to content"},
	"lang.label": {"Taal", "Language"},
	"lang.go":    {"Kies", "Choose"},
	"logout":     {"Afmelden", "Sign out"},
	"search":     {"Zoeken", "Search"},
	"show":       {"Tonen", "Show"},
	"optional":   {"niet verplicht", "optional"},
	"soon":       {"Deze pagina komt binnenkort.", "This page is coming soon."},

	"title.login":       {"Aanmelden", "Sign in"},
	"title.logout":      {"Afmelden", "Sign out"},
	"title.groups":      {"Groepen", "Groups"},
	"title.group":       {"Groep", "Group"},
	"title.learners":    {"Lerenden", "Learners"},
	"title.learner":     {"Lerende", "Learner"},
	"title.placeholder": {"Binnenkort", "Coming soon"},
	"title.error":       {"Fout", "Error"},

	"nav.label":      {"Hoofdmenu", "Main menu"},
	"nav.dashboard":  {"Dashboard", "Dashboard"},
	"nav.groups":     {"Groepen", "Groups"},
	"nav.mygroups":   {"Mijn groepen", "My groups"},
	"nav.learners":   {"Lerenden", "Learners"},
	"nav.mylearners": {"Mijn lerenden", "My learners"},
	"nav.imports":    {"Importeren", "Imports"},
	"nav.exports":    {"Exporteren", "Exports"},
	"nav.schedules":  {"Planning", "Schedules"},
	"nav.quality":    {"Datakwaliteit", "Data quality"},
	"nav.admin":      {"Beheer", "Administration"},

	"role.teacher":     {"lesgever", "teacher"},
	"role.counsellor":  {"trajectbegeleider", "counsellor"},
	"role.coordinator": {"coördinator", "coordinator"},
	"role.admin":       {"beheerder", "administrator"},

	"login.title":     {"Aanmelden", "Sign in"},
	"login.username":  {"Gebruikersnaam", "User name"},
	"login.password":  {"Wachtwoord", "Password"},
	"login.submit":    {"Aanmelden", "Sign in"},
	"login.bad":       {"Onbekende gebruikersnaam of verkeerd wachtwoord.", "Unknown user name or wrong password."},
	"login.locked":    {"Te veel mislukte pogingen: probeer het over enkele minuten opnieuw.", "Too many failed attempts: try again in a few minutes."},
	"login.disabled":  {"Deze account is uitgeschakeld. Neem contact op met de beheerder.", "This account is disabled. Contact the administrator."},
	"login.throttled": {"Te veel pogingen vanaf deze computer: wacht even en probeer opnieuw.", "Too many attempts from this computer: wait a moment and try again."},
	"login.expired":   {"Het formulier was verlopen. Probeer opnieuw.", "The form had expired. Please try again."},
	"logout.title":    {"Afmelden", "Sign out"},
	"logout.confirm":  {"Wil je je afmelden?", "Do you want to sign out?"},

	"err.home":               {"Naar de startpagina", "Go to the start page"},
	"err.forbidden":          {"Geen toegang", "No access"},
	"err.forbidden.text":     {"Je hebt geen toegang tot deze pagina of gegevens.", "You have no access to this page or data."},
	"err.csrf.text":          {"Het formulier is verlopen of ongeldig. Laad de pagina opnieuw en probeer nog eens.", "The form has expired or is invalid. Reload the page and try again."},
	"err.notfound":           {"Niet gevonden", "Not found"},
	"err.notfound.text":      {"Deze pagina bestaat niet.", "This page does not exist."},
	"err.unauthorized":       {"Niet aangemeld", "Not signed in"},
	"err.unauthorized.text":  {"Je sessie is verlopen. Meld je opnieuw aan.", "Your session has expired. Please sign in again."},
	"err.badrequest":         {"Ongeldige vraag", "Bad request"},
	"err.badrequest.text":    {"De vraag aan de server was ongeldig.", "The request to the server was invalid."},
	"err.conflict":           {"Conflict", "Conflict"},
	"err.conflict.text":      {"De gegevens zijn intussen gewijzigd. Laad de pagina opnieuw.", "The data changed meanwhile. Reload the page."},
	"err.toomany":            {"Te veel verzoeken", "Too many requests"},
	"err.toomany.text":       {"Wacht even en probeer opnieuw.", "Wait a moment and try again."},
	"err.method":             {"Niet toegestaan", "Not allowed"},
	"err.method.text":        {"Deze actie is hier niet mogelijk.", "This action is not possible here."},
	"err.internal":           {"Interne fout", "Internal error"},
	"err.internal.text":      {"Er ging iets mis bij de server. Probeer later opnieuw.", "Something went wrong on the server. Try again later."},
	"form.invalid":           {"%d rij(en) bevatten fouten: niets is opgeslagen. Verbeter de velden met een melding.", "%d row(s) contain errors: nothing was saved. Correct the fields with a message."},
	"pager.label":            {"Pagina's", "Pages"},
	"pager.prev":             {"Vorige", "Previous"},
	"pager.next":             {"Volgende", "Next"},
	"pager.page":             {"Pagina %d van %d", "Page %d of %d"},
	"groups.search":          {"Zoek op groep of module", "Search by group or module"},
	"groups.count":           {"%d groepen", "%d groups"},
	"groups.learners":        {"Lerenden", "Learners"},
	"groups.active":          {"%d lopend van %d", "%d active of %d"},
	"groups.none":            {"Geen groepen gevonden.", "No groups found."},
	"group.title":            {"Groep %s", "Group %s"},
	"group.empty":            {"Er zijn nog geen lerenden ingeschreven.", "No learners are enrolled yet."},
	"grid.title":             {"Evaluaties", "Evaluations"},
	"grid.caption":           {"Evaluatierooster van groep %s", "Evaluation grid of group %s"},
	"grid.hint":              {"Typ een ERK-niveau (bv. A2 of B1.1) per vaardigheid; laat leeg wat niet beoordeeld is. Tab gaat naar het volgende veld, pijl omhoog/omlaag naar dezelfde kolom in een andere rij. Alleen ingevulde rijen worden opgeslagen, allemaal tegelijk.", "Type a CEFR level (e.g. A2 or B1.1) per skill; leave blank what was not assessed. Tab moves to the next field, arrow up/down to the same column in another row. Only filled rows are saved, all at once."},
	"grid.save":              {"Evaluaties opslaan", "Save evaluations"},
	"grid.saved":             {"Opgeslagen: %d evaluatie(s) gewijzigd.", "Saved: %d evaluation(s) changed."},
	"grid.goals":             {"Doelen van deze module", "Goals of this module"},
	"grid.conflict":          {"Een evaluatie werd intussen door iemand anders gewijzigd, of er bestaat al een evaluatie op die datum. Niets is opgeslagen: laad de pagina opnieuw.", "An evaluation was changed by someone else meanwhile, or one already exists on that date. Nothing was saved: reload the page."},
	"attendance.title":       {"Rooster en aanwezigheid", "Roster and attendance"},
	"attendance.caption":     {"Aanwezige uren per lerende (gepland: %d uur)", "Hours attended per learner (planned: %d hours)"},
	"attendance.save":        {"Aanwezigheid opslaan", "Save attendance"},
	"attendance.saved":       {"Opgeslagen: %d inschrijving(en) gewijzigd.", "Saved: %d enrollment(s) changed."},
	"learners.search":        {"Zoek op naam of nummer", "Search by name or number"},
	"learners.flag":          {"Signaal", "Flag"},
	"learners.all":           {"Alle lerenden", "All learners"},
	"learners.asof":          {"Signalen op %s.", "Flags as of %s."},
	"learners.count":         {"%d lerenden", "%d learners"},
	"learners.flags":         {"Signalen", "Flags"},
	"learners.none":          {"Geen lerenden gevonden.", "No learners found."},
	"learner.flags":          {"Signalen", "Flags"},
	"learner.noflags":        {"Geen signalen op %s.", "No flags as of %s."},
	"learner.current":        {"Huidige inschrijving", "Current enrollment"},
	"learner.nocurrent":      {"Geen lopende inschrijving.", "No active enrollment."},
	"learner.allenrollments": {"Alle inschrijvingen (%d)", "All enrollments (%d)"},
	"learner.hours":          {"%s van %d uur", "%s of %d hours"},
	"learner.chart":          {"Niveau per vaardigheid", "Level per skill"},
	"learner.goals":          {"Doelen", "Goals"},
	"learner.nogoals":        {"Nog geen individuele doelen.", "No individual goals yet."},
	"learner.timeline":       {"Traject", "Trajectory"},
	"learner.notimeline":     {"Nog niets geregistreerd.", "Nothing recorded yet."},
	"learner.evaluations":    {"Evaluaties", "Evaluations"},
	"learner.evalcount":      {"%d evaluaties", "%d evaluations"},
	"learner.noevaluations":  {"Nog geen evaluaties.", "No evaluations yet."},
	"learner.outflow":        {"Uitstroom", "Outflow"},
	"learner.nooutflow":      {"Geen uitstroom geregistreerd.", "No outflow recorded."},
	"learner.followup":       {"Opvolging", "Follow-up"},
	"learner.nofollowup":     {"Geen opvolging geregistreerd.", "No follow-up recorded."},
	"learner.history":        {"Wijzigingen", "History"},
	"learner.nohistory":      {"Nog geen wijzigingen via Traject.", "No changes made in Traject yet."},
	"chart.aria":             {"Grafiek van het ERK-niveau per vaardigheid in de tijd, met de doelen; de tabel hieronder bevat dezelfde gegevens.", "Chart of the CEFR level per skill over time, with the goals; the table below holds the same data."},
	"chart.table":            {"Niveaus als tabel", "Levels as a table"},
	"chart.empty":            {"Nog geen niveaus of doelen.", "No levels or goals yet."},
	"chart.goal":             {"doel", "goal"},
	"chart.level":            {"ERK-niveau", "CEFR level"},
	"chart.date":             {"datum", "date"},
	"goal.form":              {"Doel vastleggen of wijzigen", "Record or change a goal"},
	"goal.save":              {"Doel opslaan", "Save goal"},
	"outflow.form":           {"Uitstroom registreren", "Record outflow"},
	"outflow.save":           {"Uitstroom opslaan", "Save outflow"},
	"reason.hint":            {"alleen bij vroegtijdige uitstroom", "only for early leavers"},
	"followup.form":          {"Opvolging registreren", "Record follow-up"},
	"followup.save":          {"Opvolging opslaan", "Save follow-up"},
	"saved.goal":             {"Het doel is opgeslagen.", "The goal was saved."},
	"saved.outflow":          {"De uitstroom is opgeslagen.", "The outflow was saved."},
	"saved.followup":         {"De opvolging is opgeslagen.", "The follow-up was saved."},
	"history.at":             {"Wanneer", "When"},
	"history.who":            {"Wie", "Who"},
	"history.what":           {"Wat", "What"},
	"history.changes":        {"Voor → na", "Before → after"},
	"audit.create":           {"nieuw", "created"},
	"audit.update":           {"gewijzigd", "changed"},
	"audit.delete":           {"verwijderd", "deleted"},
	"entity.evaluations":     {"evaluatie", "evaluation"},
	"entity.enrollments":     {"inschrijving", "enrollment"},
	"entity.learner_goals":   {"doel", "goal"},
	"entity.outflows":        {"uitstroom", "outflow"},
	"entity.followups":       {"opvolging", "follow-up"},

	"flag.overdue":            {"Wacht langer dan de decretale termijn", "Waiting beyond the statutory deadline"},
	"flag.overdue.days":       {"Wacht te lang: %d dagen over de termijn", "Waiting too long: %d days past the deadline"},
	"flag.deadline_soon":      {"Termijn verloopt binnen 14 dagen", "Deadline within 14 days"},
	"flag.deadline_soon.days": {"Termijn verloopt over %d dagen", "Deadline in %d days"},
	"flag.no_placement":       {"Ingeschreven zonder niveaubepaling", "Enrolled without placement"},
	"flag.no_evaluation":      {"Geen evaluatie in 90 dagen", "No evaluation for 90 days"},
	"flag.no_reason":          {"Vroegtijdige uitstroom zonder reden", "Early leaver without reason"},
	"flag.no_followup":        {"Uitstroom zonder opvolging na 6 maanden", "Outflow without follow-up after 6 months"},

	"tl.referral":            {"Aanmelding", "Referral"},
	"tl.referral.text":       {"via %s %s", "through %s %s"},
	"tl.placement":           {"Niveaubepaling", "Placement"},
	"tl.placement.text":      {"in %s (%s): %s", "into %s (%s): %s"},
	"tl.enrollment":          {"Inschrijving", "Enrollment"},
	"tl.enrollment.text":     {"groep %s, %s (%s)", "group %s, %s (%s)"},
	"tl.enrollment.end":      {"Einde inschrijving", "End of enrollment"},
	"tl.enrollment.end.text": {"groep %s: %s, %.0f uur aanwezig", "group %s: %s, %.0f hours attended"},
	"tl.evaluation":          {"Evaluatie", "Evaluation"},
	"tl.evaluation.text":     {"%s, %s: %s; beslissing: %s", "%s, %s: %s; decision: %s"},
	"tl.external":            {"externe toets", "external test"},
	"tl.certificate":         {"Certificaat", "Certificate"},
	"tl.goal":                {"Doel", "Goal"},
	"tl.goal.text":           {"%s: %s tegen %s", "%s: %s by %s"},
	"tl.outflow":             {"Uitstroom", "Outflow"},
	"tl.followup":            {"Opvolging", "Follow-up"},

	"f.group":          {"Groep", "Group"},
	"f.module":         {"Module", "Module"},
	"f.levels":         {"Niveau (instap → doel)", "Level (entry → target)"},
	"f.period":         {"Periode", "Period"},
	"f.start":          {"Begin", "Start"},
	"f.end":            {"Einde", "End"},
	"f.planned_hours":  {"Geplande uren", "Planned hours"},
	"f.intensity":      {"Intensiteit", "Intensity"},
	"f.teacher":        {"Lesgever", "Teacher"},
	"f.learner":        {"Lerende", "Learner"},
	"f.learner_id":     {"Nummer", "Number"},
	"f.name":           {"Naam", "Name"},
	"f.status":         {"Status", "Status"},
	"f.hours":          {"Uren aanwezig", "Hours attended"},
	"f.kind":           {"Soort", "Kind"},
	"f.decision":       {"Beslissing", "Decision"},
	"f.date":           {"Datum", "Date"},
	"f.feedback":       {"Feedback", "Feedback"},
	"f.goals":          {"Behaalde doelen", "Goals achieved"},
	"f.evaluator":      {"Evaluator", "Evaluator"},
	"f.birth_date":     {"Geboortedatum", "Birth date"},
	"f.learning_route": {"Leerroute", "Learning route"},
	"f.civic_status":   {"Inburgering", "Civic integration"},
	"f.perspective":    {"Perspectief", "Perspective"},
	"f.literacy":       {"Geletterdheid", "Literacy"},
	"f.counsellor":     {"Trajectbegeleider", "Counsellor"},
	"f.attendance":     {"Aanwezigheid", "Attendance"},
	"f.skill":          {"Vaardigheid", "Skill"},
	"f.target_level":   {"Doelniveau", "Target level"},
	"f.set_date":       {"Vastgelegd op", "Set on"},
	"f.target_date":    {"Te halen tegen", "Target date"},
	"f.type":           {"Soort uitstroom", "Type of outflow"},
	"f.reason":         {"Reden", "Reason"},
	"f.destination":    {"Bestemming", "Destination"},
	"f.provider":       {"Aanbieder", "Provider"},

	"v.required":          {"Vul dit veld in.", "Fill in this field."},
	"v.choose":            {"Kies een waarde uit de lijst.", "Choose a value from the list."},
	"v.date":              {"%q is geen datum: gebruik JJJJ-MM-DD of DD/MM/JJJJ.", "%q is not a date: use YYYY-MM-DD or DD/MM/YYYY."},
	"v.date.future":       {"De datum ligt in de toekomst.", "The date lies in the future."},
	"v.date.window":       {"De datum ligt buiten de inschrijving: kies een datum van %s tot %s.", "The date lies outside the enrollment: choose a date from %s to %s."},
	"v.date.range":        {"De datum moet tussen %s en %s liggen.", "The date must lie between %s and %s."},
	"v.date.before":       {"Deze datum ligt vóór %s.", "This date lies before %s."},
	"v.level":             {"%q is geen ERK-niveau: gebruik A0, A1.1, A1, A2.1, A2, B1.1, B1, … C2.", "%q is not a CEFR level: use A0, A1.1, A1, A2.1, A2, B1.1, B1, … C2."},
	"v.skill":             {"Deze module evalueert %s niet: laat dit veld leeg.", "This module does not evaluate %s: leave this field blank."},
	"v.decision.required": {"Kies een beslissing.", "Choose a decision."},
	"v.decision":          {"Onbekende beslissing: kies er een uit de lijst.", "Unknown decision: choose one from the list."},
	"v.pass":              {"Geslaagd kan pas met minstens één beoordeelde vaardigheid.", "A pass needs at least one assessed skill."},
	"v.feedback.long":     {"De feedback is te lang (hoogstens %d tekens).", "The feedback is too long (at most %d characters)."},
	"v.goal":              {"%q is geen doel van deze module.", "%q is not a goal of this module."},
	"v.hours":             {"%q is geen aantal uren (bv. 12 of 12,5).", "%q is not a number of hours (e.g. 12 or 12.5)."},
	"v.hours.negative":    {"Het aantal uren kan niet negatief zijn.", "The number of hours cannot be negative."},
	"v.hours.max":         {"Dat zijn te veel uren.", "That is too many hours."},
	"v.reason.required":   {"Kies een reden: die is verplicht bij vroegtijdige uitstroom.", "Choose a reason: it is required for an early leaver."},
	"v.reason.blank":      {"Een reden hoort alleen bij vroegtijdige uitstroom: laat dit veld leeg.", "A reason belongs only to an early leaver: leave this field blank."},
}

// translate returns the text of key in lang ("nl" or "en"), formatted with
// args; an unknown key is shown as itself, so that a gap is visible.
func translate(lang, key string, args ...any) string {
	m, ok := messages[key]
	if !ok {
		return key
	}
	text := m[0]
	if lang == "en" {
		text = m[1]
	}
	if len(args) > 0 {
		return fmt.Sprintf(text, args...)
	}
	return text
}

// codeLists are domain's code lists by name.
var codeLists = func() map[string]*domain.CodeList {
	m := map[string]*domain.CodeList{}
	for _, l := range []*domain.CodeList{domain.ProviderTypes, domain.GoalSources, domain.Genders, domain.SchoolingLevels,
		domain.Literacies, domain.LearningRoutes, domain.CivicStatuses, domain.Perspectives, domain.ReferralSources,
		domain.PlacementMethods, domain.Intensities, domain.EnrollmentStatuses, domain.EvaluationKinds, domain.Decisions,
		domain.CertificateKinds, domain.OutflowTypes, domain.OutflowReasons, domain.Destinations, domain.FollowUpStatuses} {
		m[l.Name] = l
	}
	return m
}()

// englishLabels are the English labels that differ from the code with its
// underscores as spaces.
var englishLabels = map[string]string{
	"referral source/agentschap":     "Agency for Integration and Civic Integration",
	"referral source/hvn":            "Huis van het Nederlands",
	"referral source/ocmw":           "public social welfare centre (OCMW)",
	"referral source/vdab":           "VDAB",
	"placement method/evc":           "recognition of prior learning (EVC)",
	"placement method/evk":           "recognition of qualifications (EVK)",
	"evaluation kind/module_end":     "end of module",
	"decision/pass":                  "pass",
	"decision/fail":                  "fail",
	"decision/deferred":              "deferred",
	"destination/nt2_elsewhere":      "NT2 elsewhere",
	"literacy/literate_latin":        "literate (Latin script)",
	"literacy/literate_other_script": "literate (other script)",
	"certificate kind/module":        "module certificate",
	"certificate kind/programme":     "programme certificate",
}

// codeLabel returns the label of code in the code list named list.
func codeLabel(lang, list, code string) string {
	l := codeLists[list]
	if l == nil || !l.Has(code) {
		return code
	}
	if lang != "en" {
		return l.Label(code)
	}
	if s, ok := englishLabels[list+"/"+code]; ok {
		return s
	}
	return strings.ReplaceAll(code, "_", " ")
}

// englishSkills are the skills' names in English.
var englishSkills = [domain.NumSkills]string{"listening", "reading", "spoken interaction", "spoken production", "writing"}

// skillLabel returns the name of skill k in lang.
func skillLabel(lang string, k domain.Skill) string {
	if k < 0 || k >= domain.NumSkills {
		return ""
	}
	if lang == "en" {
		return englishSkills[k]
	}
	return domain.SkillLabels[k]
}
