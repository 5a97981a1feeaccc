package demo

import "github.com/traject-nt2/traject/internal/domain"

// Ladder ranks used below (spec/domain.md, "The CEFR ladder").
const (
	lA0 domain.Level = iota
	lA11
	lA1
	lA21
	lA2
	lB11
	lB1
	lB21
	lB2
	lC11
	lC1
)

const (
	allSkills  = domain.AllSkills
	oralSkills = domain.SkillSet(1<<domain.Listening | 1<<domain.SpokenInteraction | 1<<domain.SpokenProduction)
	convSkills = domain.SkillSet(1<<domain.Listening | 1<<domain.SpokenInteraction)
)

// Provider types, in domain.ProviderTypes order.
const (
	tCBE = iota
	tCVO
	tUTC
	tVDAB
	tSyntra
	tPrivate
	tOther
	numTypes
)

var typeCodes = [numTypes]string{"cbe", "cvo", "utc", "vdab", "syntra", "private", "other"}

type providerSpec struct {
	code, name string
	typ        int
	city       string
	weight     float64 // relative size
	waitDays   int     // waiting-list pressure: extra days some learners wait
}

// providerCatalog lists the region's providers in the order in which they are
// taken: the first seven cover every type, so every data set has all of them.
var providerCatalog = []providerSpec{
	{"CVO-ANT", "CVO Antwerpen", tCVO, "Antwerpen", 1.5, 20},
	{"CBE-BRU", "CBE Brussel", tCBE, "Brussel", 1.3, 40},
	{"UTC-GNT", "UCT Gent", tUTC, "Gent", 1.0, 5},
	{"VDAB-ANT", "VDAB Competentiecentrum Antwerpen", tVDAB, "Antwerpen", 1.0, 10},
	{"SYN-MVL", "Syntra Midden-Vlaanderen", tSyntra, "Gent", 1.0, 0},
	{"PRV-BRU", "Taalhuis Brussel", tPrivate, "Brussel", 1.0, 0},
	{"OTH-GNT", "Vormingplus Gent-Eeklo", tOther, "Gent", 1.0, 0},
	{"CVO-BRU", "CVO Brussel", tCVO, "Brussel", 1.3, 45},
	{"CBE-ANT", "CBE Antwerpen", tCBE, "Antwerpen", 1.2, 30},
	{"CVO-GNT", "CVO Gent", tCVO, "Gent", 1.1, 20},
	{"CBE-GNT", "CBE Gent", tCBE, "Gent", 1.0, 25},
	{"UTC-LEU", "ILT Leuven", tUTC, "Leuven", 0.8, 5},
	{"CVO-LEU", "CVO Leuven-Landen", tCVO, "Leuven", 0.8, 10},
	{"UTC-BRU", "ACTO Brussel", tUTC, "Brussel", 0.8, 15},
	{"VDAB-BRU", "VDAB Brussel", tVDAB, "Brussel", 0.8, 20},
	{"CBE-OBR", "CBE Oost-Brabant", tCBE, "Leuven", 0.7, 10},
	{"CVO-BRG", "CVO Brugge", tCVO, "Brugge", 0.7, 0},
	{"UTC-ANT", "Linguapolis Antwerpen", tUTC, "Antwerpen", 0.8, 5},
	{"VDAB-GNT", "VDAB Competentiecentrum Gent", tVDAB, "Gent", 0.7, 5},
	{"CVO-HAS", "CVO Hasselt", tCVO, "Hasselt", 0.7, 0},
	{"CBE-LIM", "CBE Limburg", tCBE, "Hasselt", 0.7, 5},
	{"CVO-MEC", "CVO Mechelen", tCVO, "Mechelen", 0.6, 5},
	{"PRV-ANT", "Talenhuis Antwerpen", tPrivate, "Antwerpen", 0.6, 0},
	{"CBE-WVL", "CBE West-Vlaanderen", tCBE, "Brugge", 0.6, 0},
	{"CVO-KOR", "CVO Kortrijk", tCVO, "Kortrijk", 0.6, 0},
	{"SYN-AB", "Syntra AB", tSyntra, "Antwerpen", 0.6, 0},
	{"OTH-ANT", "Vormingplus Antwerpen", tOther, "Antwerpen", 0.5, 0},
	{"CVO-AAL", "CVO Aalst", tCVO, "Aalst", 0.5, 0},
	{"CBE-MEC", "CBE Mechelen", tCBE, "Mechelen", 0.5, 5},
	{"CVO-VIL", "CVO Vilvoorde", tCVO, "Vilvoorde", 0.5, 25},
	{"PRV-GNT", "Taalpunt Gent", tPrivate, "Gent", 0.4, 0},
	{"CVO-GNK", "CVO Genk", tCVO, "Genk", 0.5, 0},
}

