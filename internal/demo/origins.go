package demo

import "strings"

// The learners' origins: who comes to NT2 classes in Flanders and Brussels,
// roughly in the proportions of 2023–2026 (many Ukrainians since 2022, Syrians,
// Afghans, Eritreans, Moroccans, Turks, EU citizens, Latin Americans and the
// French-speaking Brussels public). Names, home languages (in Dutch, as a
// counsellor writes them) and countries of birth belong together per origin.

// civic kinds decide the civic-integration status mix.
const (
	civicNonEU = iota
	civicEU
	civicProtected // temporary protection (Ukraine)
	civicExpat     // knowledge migrants, often exempt
)

// Schooling indices into origin.schooling, in SchoolingLevels order.
const (
	schoolNone = iota
	schoolPrimary
	schoolLowerSec
	schoolUpperSec
	schoolHigher
	schoolUnknown
)

var schoolingCodes = [6]string{"none", "primary", "lower_secondary", "upper_secondary", "higher", "unknown"}

type choice struct {
	v string
	w float64
}

type origin struct {
	weight    float64
	langs     []choice
	countries []choice
	female    []string
	male      []string
	last      []string
	lastF     []string // female surname forms, same order as last; nil when not gendered
	latin     float64  // share of the schooled who read the Latin script
	fshare    float64  // share of women
	schooling [6]float64
	civic     int
}

func names(s string) []string {
	out := strings.Split(s, ",")
	for i := range out {
		out[i] = strings.TrimSpace(out[i])
	}
	return out
}

func choices(s string) []choice {
	var out []choice
	for _, part := range names(s) {
		i := strings.LastIndexByte(part, ':')
		w := 0.0
		for _, c := range part[i+1:] {
			w = w*10 + float64(c-'0')
		}
		out = append(out, choice{part[:i], w})
	}
	return out
}