type moduleSpec struct {
	suffix, name, programme string
	entry, target           domain.Level
	skills                  domain.SkillSet
	hours                   int
	alfa                    bool
}

// moduleCatalog holds each provider type's module chain, lowest first.
var moduleCatalog = [numTypes][]moduleSpec{
	tCVO: {
		{"1.1", "NT2 Richtgraad 1.1", "NT2 Richtgraad 1", lA0, lA1, allSkills, 120, false},
		{"1.2", "NT2 Richtgraad 1.2", "NT2 Richtgraad 1", lA1, lA2, allSkills, 120, false},
		{"2.1", "NT2 Richtgraad 2.1", "NT2 Richtgraad 2", lA2, lB11, allSkills, 120, false},
		{"2.2", "NT2 Richtgraad 2.2", "NT2 Richtgraad 2", lB11, lB1, allSkills, 120, false},
		{"3.1", "NT2 Richtgraad 3.1", "NT2 Richtgraad 3", lB1, lB21, allSkills, 120, false},
		{"3.2", "NT2 Richtgraad 3.2", "NT2 Richtgraad 3", lB21, lB2, allSkills, 120, false},
		{"4.1", "NT2 Richtgraad 4.1", "NT2 Richtgraad 4", lB2, lC11, allSkills, 120, false},
		{"4.2", "NT2 Richtgraad 4.2", "NT2 Richtgraad 4", lC11, lC1, allSkills, 120, false},
	},
	tCBE: {
		{"alfa-1", "Alfa NT2 1", "Alfa NT2", lA0, lA11, oralSkills, 600, true},
		{"alfa-2", "Alfa NT2 2", "Alfa NT2", lA11, lA1, oralSkills, 600, true},
		{"1.1", "NT2 Richtgraad 1.1 (traag)", "NT2 Richtgraad 1 basiseducatie", lA0, lA1, allSkills, 240, false},
		{"1.2", "NT2 Richtgraad 1.2 (traag)", "NT2 Richtgraad 1 basiseducatie", lA1, lA2, allSkills, 240, false},
		{"2.1", "NT2 Richtgraad 2.1 (traag)", "NT2 Richtgraad 2 basiseducatie", lA2, lB11, allSkills, 240, false},
	},
	tUTC: {
		{"1", "Nederlands 1", "Nederlands basis (A1-A2)", lA0, lA1, allSkills, 80, false},
		{"2", "Nederlands 2", "Nederlands basis (A1-A2)", lA1, lA2, allSkills, 80, false},
		{"3", "Nederlands 3", "Nederlands midden (B1)", lA2, lB11, allSkills, 90, false},
		{"4", "Nederlands 4", "Nederlands midden (B1)", lB11, lB1, allSkills, 90, false},
		{"5", "Nederlands 5", "Nederlands gevorderd (B2)", lB1, lB21, allSkills, 90, false},
		{"6", "Nederlands 6", "Nederlands gevorderd (B2)", lB21, lB2, allSkills, 90, false},
		{"7", "Nederlands 7", "Nederlands hoger (C1)", lB2, lC11, allSkills, 90, false},
		{"8", "Nederlands 8", "Nederlands hoger (C1)", lC11, lC1, allSkills, 90, false},
	},
	tVDAB: {
		{"A1", "NT2 Basis A1", "NT2 voor werkzoekenden", lA0, lA1, allSkills, 160, false},
		{"A2", "NT2 Basis A2", "NT2 voor werkzoekenden", lA1, lA2, allSkills, 160, false},
		{"B1", "Beroepsgericht Nederlands B1", "Beroepsgericht NT2", lA2, lB1, allSkills, 120, false},
	},
	tSyntra: {
		{"A2", "Nederlands voor ondernemers A2", "NT2 voor ondernemers A2", lA1, lA2, allSkills, 60, false},
		{"B1", "Nederlands voor ondernemers B1", "NT2 voor ondernemers B1", lA2, lB1, allSkills, 60, false},
	},
	tPrivate: {
		{"A1", "Nederlands A1", "Nederlands intensief A1-A2", lA0, lA1, allSkills, 48, false},
		{"A2", "Nederlands A2", "Nederlands intensief A1-A2", lA1, lA2, allSkills, 48, false},
		{"B1", "Nederlands B1", "Nederlands intensief B1-B2", lA2, lB1, allSkills, 60, false},
		{"B2", "Nederlands B2", "Nederlands intensief B1-B2", lB1, lB2, allSkills, 60, false},
	},
	tOther: {
		{"TK1", "Taalkans 1", "Buurtgericht NT2", lA0, lA11, oralSkills, 40, false},
		{"TK2", "Taalkans 2", "Buurtgericht NT2", lA11, lA1, oralSkills, 40, false},
		{"CONV", "Conversatie A2", "Oefenkansen Nederlands", lA1, lA2, convSkills, 40, false},
	},
}

// Intensities: hours per week and the share of groups, per provider type;
// alfa modules have their own mix.
type intensityMix struct {
	w   [3]float64 // standard, intensive, extensive
	hpw [3]float64
}

var intensityCodes = [3]string{"standard", "intensive", "extensive"}

var intensityByType = [numTypes]intensityMix{
	tCBE:     {[3]float64{55, 25, 20}, [3]float64{9, 15, 6}},
	tCVO:     {[3]float64{50, 30, 20}, [3]float64{7, 12, 3.5}},
	tUTC:     {[3]float64{50, 40, 10}, [3]float64{6, 18, 3}},
	tVDAB:    {[3]float64{45, 55, 0}, [3]float64{10, 20, 5}},
	tSyntra:  {[3]float64{30, 0, 70}, [3]float64{6, 12, 3}},
	tPrivate: {[3]float64{60, 40, 0}, [3]float64{4, 10, 2}},
	tOther:   {[3]float64{40, 0, 60}, [3]float64{4, 8, 2}},
}

var intensityAlfa = intensityMix{[3]float64{60, 30, 10}, [3]float64{10, 15, 6}}

// groupCap is the usual maximum group size per provider type.
var groupCap = [numTypes]int{tCBE: 15, tCVO: 20, tUTC: 18, tVDAB: 16, tSyntra: 16, tPrivate: 12, tOther: 15}

// groupFill is the group size a provider waits for before starting a group.
var groupFill = [numTypes]float64{tCBE: 13, tCVO: 16, tUTC: 14, tVDAB: 14, tSyntra: 12, tPrivate: 9, tOther: 11}

// entryLead is the longest a provider waits for a group of beginners to
// fill: the large providers start beginners' groups often, the small ones
// only when they have enough learners.
var entryLead = [numTypes]int{tCBE: 35, tCVO: 35, tUTC: 50, tVDAB: 60, tSyntra: 120, tPrivate: 90, tOther: 90}

// minDemand is the number of learners per year below which a provider does
// not offer a module above the bottom of its chain.
const minDemand = 14

// lateJoin is how many days after a group's start a learner may still join
// (CBEs and socio-cultural providers take learners in continuously).
var lateJoin = [numTypes]int{tCBE: 49, tCVO: 28, tUTC: 21, tVDAB: 42, tSyntra: 28, tPrivate: 21, tOther: 56}

// summerStarts says whether a provider type starts groups in July and August.
var summerStarts = [numTypes]float64{tCBE: 0, tCVO: 0.3, tUTC: 1, tVDAB: 1, tSyntra: 0, tPrivate: 1, tOther: 0}