var origins = []origin{
	{ // Syria, Iraq, Palestine and the wider Arab world
		weight:    15,
		langs:     choices("Arabisch:86,Koerdisch:14"),
		countries: choices("SY:44,PS:18,IQ:14,SD:6,EG:5,LB:4,YE:4,JO:3,LY:2"),
		female:    names("Fatima,Aisha,Rania,Nour,Hala,Rasha,Yasmin,Mariam,Lina,Reem,Huda,Salma,Amal,Dima,Hiba,Sara,Zainab,Layla,Rawan,Ghada,Asmaa,Batoul"),
		male:      names("Mohammed,Ahmad,Omar,Khaled,Mahmoud,Yousef,Ali,Hassan,Ibrahim,Mustafa,Bilal,Samer,Tarek,Anas,Firas,Hamza,Karim,Walid,Ziad,Abdullah,Mazen,Rami"),
		last:      names("Al-Hassan,Haddad,Khalil,Darwish,Al-Ahmad,Mansour,Nasser,Saleh,Hamdan,Youssef,Al-Ali,Ibrahim,Abdallah,Al-Khatib,Othman,Barakat,Hijazi,Sabbagh,Kassem,Aziz,Suleiman,Al-Masri,Shehadeh,Awad,Al-Hamwi,Qasim"),
		latin:     0.25, fshare: 0.46,
		schooling: [6]float64{8, 18, 20, 24, 24, 6},
		civic:     civicNonEU,
	},
	{ // Morocco (mostly Riffian Berbers) and Algeria
		weight:    7,
		langs:     choices("Berbers:55,Arabisch:45"),
		countries: choices("MA:93,DZ:7"),
		female:    names("Fatima,Khadija,Naima,Malika,Samira,Hanane,Najat,Loubna,Siham,Ikram,Houda,Nadia,Imane,Zahra,Hafsa,Soumaya,Meryem"),
		male:      names("Mohamed,Abdelkader,Youssef,Rachid,Hicham,Mustapha,Said,Karim,Mourad,Brahim,Ayoub,Hamid,Nordin,Driss,Abdelaziz,Soufiane,Anouar"),
		last:      names("El Amrani,Bouzid,Ait Ahmed,El Idrissi,Benali,Ouchen,Azzouzi,El Khattabi,Amrani,Boukhari,Ait Ouali,Chaouki,Belhaj,Ziani,El Haddouchi,Boutaleb,Akhrif,Tahiri,El Bakkali,Bouhaddou"),
		latin:     0.6, fshare: 0.62,
		schooling: [6]float64{15, 25, 22, 18, 12, 8},
		civic:     civicNonEU,
	},
	{ // Afghanistan, Dari speakers
		weight:    6,
		langs:     choices("Dari:100"),
		countries: choices("AF:92,IR:8"),
		female:    names("Zahra,Fatima,Maryam,Shabnam,Farzana,Nargis,Parwana,Mina,Roya,Fereshta,Mursal,Soraya,Hamida,Laila,Sediqa"),
		male:      names("Ahmad,Mohammad,Ali,Hamid,Jawad,Mustafa,Sayed,Reza,Hussain,Farid,Nasir,Omid,Sohrab,Mahdi,Javid,Masoud,Rahim"),
		last:      names("Ahmadi,Rahimi,Hashimi,Haidari,Mohammadi,Rezaei,Sultani,Hakimi,Noori,Karimi,Azizi,Sadat,Hussaini,Jafari,Amiri,Nazari,Sharifi,Wardak"),
		latin:     0.2, fshare: 0.36,
		schooling: [6]float64{22, 20, 18, 18, 14, 8},
		civic:     civicNonEU,
	},
	{ // Afghanistan and Pakistan, Pashto speakers: mostly young men
		weight:    4,
		langs:     choices("Pasjtoe:100"),
		countries: choices("AF:90,PK:10"),
		female:    names("Gulalai,Malalai,Pashtana,Zarmina,Nazia,Bibi,Shazia,Palwasha,Mahnaz,Spozhmai"),
		male:      names("Gul,Abdul,Noor,Zabihullah,Rahmatullah,Samiullah,Wahid,Bilal,Jamal,Naqibullah,Shafiq,Aziz,Habib,Ismail,Asadullah,Najib"),
		last:      names("Khan,Safi,Popal,Durrani,Stanikzai,Zazai,Niazi,Yousafzai,Afridi,Mangal,Mohmand,Shinwari,Achakzai,Ahmadzai,Sherzad"),
		latin:     0.15, fshare: 0.18,
		schooling: [6]float64{40, 22, 14, 10, 6, 8},
		civic:     civicNonEU,
	},
	{ // Eritrea and Tigray
		weight:    5,
		langs:     choices("Tigrinya:100"),
		countries: choices("ER:86,ET:14"),
		female:    names("Selam,Helen,Senait,Tsega,Meron,Luwam,Yordanos,Ruta,Saba,Winta,Freweyni,Hiwet,Lidia,Semhar"),
		male:      names("Yonas,Tesfay,Mebrahtu,Dawit,Kidane,Samuel,Amanuel,Filmon,Biniam,Henok,Mussie,Robel,Yohannes,Habtom,Merhawi"),
		last:      names("Tesfay,Gebremedhin,Haile,Kidane,Tekle,Berhane,Ghebre,Mehari,Woldu,Asfaha,Habte,Tewelde,Andemariam,Negash,Gebreyesus"),
		latin:     0.2, fshare: 0.4,
		schooling: [6]float64{15, 25, 25, 20, 8, 7},
		civic:     civicNonEU,
	},
	{ // Ethiopia, Amharic speakers
		weight:    1.5,
		langs:     choices("Amhaars:100"),
		countries: choices("ET:100"),
		female:    names("Tigist,Hirut,Meseret,Bethlehem,Mekdes,Almaz,Aster,Selamawit,Hanna"),
		male:      names("Abebe,Tadesse,Getachew,Solomon,Bereket,Dawit,Yared,Mulugeta,Ermias,Kaleb"),
		last:      names("Abebe,Bekele,Tadesse,Girma,Alemu,Kebede,Tesfaye,Worku,Desta,Mengistu,Assefa"),
		latin:     0.3, fshare: 0.55,
		schooling: [6]float64{12, 22, 22, 24, 14, 6},
		civic:     civicNonEU,
	},
	{ // Ukraine, since 2022 under temporary protection
		weight:    12,
		langs:     choices("Oekraïens:74,Russisch:26"),
		countries: choices("UA:100"),
		female:    names("Olena,Iryna,Tetiana,Natalia,Oksana,Yuliia,Svitlana,Kateryna,Anastasiia,Olha,Viktoriia,Mariia,Halyna,Liudmyla,Inna,Daryna,Alina,Nataliia"),
		male:      names("Oleksandr,Andrii,Serhii,Dmytro,Volodymyr,Mykola,Ivan,Yurii,Vasyl,Maksym,Artem,Bohdan,Vitalii,Taras"),
		last:      names("Shevchenko,Kovalenko,Bondarenko,Tkachenko,Kravchenko,Melnyk,Oliinyk,Shevchuk,Polishchuk,Boiko,Kovalchuk,Lysenko,Marchenko,Rudenko,Savchenko,Petrenko,Moroz,Pavlenko,Ponomarenko,Kushnir"),
		latin:     0.35, fshare: 0.72,
		schooling: [6]float64{0, 1, 4, 35, 56, 4},
		civic:     civicProtected,
	},
	{ // Russia, Belarus, Kazakhstan, Moldova
		weight:    2,
		langs:     choices("Russisch:100"),
		countries: choices("RU:58,BY:14,KZ:14,MD:8,UZ:6"),
		female:    names("Anna,Elena,Natalia,Olga,Irina,Ekaterina,Svetlana,Tatiana,Yulia,Maria,Ksenia"),
		male:      names("Aleksandr,Dmitri,Sergei,Andrei,Alexei,Ivan,Mikhail,Nikolai,Pavel,Roman"),
		last:      names("Ivanov,Smirnov,Kuznetsov,Popov,Sokolov,Petrov,Volkov,Morozov,Novikov,Fedorov,Orlov,Belov"),
		lastF:     names("Ivanova,Smirnova,Kuznetsova,Popova,Sokolova,Petrova,Volkova,Morozova,Novikova,Fedorova,Orlova,Belova"),
		latin:     0.4, fshare: 0.64,
		schooling: [6]float64{0, 1, 5, 34, 55, 5},
		civic:     civicNonEU,
	},
	{ // Turkey, Turkish and Kurdish speakers
		weight:    5,
		langs:     choices("Turks:80,Koerdisch:20"),
		countries: choices("TR:100"),
		female:    names("Ayşe,Fatma,Emine,Hatice,Zeynep,Elif,Merve,Büşra,Esra,Seda,Gül,Hülya,Derya,Sevda,Özlem"),
		male:      names("Mehmet,Mustafa,Ahmet,Ali,Hüseyin,Hasan,İbrahim,Murat,Emre,Burak,Yusuf,Serkan,Kemal,Okan,Ömer"),
		last:      names("Yılmaz,Kaya,Demir,Şahin,Çelik,Yıldız,Yıldırım,Öztürk,Aydın,Özdemir,Arslan,Doğan,Kılıç,Aslan,Çetin,Kara,Koç,Kurt"),
		latin:     1, fshare: 0.58,
		schooling: [6]float64{5, 30, 20, 25, 15, 5},
		civic:     civicNonEU,
	},
	{ // Spain and Latin America
		weight:    4.5,
		langs:     choices("Spaans:100"),
		countries: choices("ES:28,VE:20,CO:20,PE:8,EC:8,AR:5,MX:5,CL:4,CU:2"),
		female:    names("María,Carmen,Ana,Laura,Lucía,Daniela,Valentina,Gabriela,Andrea,Paola,Carolina,Mariana,Sofía,Marta,Alejandra"),
		male:      names("José,Carlos,Juan,Luis,Javier,Miguel,Alejandro,Andrés,Diego,Jorge,Pablo,David,Sergio,Daniel,Felipe"),
		last:      names("García,Rodríguez,Martínez,López,González,Hernández,Pérez,Sánchez,Ramírez,Torres,Flores,Rivera,Gómez,Díaz,Morales,Castillo,Romero,Vargas"),
		latin:     1, fshare: 0.6,
		schooling: [6]float64{1, 5, 12, 35, 42, 5},
		civic:     civicNonEU,
	},
	{ // Brazil, Portugal, Angola, Cape Verde
		weight:    2.5,
		langs:     choices("Portugees:100"),
		countries: choices("BR:60,PT:30,AO:5,CV:5"),
		female:    names("Ana,Mariana,Juliana,Beatriz,Fernanda,Camila,Larissa,Patrícia,Joana,Rita,Inês"),
		male:      names("João,Pedro,Lucas,Gabriel,Rafael,Tiago,Bruno,Felipe,Rodrigo,Gustavo,Diogo"),
		last:      names("Silva,Santos,Oliveira,Souza,Pereira,Costa,Ferreira,Rodrigues,Almeida,Carvalho,Gomes,Ribeiro,Martins,Lima"),
		latin:     1, fshare: 0.57,
		schooling: [6]float64{1, 8, 15, 36, 35, 5},
		civic:     civicNonEU,
	},
	{ // Poland
		weight:    3,
		langs:     choices("Pools:100"),
		countries: choices("PL:100"),
		female:    names("Anna,Katarzyna,Magdalena,Agnieszka,Joanna,Małgorzata,Monika,Ewa,Paulina,Aleksandra,Justyna,Karolina"),
		male:      names("Piotr,Krzysztof,Tomasz,Paweł,Marcin,Michał,Łukasz,Grzegorz,Jakub,Mateusz,Adam,Kamil"),
		last:      names("Kowalski,Nowak,Wiśniewski,Wójcik,Kamiński,Lewandowski,Zieliński,Szymański,Woźniak,Dąbrowski,Kozłowski,Jankowski,Mazur,Krawczyk"),
		lastF:     names("Kowalska,Nowak,Wiśniewska,Wójcik,Kamińska,Lewandowska,Zielińska,Szymańska,Woźniak,Dąbrowska,Kozłowska,Jankowska,Mazur,Krawczyk"),
		latin:     1, fshare: 0.55,
		schooling: [6]float64{0, 3, 22, 50, 20, 5},
		civic:     civicEU,
	},
	{ // Romania and Moldova
		weight:    4,
		langs:     choices("Roemeens:100"),
		countries: choices("RO:86,MD:14"),
		female:    names("Maria,Elena,Ioana,Andreea,Mihaela,Alexandra,Cristina,Gabriela,Adriana,Ana-Maria,Roxana,Simona,Daniela,Florentina"),
		male:      names("Ion,Gheorghe,Constantin,Alexandru,Andrei,Mihai,Florin,Adrian,Marius,Ionuț,Cristian,Bogdan,Vasile,Nicolae"),
		last:      names("Popescu,Ionescu,Popa,Pop,Radu,Dumitru,Stan,Stoica,Gheorghe,Matei,Ciobanu,Rusu,Munteanu,Constantin,Moldovan,Lungu,Marin,Tudor"),
		latin:     1, fshare: 0.52,
		schooling: [6]float64{3, 12, 30, 38, 12, 5},
		civic:     civicEU,
	},
	{ // Bulgaria
		weight:    1.5,
		langs:     choices("Bulgaars:78,Turks:22"),
		countries: choices("BG:100"),
		female:    names("Maria,Ivanka,Elena,Desislava,Yordanka,Petya,Gergana,Svetla,Milena,Nadezhda"),
		male:      names("Georgi,Ivan,Dimitar,Nikolay,Petar,Hristo,Stoyan,Todor,Yordan,Kaloyan"),
		last:      names("Georgiev,Dimitrov,Ivanov,Petrov,Nikolov,Stoyanov,Todorov,Yordanov,Angelov,Kolev"),
		lastF:     names("Georgieva,Dimitrova,Ivanova,Petrova,Nikolova,Stoyanova,Todorova,Yordanova,Angelova,Koleva"),
		latin:     0.5, fshare: 0.5,
		schooling: [6]float64{8, 20, 30, 27, 10, 5},
		civic:     civicEU,
	},
	{ // Somalia
		weight:    2.5,
		langs:     choices("Somali:100"),
		countries: choices("SO:86,KE:8,DJ:6"),
		female:    names("Hodan,Fadumo,Sahra,Amina,Halima,Ayaan,Nimco,Ifrah,Hibo,Sagal,Ubah,Asha,Deeqa"),
		male:      names("Abdi,Mohamed,Ahmed,Abdirahman,Abdullahi,Hassan,Omar,Yusuf,Farah,Ismail,Abdikarim,Liban,Mahad,Guled"),
		last:      names("Mohamed,Ahmed,Hassan,Abdi,Ali,Warsame,Farah,Jama,Osman,Nur,Egal,Duale,Hersi,Yusuf,Abdullahi,Aden"),
		latin:     1, fshare: 0.45,
		schooling: [6]float64{35, 25, 15, 12, 5, 8},
		civic:     civicNonEU,
	},
	{ // China
		weight:    1.5,
		langs:     choices("Chinees:100"),
		countries: choices("CN:90,TW:5,HK:5"),
		female:    names("Li,Mei,Xiaoling,Jing,Yan,Fang,Hui,Ying,Xue,Lan,Qian,Yuting"),
		male:      names("Wei,Jun,Hao,Lei,Qiang,Ming,Jie,Tao,Bo,Peng,Chao,Zhiwei"),
		last:      names("Wang,Li,Zhang,Liu,Chen,Yang,Huang,Zhao,Wu,Zhou,Xu,Sun,Ma,Zhu,Hu,Lin"),
		latin:     0.45, fshare: 0.6,
		schooling: [6]float64{2, 10, 20, 28, 35, 5},
		civic:     civicNonEU,
	},
	{ // Iran
		weight:    1.5,
		langs:     choices("Farsi:100"),
		countries: choices("IR:100"),
		female:    names("Maryam,Zahra,Narges,Sara,Fatemeh,Leila,Mahsa,Neda,Shirin,Parisa"),
		male:      names("Mohammad,Ali,Reza,Hossein,Mehdi,Amir,Hamed,Saeed,Arash,Babak"),
		last:      names("Hosseini,Mohammadi,Rezaei,Ahmadi,Moradi,Karimi,Jafari,Rahimi,Sadeghi,Kazemi,Ghasemi,Shirazi"),
		latin:     0.5, fshare: 0.5,
		schooling: [6]float64{3, 8, 12, 30, 42, 5},
		civic:     civicNonEU,
	},
	{ // Guinea, Senegal, Ivory Coast, Mali, Burkina Faso
		weight:    4,
		langs:     choices("Frans:50,Fula:30,Wolof:10,Bambara:10"),
		countries: choices("GN:45,CI:20,SN:15,ML:10,BF:10"),
		female:    names("Fatoumata,Mariama,Aminata,Kadiatou,Hawa,Aissatou,Oumou,Fanta,Binta,Djenabou,Ramatoulaye"),
		male:      names("Mamadou,Ibrahima,Alpha,Ousmane,Amadou,Abdoulaye,Mohamed,Sekou,Lamine,Boubacar,Moussa,Souleymane"),
		last:      names("Diallo,Bah,Barry,Sow,Camara,Traoré,Touré,Keita,Kouyaté,Sylla,Condé,Konaté,Diakité,Coulibaly,Ndiaye,Diop"),
		latin:     1, fshare: 0.35,
		schooling: [6]float64{30, 22, 16, 14, 10, 8},
		civic:     civicNonEU,
	},
	{ // Congo, Cameroon, Burundi, Rwanda
		weight:    3.5,
		langs:     choices("Frans:60,Lingala:25,Swahili:15"),
		countries: choices("CD:70,CM:15,BI:8,RW:7"),
		female:    names("Grace,Christelle,Esther,Ruth,Chantal,Nadine,Francine,Merveille,Divine,Sarah,Ornella"),
		male:      names("Jean-Pierre,Patrick,Christian,Joseph,Emmanuel,Trésor,Glody,Dieudonné,Blaise,Serge,Olivier"),
		last:      names("Mukendi,Kabongo,Tshibanda,Ngoy,Ilunga,Kalonji,Mbuyi,Lukusa,Mputu,Nkurunziza,Habimana,Niyonzima,Mbarga,Fotso,Kasongo"),
		latin:     1, fshare: 0.56,
		schooling: [6]float64{6, 14, 20, 30, 24, 6},
		civic:     civicNonEU,
	},
	{ // French-speaking Belgians and French in Brussels and the Rand
		weight:    4,
		langs:     choices("Frans:100"),
		countries: choices("BE:45,FR:55"),
		female:    names("Marie,Sophie,Julie,Camille,Léa,Nathalie,Isabelle,Céline,Manon,Chloé,Aurélie"),
		male:      names("Thomas,Nicolas,Julien,Pierre,Maxime,Antoine,Olivier,Laurent,Mathieu,Alexandre,Sébastien"),
		last:      names("Dubois,Lambert,Martin,Dupont,Leroy,Lefebvre,Simon,Laurent,Renard,Mercier,Fontaine,Girard,Lemaire,Dumont"),
		latin:     1, fshare: 0.55,
		schooling: [6]float64{0, 1, 5, 30, 60, 4},
		civic:     civicEU,
	},
	{ // India: IT and engineering knowledge migrants and their partners
		weight:    3,
		langs:     choices("Hindi:35,Tamil:20,Telugu:20,Malayalam:15,Engels:10"),
		countries: choices("IN:100"),
		female:    names("Priya,Anjali,Divya,Lakshmi,Pooja,Sneha,Kavya,Deepa,Meera,Swati"),
		male:      names("Rahul,Arjun,Vikram,Suresh,Rajesh,Anil,Karthik,Sanjay,Amit,Venkat,Praveen"),
		last:      names("Sharma,Patel,Kumar,Singh,Reddy,Nair,Iyer,Gupta,Rao,Menon,Krishnan,Pillai,Verma"),
		latin:     0.8, fshare: 0.5,
		schooling: [6]float64{0, 1, 3, 16, 76, 4},
		civic:     civicExpat,
	},
	{ // Nigeria and Ghana
		weight:    2,
		langs:     choices("Engels:60,Yoruba:15,Igbo:15,Twi:10"),
		countries: choices("NG:65,GH:35"),
		female:    names("Blessing,Chioma,Funmilayo,Grace,Abena,Akosua,Ngozi,Esther,Joy,Adaeze"),
		male:      names("Chinedu,Emeka,Oluwaseun,Tunde,Kwame,Kofi,Samuel,Daniel,Ifeanyi,Babatunde"),
		last:      names("Okafor,Adeyemi,Okeke,Mensah,Owusu,Boateng,Nwosu,Adebayo,Eze,Asante,Ogunleye,Osei"),
		latin:     1, fshare: 0.5,
		schooling: [6]float64{2, 6, 14, 38, 34, 6},
		civic:     civicNonEU,
	},
	{ // Albania, Kosovo, North Macedonia
		weight:    1.5,
		langs:     choices("Albanees:100"),
		countries: choices("AL:50,XK:40,MK:10"),
		female:    names("Arta,Blerta,Drita,Elira,Fatbardha,Luljeta,Mirela,Vjosa,Besa,Era"),
		male:      names("Arben,Besnik,Driton,Ermal,Fatos,Gentian,Ilir,Leutrim,Valon,Visar"),
		last:      names("Hoxha,Krasniqi,Berisha,Gashi,Shala,Morina,Bytyqi,Kelmendi,Leka,Dervishi"),
		latin:     1, fshare: 0.5,
		schooling: [6]float64{4, 16, 30, 32, 12, 6},
		civic:     civicNonEU,
	},
	{ // Italy
		weight:    1,
		langs:     choices("Italiaans:100"),
		countries: choices("IT:100"),
		female:    names("Giulia,Francesca,Chiara,Sara,Martina,Elisa,Valentina"),
		male:      names("Marco,Luca,Giuseppe,Andrea,Matteo,Alessandro,Francesco"),
		last:      names("Rossi,Russo,Ferrari,Esposito,Bianchi,Romano,Colombo,Ricci,Marino,Greco"),
		latin:     1, fshare: 0.5,
		schooling: [6]float64{0, 2, 10, 40, 44, 4},
		civic:     civicEU,
	},
	{ // Pakistan, Urdu speakers
		weight:    1,
		langs:     choices("Urdu:80,Punjabi:20"),
		countries: choices("PK:100"),
		female:    names("Ayesha,Fatima,Sana,Hina,Amna,Maryam,Saba,Rabia"),
		male:      names("Muhammad,Ali,Usman,Bilal,Hamza,Imran,Faisal,Asad,Zeeshan"),
		last:      names("Khan,Ahmed,Malik,Hussain,Iqbal,Butt,Chaudhry,Qureshi,Raza,Shah"),
		latin:     0.5, fshare: 0.4,
		schooling: [6]float64{10, 15, 20, 25, 24, 6},
		civic:     civicNonEU,
	},
	{ // The Philippines
		weight:    0.8,
		langs:     choices("Tagalog:100"),
		countries: choices("PH:100"),
		female:    names("Maria,Mary Grace,Joy,Rowena,Jennifer,Rachelle,Kristine"),
		male:      names("Jose,Mark,John Paul,Ronald,Ryan,Jerome"),
		last:      names("Santos,Reyes,Cruz,Bautista,Garcia,Mendoza,dela Cruz,Villanueva,Ramos,Aquino"),
		latin:     1, fshare: 0.7,
		schooling: [6]float64{1, 4, 10, 40, 40, 5},
		civic:     civicNonEU,
	},
}

var originWeights = func() []float64 {
	w := make([]float64, len(origins))
	for i, o := range origins {
		w[i] = o.weight
	}
	return w
}()

// civic status weights (obliged, entitled, voluntary, none) per civic kind.
var civicCodes = [4]string{"obliged", "entitled", "voluntary", "none"}

var civicWeights = [4][]float64{
	civicNonEU:     {64, 19, 12, 5},
	civicEU:        {0, 42, 48, 10},
	civicProtected: {14, 56, 25, 5},
	civicExpat:     {12, 18, 45, 25},
}