// descriptors are Dutch can-do statements per skill and CEFR band (A1 … C1),
// after the Dutch translation of the CEFR self-assessment grid.
var descriptors = [domain.NumSkills][5]string{
	domain.Listening: {
		"Kan vertrouwde woorden en heel eenvoudige zinnen over zichzelf en de directe omgeving begrijpen als er langzaam en duidelijk gesproken wordt.",
		"Kan zinnen en vaak gebruikte woorden begrijpen over zaken van direct belang, zoals werk, winkelen en de buurt, en de hoofdzaak van korte, duidelijke mededelingen volgen.",
		"Kan de hoofdpunten begrijpen van duidelijke standaardtaal over vertrouwde onderwerpen op het werk, op school en in de vrije tijd.",
		"Kan langere toespraken en lezingen volgen en de meeste nieuws- en actualiteitenprogramma's begrijpen.",
		"Kan lange, niet duidelijk gestructureerde gesprekken en lezingen zonder al te veel moeite begrijpen.",
	},
	domain.Reading: {
		"Kan vertrouwde namen, woorden en heel eenvoudige zinnen begrijpen, bijvoorbeeld op mededelingen en affiches.",
		"Kan korte, eenvoudige teksten lezen en specifieke informatie vinden in alledaagse teksten zoals advertenties, folders, menu's en dienstregelingen.",
		"Kan teksten begrijpen in alledaagse taal of taal die met het werk te maken heeft, en persoonlijke brieven over gebeurtenissen, gevoelens en wensen.",
		"Kan artikelen en verslagen lezen over actuele problemen waarin de schrijver een standpunt inneemt.",
		"Kan lange en complexe feitelijke teksten begrijpen, ook vakteksten en technische instructies buiten het eigen vakgebied.",
	},
	domain.SpokenInteraction: {
		"Kan op een eenvoudige manier communiceren als de gesprekspartner langzaam praat en bereid is te herhalen, en eenvoudige vragen over vertrouwde onderwerpen stellen en beantwoorden.",
		"Kan communiceren bij eenvoudige, alledaagse taken, zoals een afspraak maken bij de huisarts of iets vragen aan het loket.",
		"Kan de meeste situaties aan die zich voordoen tijdens een gesprek op het werk, bij instanties of op school.",
		"Kan zo vloeiend en spontaan deelnemen aan een gesprek dat een normale uitwisseling met moedertaalsprekers goed mogelijk is.",
		"Kan zich vloeiend en spontaan uitdrukken zonder merkbaar naar woorden te zoeken, ook in professionele contexten.",
	},
	domain.SpokenProduction: {
		"Kan eenvoudige uitdrukkingen en zinnen gebruiken om te beschrijven waar hij of zij woont en wie hij of zij kent.",
		"Kan in een reeks eenvoudige zinnen de familie, de woonomgeving, de opleiding en het huidige of laatste werk beschrijven.",
		"Kan in eenvoudige, samenhangende zinnen ervaringen, gebeurtenissen en plannen beschrijven en kort een mening toelichten.",
		"Kan duidelijke, gedetailleerde beschrijvingen geven over een breed scala aan onderwerpen en een standpunt uiteenzetten.",
		"Kan duidelijke, gedetailleerde beschrijvingen geven van complexe onderwerpen en een betoog goed afronden.",
	},
	domain.Writing: {
		"Kan een korte, eenvoudige kaart schrijven en een formulier met persoonlijke gegevens invullen.",
		"Kan korte, eenvoudige notities en berichten opstellen en een heel eenvoudige persoonlijke brief schrijven.",
		"Kan een eenvoudige, samenhangende tekst schrijven over vertrouwde onderwerpen, zoals een e-mail aan de school of de werkgever.",
		"Kan duidelijke, gedetailleerde teksten schrijven, zoals een verslag waarin argumenten voor en tegen worden gegeven.",
		"Kan zich in duidelijke, goed gestructureerde teksten uitdrukken en standpunten uitgebreid uiteenzetten.",
	},
}

// band maps a ladder rank to its CEFR band index into descriptors, and says
// whether the rank is the first half of that band.
func band(l domain.Level) (int, bool) {
	switch {
	case l <= lA1:
		return 0, l < lA1
	case l <= lA2:
		return 1, l < lA2
	case l <= lB1:
		return 2, l < lB1
	case l <= lB2:
		return 3, l < lB2
	default:
		return 4, l < lC1
	}
}

type providerGoal struct {
	skill       domain.Skill
	level       domain.Level
	description string
}

// providerGoals are the practical goals providers add to the framework.
var providerGoals = []providerGoal{
	{domain.SpokenInteraction, lA2, "Kan telefonisch een afspraak maken of afzeggen bij de huisarts."},
	{domain.Listening, lA2, "Kan de belangrijkste informatie van een oudercontact op school volgen."},
	{domain.Writing, lA2, "Kan een eenvoudig formulier van de gemeente of het OCMW invullen."},
	{domain.Reading, lA2, "Kan een loonbrief en een eenvoudige werkplanning lezen."},
	{domain.SpokenInteraction, lB1, "Kan een sollicitatiegesprek voeren."},
	{domain.Writing, lB1, "Kan een korte motivatiebrief of e-mail aan een werkgever schrijven."},
	{domain.Reading, lB1, "Kan veiligheidsinstructies op de werkvloer begrijpen."},
	{domain.Listening, lA1, "Kan eenvoudige instructies van de lesgever begrijpen."},
	{domain.SpokenProduction, lA2, "Kan zichzelf voorstellen bij een werkgever of in een vereniging."},
	{domain.Reading, lB2, "Kan vakteksten uit de eigen opleiding lezen."},
	{domain.SpokenProduction, lB2, "Kan een korte presentatie geven over een vakonderwerp."},
	{domain.Listening, lB1, "Kan een werkoverleg of teamvergadering volgen."},
	{domain.SpokenInteraction, lA1, "Kan de weg vragen en eenvoudige informatie vragen aan het loket."},
	{domain.Reading, lA1, "Kan de uurregeling van bus en tram lezen."},
}

// Feedback that teachers write, short and in Dutch; some with a comma, a quote
// or a line break, as real exports have them.
var (
	feedbackPass = []string{
		"Goed gewerkt, ga zo door!",
		"Klaar voor de volgende module.",
		"Mooie vooruitgang sinds de tussentijdse evaluatie.",
		"Spreekt vlot, let nog op de woordvolgorde.",
		"Zeer gemotiveerd, helpt anderen in de groep.",
		"Woordenschat rond \"werk\" en \"wonen\" is goed; grammatica nog oefenen.",
		"Geslaagd.\nAdvies: volgende module in een intensieve groep.",
		"Kan zich verstaanbaar maken bij de dokter, op school en in de winkel.",
		"Doelen rond lezen ruim bereikt, schrijven net voldoende.",
	}
	feedbackFail = []string{
		"Nog onvoldoende; herhaal de module.",
		"Nog onvoldoende voor \"gesprekken voeren\", herhaal de module.",
		"Veel afwezig, daardoor achterstand.",
		"Schrijven: werk verder aan de spelling van werkwoorden.",
		"Tempo ligt hoog; misschien beter in een extensieve groep.",
		"Luistert goed, lezen gaat nog moeizaam.\nExtra oefenen in het open leercentrum.",
	}
	feedbackDeferred = []string{
		"Uitgesteld: ziek tijdens de examenweek, nieuwe datum volgt.",
		"Uitgesteld op vraag van de cursist (werk).",
		"Mondeling examen verplaatst, \"gesprekken voeren\" nog af te nemen.",
	}
	feedbackFormative = []string{
		"Durft meer te spreken in de groep.\nOefen thuis met de luisteroefeningen.",
		"Let op: mist regelmatig de les op maandag.",
		"Goede start, werkt zelfstandig.",
		"Lezen gaat goed, schrijven nog moeizaam.",
		"Heeft moeite met het tempo van de groep.",
		"Vraagt extra oefeningen voor \"spreken\".",
	}
)
