"""The demo cases: incidents, people, statements, outreach and follow-up actions.

Data only, no service calls: ``casefiles.demo.play`` writes it through the services. The
incidents are synthetic (no real victims, names or events); their shapes follow the OSCE
categories.

Statements are written in the municipality's usual source language (Albanian in Prizren
and Gjilan, Serbian Cyrillic in Graçanicë) and translated into every required language.
The Romani texts are demo quality.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from casefiles.models import CaseState
from mcsc.models import MeetingKind

# The main path of the lifecycle; dismissed branches off at "reported".
_PATH = [
    CaseState.REPORTED,
    CaseState.VERIFIED,
    CaseState.COUNCIL_CONVENED,
    CaseState.STATEMENT_DRAFTED,
    CaseState.STATEMENT_APPROVED,
    CaseState.STATEMENT_PUBLISHED,
    CaseState.OUTREACH_CONDUCTED,
    CaseState.FOLLOW_UP,
    CaseState.CLOSED,
]


# --- Cases ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Text:
    title: str
    text: str


@dataclass(frozen=True)
class DemoAction:
    description: str
    owner: str
    due_days: int  # after the outreach
    done_days: int | None = None  # after the outreach
    drop_reason: str = ""
    from_meeting: bool = False  # added from the council meeting's agenda item


@dataclass(frozen=True)
class DemoOutreach:
    days_after_incident: int
    place: str
    officials_present: str
    women: int
    men: int
    concerns_raised: str
    commitments_made: str
    language: str


@dataclass(frozen=True)
class DemoCase:
    key: str
    slug: str
    target: CaseState
    occurred_days_ago: int
    occurred_time: str
    report_delay_minutes: int
    settlement: str
    location: str
    category: str
    community: str
    summary: str
    source: str
    source_reference: str = ""
    coordinates: tuple[str, str] | None = None
    people: tuple[dict[str, str], ...] = ()
    verification: tuple[str, str] = ("police", "")
    dismissal_reason: str = ""
    meeting_after_days: int = 2
    meeting_time: str = "10:00"
    meeting_kind: str = MeetingKind.EXTRAORDINARY
    other_agenda: tuple[str, ...] = ()
    # The statement in its source language first, then the translations.
    statement: dict[str, Text] = field(default_factory=dict)
    # Languages translated but not yet approved by the secretary.
    unapproved: tuple[str, ...] = ()
    rejected_draft: tuple[Text, str] | None = None
    publish_after_days: int = 3
    channels: tuple[str, ...] = ("website", "social_media", "press_release")
    outreach: DemoOutreach | None = None
    actions: tuple[DemoAction, ...] = ()
    closing: tuple[str, int, int] | None = None
    # For a case reported moments ago: hours before now (overrides the day and time).
    occurred_hours_ago: int | None = None


CASES: tuple[DemoCase, ...] = (
    # --- Prizren ---------------------------------------------------------------------
    DemoCase(
        key="prizren-church-graffiti",
        slug="prizren",
        target=CaseState.CLOSED,
        occurred_days_ago=75,
        occurred_time="23:30",
        report_delay_minutes=8 * 60 + 40,
        settlement="Prizren",
        location="Serbian Orthodox church in the historic centre, outer wall and door",
        category="site_graffiti",
        community="serb",
        summary=(
            "Nationalist and threatening graffiti were sprayed overnight on the outer wall and "
            "the door of a Serbian Orthodox church in the historic centre. The caretaker found "
            "them in the morning and called the police."
        ),
        source="police",
        source_reference="{year}-PZ-1187",
        coordinates=("42.2093", "20.7408"),
        verification=("police", "PZ-{year}-1187"),
        other_agenda=("Security of religious and cultural sites in the historic centre",),
        statement={
            "sq": Text(
                "Komuna e Prizrenit dënon grafitet në kishën ortodokse serbe",
                "Komuna e Prizrenit dënon ashpër grafitet fyese dhe kërcënuese të shkruara "
                "gjatë natës në murin e një kishe ortodokse serbe në qendrën historike. "
                "Sulmet ndaj objekteve fetare janë sulme ndaj të gjithë qytetarëve të "
                "Prizrenit dhe ndaj traditës sonë të bashkëjetesës. Kërkojmë nga Policia e "
                "Kosovës që t'i identifikojë autorët sa më shpejt. Komuna do t'i pastrojë "
                "grafitet menjëherë, në marrëveshje me kishën.",
            ),
            "sr-Cyrl": Text(
                "Општина Призрен осуђује графите на српској православној цркви",
                "Општина Призрен најоштрије осуђује увредљиве и претеће графите исписане "
                "током ноћи на зиду српске православне цркве у историјском центру. Напади на "
                "верске објекте напади су на све грађане Призрена и на нашу традицију "
                "суживота. Тражимо од Косовске полиције да што пре идентификује починиоце. "
                "Општина ће графите одмах уклонити, у договору са црквом.",
            ),
            "tr": Text(
                "Prizren Belediyesi Sırp Ortodoks kilisesindeki grafitileri kınıyor",
                "Prizren Belediyesi, gece saatlerinde tarihi merkezdeki bir Sırp Ortodoks "
                "kilisesinin duvarına yazılan hakaret ve tehdit içerikli grafitileri şiddetle "
                "kınar. Dini mekânlara yönelik saldırılar, tüm Prizrenlilere ve birlikte "
                "yaşama geleneğimize yönelik saldırılardır. Kosova Polisinden failleri en kısa "
                "sürede tespit etmesini talep ediyoruz. Belediye, kiliseyle mutabakat içinde "
                "grafitileri derhal temizleyecektir.",
            ),
            "bs": Text(
                "Općina Prizren osuđuje grafite na srpskoj pravoslavnoj crkvi",
                "Općina Prizren najoštrije osuđuje uvredljive i prijeteće grafite ispisane "
                "tokom noći na zidu srpske pravoslavne crkve u historijskom centru. Napadi na "
                "vjerske objekte napadi su na sve građane Prizrena i na našu tradiciju "
                "suživota. Tražimo od Kosovske policije da što prije identificira počinioce. "
                "Općina će grafite odmah ukloniti, u dogovoru s crkvom.",
            ),
            "rom": Text(
                "I Komuna Prizren osudinela e grafitija upral i srbikani pravoslavno khangeri",
                "I Komuna Prizren zorale osudinela e ladžavne thaj darane grafitija save sine "
                "ramome ki rat upral o zido jekhe srbikane pravoslavne khangeresko ano "
                "historiko centro. O atakija upral e khangerja thaj e džamija si atakija upral "
                "sa e dizutne e Prizrenesko thaj upral amari tradicija te živinas khetane. "
                "Mangas e Kosovaka Policijatar te arakhel majsigo okolen kaj kerde akava. "
                "I Komuna ka khosel e grafitija akana, ano dogovori e khangeresa.",
            ),
        },
        outreach=DemoOutreach(
            days_after_incident=8,
            place="Churchyard of the Serbian Orthodox church, Prizren",
            officials_present=(
                "Deputy mayor for communities; police station commander; MCSC chair"
            ),
            women=4,
            men=7,
            concerns_raised=(
                "Night-time security of the church; earlier minor incidents were not followed "
                "up; the few remaining Serb residents feel exposed."
            ),
            commitments_made=(
                "A camera at the church entrance; night patrols in the historic centre for a "
                "month; graffiti removed within 48 hours of any new report."
            ),
            language="sr-Cyrl",
        ),
        actions=(
            DemoAction(
                "Install a CCTV camera at the church entrance",
                "Directorate of Public Services",
                due_days=30,
                done_days=21,
            ),
            DemoAction(
                "Night patrols in the historic centre for one month",
                "Kosovo Police, Prizren station",
                due_days=31,
                done_days=31,
            ),
            DemoAction(
                "Repaint the churchyard wall",
                "Directorate of Public Services",
                due_days=14,
                drop_reason="The parish repainted the wall with its own volunteers first.",
            ),
        ),
        closing=(
            "Graffiti removed the day after the incident; a camera covers the church entrance "
            "and night patrols ran for a month. No further incidents at the church since. "
            "Police identified two juvenile suspects; the case is with the prosecutor.",
            2,
            4,
        ),
    ),
    DemoCase(
        key="prizren-turkish-school-theft",
        slug="prizren",
        target=CaseState.FOLLOW_UP,
        occurred_days_ago=45,
        occurred_time="02:15",
        report_delay_minutes=5 * 60 + 30,
        settlement="Prizren",
        location="Primary school with Turkish-language classes, city centre",
        category="property_theft",
        community="turk",
        summary=(
            "Burglary at night at a primary school with Turkish-language classes: six laptops "
            "and the Turkish-language class library were taken, Turkish-language posters were "
            "torn down and an insulting slogan was written on a classroom board."
        ),
        source="police",
        source_reference="{year}-PZ-1502",
        people=({"role": "reporter", "name": "Aylin Hoca", "notes": "School director"},),
        verification=("police", "PZ-{year}-1502"),
        statement={
            "sq": Text(
                "Komuna e Prizrenit dënon vjedhjen në shkollën me mësim në gjuhën turke",
                "Komuna e Prizrenit dënon ashpër vjedhjen dhe dëmtimin në një shkollë fillore "
                "ku nxënësit mësojnë në gjuhën turke. Vjedhja e mjeteve mësimore të fëmijëve "
                "dhe parullat fyese nuk kanë vend në qytetin tonë. Policia e Kosovës ka hapur "
                "hetime dhe ne kërkojmë që autorët të dalin para drejtësisë. Komuna do t'i "
                "zëvendësojë menjëherë laptopët dhe librat e vjedhur, që mësimi të vazhdojë "
                "pa ndërprerje.",
            ),
            "sr-Cyrl": Text(
                "Општина Призрен осуђује крађу у школи са наставом на турском језику",
                "Општина Призрен најоштрије осуђује крађу и оштећење у основној школи у којој "
                "ученици похађају наставу на турском језику. Крађа наставних средстава "
                "намењених деци и увредљиве пароле немају места у нашем граду. Косовска "
                "полиција је покренула истрагу и тражимо да починиоци одговарају пред правдом. "
                "Општина ће одмах надокнадити украдене лаптопове и књиге, како би се настава "
                "наставила без прекида.",
            ),
            "tr": Text(
                "Prizren Belediyesi Türkçe eğitim veren okuldaki hırsızlığı kınıyor",
                "Prizren Belediyesi, öğrencilerin Türkçe eğitim gördüğü bir ilkokulda yaşanan "
                "hırsızlık ve tahribatı şiddetle kınar. Çocukların ders araçlarının çalınması "
                "ve okula yazılan hakaret içerikli sloganlar şehrimizde kabul edilemez. Kosova "
                "Polisi soruşturma başlatmıştır; faillerin adalet önünde hesap vermesini talep "
                "ediyoruz. Belediye, derslerin kesintisiz sürmesi için çalınan dizüstü "
                "bilgisayarları ve kitapları derhal yenileyecektir.",
            ),
            "bs": Text(
                "Općina Prizren osuđuje krađu u školi s nastavom na turskom jeziku",
                "Općina Prizren najoštrije osuđuje krađu i oštećenje u osnovnoj školi u kojoj "
                "učenici pohađaju nastavu na turskom jeziku. Krađa nastavnih sredstava "
                "namijenjenih djeci i uvredljive parole nemaju mjesta u našem gradu. Kosovska "
                "policija je pokrenula istragu i tražimo da počinioci odgovaraju pred pravdom. "
                "Općina će odmah nadoknaditi ukradene laptope i knjige kako bi se nastava "
                "nastavila bez prekida.",
            ),
            "rom": Text(
                "I Komuna Prizren osudinela i čoripe ani škola kaj sikljovena ki turkikani čhib",
                "I Komuna Prizren zorale osudinela i čoripe thaj o phagipe ani osnovno škola "
                "kaj e sikljovne sikljovena ki turkikani čhib. Akava čoripe thaj e ladžavne "
                "parole naj len than ano amaro foro. I Kosovaki "
                "Policija phuterda istraga thaj mangas okola kaj kerde akava te ačhen angla i "
                "pravda. I Komuna ka parudel sigate e laptopija thaj e lila, te šaj o "
                "sikljovipe džal majdur bizo ačhavipe.",
            ),
        },
        outreach=DemoOutreach(
            days_after_incident=7,
            place="The school's hall (meeting with the parents' council), Prizren",
            officials_present=(
                "Deputy mayor for communities; Director of Education; police station commander"
            ),
            women=14,
            men=11,
            concerns_raised=(
                "Parents worry about the safety of the school at night and about messages "
                "aimed at Turkish-speaking pupils; classes lost their laptops."
            ),
            commitments_made=(
                "Laptops and books replaced; alarm and outdoor lighting for the school; weekly "
                "visits by the community policing officer during term."
            ),
            language="tr",
        ),
        actions=(
            DemoAction(
                "Replace the six stolen laptops and the Turkish-language class library",
                "Directorate of Education",
                due_days=20,
                done_days=15,
            ),
            DemoAction(
                "Install an alarm system and outdoor lighting at the school",
                "Directorate of Education",
                due_days=60,
                from_meeting=True,
            ),
            DemoAction(
                "Weekly visits of the community policing officer to the school during term",
                "Kosovo Police, Prizren station",
                due_days=120,
            ),
        ),
    ),
    DemoCase(
        key="prizren-dismissed-social-media",
        slug="prizren",
        target=CaseState.DISMISSED,
        occurred_days_ago=30,
        occurred_time="17:45",
        report_delay_minutes=26 * 60,
        settlement="Prizren",
        location="Shadërvan square",
        category="person_physical",
        community="bosniak",
        summary=(
            "Posts on social media claimed that a Bosniak student had been beaten by a group "
            "in the city centre because he spoke Bosnian."
        ),
        source="media",
        source_reference="Facebook page of a local news portal",
        dismissal_reason=(
            "Police (case PZ-{year}-1641) and the student's family confirm a quarrel between "
            "acquaintances over a debt, with no injuries and no ethnic element. The family "
            "asked for no further action."
        ),
    ),
    DemoCase(
        key="prizren-roma-family-threats",
        slug="prizren",
        target=CaseState.OUTREACH_CONDUCTED,
        occurred_days_ago=21,
        occurred_time="19:40",
        report_delay_minutes=80,
        settlement="Prizren",
        location="Tusus neighbourhood, in front of the family's house",
        category="person_verbal",
        community="roma",
        summary=(
            "Three young men shouted ethnic insults and threats at members of a Roma family in "
            "front of their house and told them to leave the neighbourhood. No one was "
            "injured. The family's children have not gone to school since."
        ),
        source="community",
        source_reference="Call from a Roma civil society organisation",
        coordinates=("42.2161", "20.7297"),
        people=(
            {"role": "victim", "name": "Selvije Bajrami", "contact": "+383 49 000 101"},
            {"role": "reporter", "name": "Nexhat Ibishi", "notes": "Roma NGO field worker"},
        ),
        verification=("police", "PZ-{year}-1893"),
        meeting_after_days=3,
        meeting_time="11:00",
        publish_after_days=4,
        statement={
            "sq": Text(
                "Komuna e Prizrenit dënon kërcënimet ndaj një familjeje rome",
                "Komuna e Prizrenit dënon ashpër fyerjet dhe kërcënimet verbale ndaj një "
                "familjeje rome në lagjen Tusus. Veprime të tilla nuk kanë vend në qytetin "
                "tonë, ku të gjitha komunitetet jetojnë së bashku. Bëjmë thirrje Policisë së "
                "Kosovës që t'i gjejë autorët dhe t'i sjellë para drejtësisë. Komuna do t'i "
                "ofrojë familjes dhe fëmijëve të saj gjithë mbështetjen e nevojshme, që ata "
                "të kthehen në shkollë.",
            ),
            "sr-Cyrl": Text(
                "Општина Призрен осуђује претње ромској породици",
                "Општина Призрен најоштрије осуђује увреде и вербалне претње упућене једној "
                "ромској породици у насељу Тусус. Оваквим поступцима нема места у нашем граду, "
                "у којем све заједнице живе заједно. Позивамо Косовску полицију да пронађе "
                "починиоце и приведе их правди. Општина ће породици и њеној деци пружити сву "
                "потребну подршку, како би се деца вратила у школу.",
            ),
            "tr": Text(
                "Prizren Belediyesi bir Roman aileye yönelik tehditleri kınıyor",
                "Prizren Belediyesi, Tusus mahallesinde bir Roman aileye yönelik hakaret ve "
                "sözlü tehditleri şiddetle kınar. Tüm toplulukların bir arada yaşadığı "
                "şehrimizde bu tür davranışlara yer yoktur. Kosova Polisini failleri bulmaya "
                "ve adalete teslim etmeye çağırıyoruz. Belediye, çocukların okula geri "
                "dönebilmesi için aileye ve çocuklarına gerekli her türlü desteği "
                "sağlayacaktır.",
            ),
            "bs": Text(
                "Općina Prizren osuđuje prijetnje romskoj porodici",
                "Općina Prizren najoštrije osuđuje uvrede i verbalne prijetnje upućene jednoj "
                "romskoj porodici u naselju Tusus. Ovakvim postupcima nema mjesta u našem "
                "gradu, u kojem sve zajednice žive zajedno. Pozivamo Kosovsku policiju da "
                "pronađe počinioce i privede ih pravdi. Općina će porodici i njenoj djeci "
                "pružiti svu potrebnu podršku kako bi se djeca vratila u školu.",
            ),
            "rom": Text(
                "I Komuna Prizren osudinela e pretnje mamuj jekh romani familija",
                "I Komuna Prizren zorale osudinela e ladžavne lava thaj e pretnje save sine "
                "phende jekhe romane familijaće ano Tusus. Akava naj les than ano amaro foro, "
                "kaj sa e komunitetja živinena khetane. Akharas e Kosovaka Policija te "
                "arakhel okolen kaj kerde akava. I Komuna ka del sa i podrška e familijaće "
                "thaj lengere čhavenge, te šaj džan pale ani škola.",
            ),
        },
        outreach=DemoOutreach(
            days_after_incident=8,
            place="Community centre in the Tusus neighbourhood, Prizren",
            officials_present=(
                "Deputy mayor for communities; police community safety officer; MCSC Roma "
                "community representative; director of the Centre for Social Work"
            ),
            women=9,
            men=6,
            concerns_raised=(
                "The family fears the young men will come back; the children stopped going to "
                "school; the street lighting in the neighbourhood is poor."
            ),
            commitments_made=(
                "Evening police patrols in the neighbourhood; a social worker accompanies the "
                "children back to school; lighting in next month's maintenance plan."
            ),
            language="rom",
        ),
    ),
    DemoCase(
        key="prizren-bosniak-cars",
        slug="prizren",
        target=CaseState.STATEMENT_DRAFTED,
        occurred_days_ago=9,
        occurred_time="02:00",
        report_delay_minutes=5 * 60 + 30,
        settlement="Reçan/Rečane",
        location="Main road through the village (Zhupa/Župa valley)",
        category="property_damage",
        community="bosniak",
        summary=(
            "Tyres slashed and windscreens broken on four cars belonging to Bosniak families, "
            "parked along the main road of the village. An insulting message was painted on a "
            "wall nearby."
        ),
        source="police",
        source_reference="{year}-PZ-2204",
        coordinates=("42.1824", "20.8102"),
        verification=("police", "PZ-{year}-2204"),
        rejected_draft=(
            Text(
                "Deklaratë për incidentin në Reçan",
                "Komuna e Prizrenit dënon incidentin e ndodhur në fshatin Reçan dhe u bën "
                "thirrje qytetarëve të ruajnë qetësinë.",
            ),
            "Too general: name the affected community, say what happened and what the "
            "municipality will do (lighting, police patrols, support to the families).",
        ),
        statement={
            "sq": Text(
                "Komuna e Prizrenit dënon dëmtimin e veturave të familjeve boshnjake në Reçan",
                "Komuna e Prizrenit dënon ashpër dëmtimin e katër veturave të familjeve "
                "boshnjake në fshatin Reçan dhe mbishkrimin fyes të lënë në vendin e ngjarjes. "
                "Sulmet ndaj pronës së pjesëtarëve të një komuniteti janë sulme ndaj të gjithë "
                "neve. Bëjmë thirrje Policisë së Kosovës t'i gjejë autorët dhe i kemi kërkuar "
                "patrullim të shtuar gjatë natës në Zhupë. Komuna do të vendosë ndriçim publik "
                "përgjatë rrugës kryesore të fshatit.",
            ),
            "bs": Text(
                "Općina Prizren osuđuje oštećenje automobila bošnjačkih porodica u Rečanu",
                "Općina Prizren najoštrije osuđuje oštećenje četiri automobila bošnjačkih "
                "porodica u selu Rečane i uvredljiv natpis ostavljen na mjestu događaja. "
                "Napadi na imovinu pripadnika jedne zajednice napadi su na sve nas. Pozivamo "
                "Kosovsku policiju da pronađe počinioce i zatražili smo pojačane noćne patrole "
                "u Župi. Općina će postaviti javnu rasvjetu duž glavnog puta kroz selo.",
            ),
        },
        unapproved=("bs",),
    ),
    DemoCase(
        key="prizren-ashkali-workers",
        slug="prizren",
        target=CaseState.REPORTED,
        occurred_days_ago=0,
        occurred_time="",
        occurred_hours_ago=5,
        report_delay_minutes=110,
        settlement="Prizren",
        location="Near the bus station",
        category="person_verbal",
        community="ashkali",
        summary=(
            "Ashkali workers of the municipal cleaning company were insulted and threatened by "
            "a driver who stopped next to them; he threw a bottle in their direction and left."
        ),
        source="community",
        source_reference="Phone call from the workers' supervisor",
        people=({"role": "reporter", "name": "Agron Zeka", "notes": "Shift supervisor"},),
    ),
    # --- Graçanicë/Gračanica -----------------------------------------------------------
    DemoCase(
        key="gracanica-barn-arson",
        slug="gracanica",
        target=CaseState.CLOSED,
        occurred_days_ago=90,
        occurred_time="01:30",
        report_delay_minutes=90,
        settlement="Skullanevë/Skulanevo",
        location="Barn next to the family's house, edge of the village",
        category="property_arson",
        community="albanian",
        summary=(
            "A barn with hay and farm equipment belonging to an Albanian family burned down at "
            "night. The fire brigade found traces of petrol; the family had received anonymous "
            "threats a week earlier."
        ),
        source="police",
        source_reference="{year}-GR-0391",
        people=({"role": "victim", "name": "Hajriz Morina", "contact": "+383 44 000 202"},),
        verification=("police", "GR-{year}-0391"),
        meeting_after_days=1,
        meeting_time="12:00",
        publish_after_days=2,
        statement={
            "sr-Cyrl": Text(
                "Општина Грачаница осуђује паљење штале албанске породице у Скуланеву",
                "Општина Грачаница најоштрије осуђује паљење штале албанске породице у селу "
                "Скуланево. Насиље и застрашивање према било којој заједници у нашој општини "
                "су неприхватљиви. Позивамо Косовску полицију да хитно пронађе починиоце и "
                "приведе их правди. Општина ће помоћи породици да обнови шталу и надокнади "
                "изгубљено.",
            ),
            "sq": Text(
                "Komuna e Graçanicës dënon djegien e stallës së një familjeje shqiptare në "
                "Skullanevë",
                "Komuna e Graçanicës dënon ashpër djegien e stallës së një familjeje shqiptare "
                "në fshatin Skullanevë. Dhuna dhe frikësimi ndaj cilitdo komuniteti në komunën "
                "tonë janë të papranueshme. I bëjmë thirrje Policisë së Kosovës që me urgjencë "
                "t'i gjejë autorët dhe t'i sjellë para drejtësisë. Komuna do ta ndihmojë "
                "familjen ta rindërtojë stallën dhe ta kompensojë dëmin.",
            ),
            "rom": Text(
                "I Komuna Graçanica osudinela o phabaripe e štalako jekhe albanikane familijako",
                "I Komuna Graçanica zorale osudinela o phabaripe e štalako jekhe albanikane "
                "familijako ano gav Skulanevo. I zor thaj o daravipe mamuj savo te si "
                "komuniteti ani amari komuna naj akceptirime. Akharas e Kosovaka Policija te "
                "arakhel sigate okolen kaj kerde akava thaj te anel len angla i pravda. "
                "I Komuna ka del vast e familijaće te kerel pale i štala.",
            ),
        },
        outreach=DemoOutreach(
            days_after_incident=4,
            place="The family's home and the village mosque courtyard, Skullanevë/Skulanevo",
            officials_present=(
                "Mayor; deputy mayor for communities; police station commander; head of the "
                "Office for Communities and Returns"
            ),
            women=5,
            men=17,
            concerns_raised=(
                "Fear of further arson; the family lost its winter fodder; the fire brigade "
                "took long to reach the village."
            ),
            commitments_made=(
                "Building material for a new barn and fodder for the winter; a police community "
                "meeting in the village."
            ),
            language="sq",
        ),
        actions=(
            DemoAction(
                "Provide building material for a new barn and winter fodder to the family",
                "Office for Communities and Returns",
                due_days=30,
                done_days=20,
            ),
            DemoAction(
                "Police community meeting in the village",
                "Kosovo Police, Gračanica station",
                due_days=14,
                done_days=10,
                from_meeting=True,
            ),
        ),
        closing=(
            "The family rebuilt the barn with municipal building material and received fodder "
            "for the winter. The police held a community meeting in the village; no further "
            "threats were reported. The investigation continues.",
            2,
            3,
        ),
    ),
    DemoCase(
        key="gracanica-roma-houses-stoned",
        slug="gracanica",
        target=CaseState.STATEMENT_PUBLISHED,
        occurred_days_ago=28,
        occurred_time="22:00",
        report_delay_minutes=35,
        settlement="Graçanicë/Gračanica",
        location="Roma neighbourhood, three houses on the same street",
        category="property_damage",
        community="roma",
        summary=(
            "Stones were thrown at three houses of Roma families in the evening; windows were "
            "broken and children were frightened. Neighbours saw a group of youths run away."
        ),
        source="police",
        source_reference="{year}-GR-0533",
        verification=("police", "GR-{year}-0533"),
        meeting_after_days=3,
        publish_after_days=4,
        statement={
            "sr-Cyrl": Text(
                "Општина Грачаница осуђује каменовање ромских кућа",
                "Општина Грачаница најоштрије осуђује каменовање кућа ромских породица у "
                "Грачаници, у којем су разбијени прозори и уплашена деца. Роми су део наше "
                "заједнице и имају право да живе безбедно у својим домовима. Позивамо Косовску "
                "полицију да пронађе одговорне, а општина ће породицама надокнадити штету на "
                "прозорима.",
            ),
            "sq": Text(
                "Komuna e Graçanicës dënon gurëzimin e shtëpive të romëve",
                "Komuna e Graçanicës dënon ashpër gurëzimin e shtëpive të familjeve rome në "
                "Graçanicë, gjatë të cilit u thyen dritaret dhe u frikësuan fëmijët. Romët "
                "janë pjesë e bashkësisë sonë dhe kanë të drejtë të jetojnë të sigurt në "
                "shtëpitë e tyre. I bëjmë thirrje Policisë së Kosovës t'i gjejë përgjegjësit, "
                "ndërsa komuna do t'ua kompensojë familjeve dëmin në dritare.",
            ),
            "rom": Text(
                "I Komuna Graçanica osudinela o čhudipe bara upral e romane khera",
                "I Komuna Graçanica zorale osudinela o čhudipe bara upral e khera e romane "
                "familijengere ani Graçanica, kaj pharadile e filjastre thaj daradile e čhave. "
                "E Roma si kotor amare komunitetesko thaj si len hakaj te živinen sigurno ane "
                "pumare khera. Akharas e Kosovaka Policija te arakhel okolen kaj kerde akava, "
                "a i Komuna ka pokinel e familijenge o šteti ko filjastre.",
            ),
        },
    ),
    DemoCase(
        key="gracanica-shop-graffiti",
        slug="gracanica",
        target=CaseState.STATEMENT_APPROVED,
        occurred_days_ago=12,
        occurred_time="03:00",
        report_delay_minutes=4 * 60 + 30,
        settlement="Çagllavicë/Čaglavica",
        location="Shop on the main Prishtinë/Priština – Gjilan/Gnjilane road",
        category="property_damage",
        community="albanian",
        summary=(
            "A threatening message was painted overnight on the shutters of a shop owned by an "
            "Albanian from a nearby village. The owner found it when opening the shop."
        ),
        source="police",
        source_reference="{year}-GR-0618",
        verification=("police", "GR-{year}-0618"),
        statement={
            "sr-Cyrl": Text(
                "Општина Грачаница осуђује претеће графите на радњи у Чаглавици",
                "Општина Грачаница најоштрије осуђује претеће графите исписане на ролетнама "
                "радње чији је власник Албанац, у Чаглавици. Оваквим порукама покушава се "
                "посејати страх међу суседима који годинама живе и раде заједно. Очекујемо од "
                "Косовске полиције да брзо пронађе починиоце. Општина ће власнику помоћи да "
                "уклони графите.",
            ),
            "sq": Text(
                "Komuna e Graçanicës dënon grafitet kërcënuese në një dyqan në Çagllavicë",
                "Komuna e Graçanicës dënon ashpër grafitet kërcënuese të shkruara në qepenat e "
                "një dyqani në pronësi të një shqiptari në Çagllavicë. Me mesazhe të tilla "
                "synohet të mbillet frikë mes fqinjëve që prej vitesh jetojnë dhe punojnë së "
                "bashku. Presim nga Policia e Kosovës që t'i gjejë shpejt autorët. Komuna do "
                "ta ndihmojë pronarin t'i largojë grafitet.",
            ),
            "rom": Text(
                "I Komuna Graçanica osudinela e darane grafitija upral jekh dukjani ani Čaglavica",
                "I Komuna Graçanica zorale osudinela e darane grafitija save sine ramome upral "
                "i rolna jekhe dukjanesko savo si jekhe albanikane manušesko, ani Čaglavica. "
                "Akala lavencar nesavo mangela te čhivel dar maškar e komšije save but berša "
                "živinena thaj kerena buti khetane. Užaras e Kosovaka Policijatar te arakhel "
                "sigate okolen kaj kerde akava. I Komuna ka del vast e gazdas te khosel e "
                "grafitija.",
            ),
        },
        unapproved=("rom",),
    ),
    DemoCase(
        key="gracanica-ashkali-youths",
        slug="gracanica",
        target=CaseState.COUNCIL_CONVENED,
        occurred_days_ago=6,
        occurred_time="21:15",
        report_delay_minutes=45,
        settlement="Graçanicë/Gračanica",
        location="Bus stop on the main road",
        category="person_physical",
        community="ashkali",
        summary=(
            "Two Ashkali teenagers were attacked by a group of four young men at the bus stop; "
            "ethnic insults were shouted during the attack. One of them was treated for minor "
            "injuries at the health centre."
        ),
        source="police",
        source_reference="{year}-GR-0702",
        people=(
            {"role": "victim", "name": "Ilirjan Hasani", "notes": "Minor; parents informed"},
            {"role": "victim", "name": "Fatmir Rexha", "notes": "Minor; parents informed"},
        ),
        verification=("police", "GR-{year}-0702"),
        other_agenda=("Safety of pupils travelling by bus",),
    ),
    DemoCase(
        key="gracanica-cemetery",
        slug="gracanica",
        target=CaseState.VERIFIED,
        occurred_days_ago=3,
        occurred_time="07:30",
        report_delay_minutes=3 * 60,
        settlement="Batushë/Batuse",
        location="Village cemetery",
        category="site_desecration",
        community="albanian",
        summary=(
            "Villagers found five gravestones knocked over and two broken in the cemetery of the "
            "Albanian part of the village."
        ),
        source="community",
        source_reference="Village council",
        verification=("police", "GR-{year}-0741"),
    ),
    # --- Gjilan/Gnjilane ---------------------------------------------------------------
    DemoCase(
        key="gjilan-bus-stones",
        slug="gjilan",
        target=CaseState.CLOSED,
        occurred_days_ago=110,
        occurred_time="07:10",
        report_delay_minutes=25,
        settlement="Shillovë/Šilovo",
        location="Regional road between Shillovë/Šilovo and Gjilan/Gnjilane",
        category="person_physical",
        community="serb",
        summary=(
            "Stones were thrown at the morning bus carrying Serb pupils and workers from the "
            "village to town; two windows were broken and one passenger was slightly injured "
            "by glass."
        ),
        source="police",
        source_reference="{year}-GL-0288",
        coordinates=("42.4780", "21.5120"),
        verification=("police", "GL-{year}-0288"),
        meeting_after_days=1,
        meeting_time="13:00",
        publish_after_days=2,
        statement={
            "sq": Text(
                "Komuna e Gjilanit dënon gurëzimin e autobusit me udhëtarë serbë",
                "Komuna e Gjilanit dënon ashpër gurëzimin e autobusit që transportonte nxënës "
                "dhe punëtorë serbë nga Shillova, ku u thyen dy dritare dhe një udhëtar u "
                "lëndua lehtë. Liria e lëvizjes është e drejtë e çdo qytetari të Gjilanit. "
                "Kërkojmë nga Policia e Kosovës që t'i gjejë autorët dhe ta shtojë praninë në "
                "këtë linjë. Udhëtarit të lënduar i urojmë shërim të shpejtë.",
            ),
            "sr-Cyrl": Text(
                "Општина Гњилане осуђује каменовање аутобуса са српским путницима",
                "Општина Гњилане најоштрије осуђује каменовање аутобуса који је превозио српске "
                "ученике и раднике из Шилова, при чему су разбијена два прозора, а један путник "
                "је лакше повређен. Слобода кретања право је сваког грађанина Гњилана. Тражимо "
                "од Косовске полиције да пронађе починиоце и повећа присуство на овој линији. "
                "Повређеном путнику желимо брз опоравак.",
            ),
            "tr": Text(
                "Gilan Belediyesi Sırp yolcuları taşıyan otobüsün taşlanmasını kınıyor",
                "Gilan Belediyesi, Şilovo'dan Sırp öğrenci ve işçileri taşıyan otobüsün "
                "taşlanmasını şiddetle kınar; saldırıda iki cam kırılmış, bir yolcu hafif "
                "yaralanmıştır. Serbest dolaşım her Gilanlının hakkıdır. Kosova Polisinden "
                "failleri bulmasını ve bu hatta varlığını artırmasını talep ediyoruz. Yaralanan "
                "yolcumuza acil şifalar diliyoruz.",
            ),
        },
        outreach=DemoOutreach(
            days_after_incident=5,
            place="Village community hall, Shillovë/Šilovo",
            officials_present="Mayor; deputy mayor for communities; police station commander",
            women=12,
            men=15,
            concerns_raised=(
                "Children are afraid to take the school bus; the same stretch of road was "
                "targeted before; passengers want police presence at peak hours."
            ),
            commitments_made=(
                "Police presence on the route at peak hours for two months; bus windows "
                "replaced at the municipality's cost; regular updates to the village council."
            ),
            language="sr-Cyrl",
        ),
        actions=(
            DemoAction(
                "Police presence on the Shillovë/Šilovo bus route at peak hours for two months",
                "Kosovo Police, Gjilan/Gnjilane station",
                due_days=60,
                done_days=60,
                from_meeting=True,
            ),
            DemoAction(
                "Replace the broken bus windows",
                "Directorate of Public Services",
                due_days=10,
                done_days=4,
            ),
            DemoAction(
                "Joint meeting with the school and the parents' council",
                "Directorate of Education",
                due_days=21,
                drop_reason=(
                    "The parents' council preferred to discuss it at its regular meeting, "
                    "which the deputy mayor for communities attended."
                ),
            ),
        ),
        closing=(
            "Windows replaced within days; police were on the route for two months and no "
            "further stone-throwing was reported. Parents say the children use the bus again. "
            "A suspect was identified and charged.",
            1,
            3,
        ),
    ),
    DemoCase(
        key="gjilan-church-graffiti",
        slug="gjilan",
        target=CaseState.FOLLOW_UP,
        occurred_days_ago=50,
        occurred_time="00:30",
        report_delay_minutes=7 * 60,
        settlement="Gjilan/Gnjilane",
        location="Serbian Orthodox church in the town centre, wall facing the street",
        category="site_graffiti",
        community="serb",
        summary=(
            "Graffiti with nationalist content were written on the wall of the Serbian Orthodox "
            "church in the town centre. The priest reported them in the morning."
        ),
        source="community",
        source_reference="Parish priest",
        verification=("police", "GL-{year}-0905"),
        meeting_after_days=3,
        meeting_time="14:00",
        meeting_kind=MeetingKind.REGULAR,
        other_agenda=(
            "Police report on the security situation in the last quarter",
            "Work plan of the council for the next quarter",
        ),
        publish_after_days=4,
        statement={
            "sq": Text(
                "Komuna e Gjilanit dënon grafitet në kishën ortodokse serbe",
                "Komuna e Gjilanit dënon ashpër grafitet me përmbajtje nacionaliste të "
                "shkruara në murin e kishës ortodokse serbe në qendër të qytetit. Objektet "
                "fetare dhe kulturore janë trashëgimi e përbashkët e të gjithë qytetarëve dhe "
                "duhet të respektohen. Kërkojmë nga Policia e Kosovës t'i identifikojë "
                "autorët. Komuna i ka pastruar grafitet dhe do të vendosë kamera sigurie rreth "
                "kishës.",
            ),
            "sr-Cyrl": Text(
                "Општина Гњилане осуђује графите на српској православној цркви",
                "Општина Гњилане најоштрије осуђује графите националистичког садржаја исписане "
                "на зиду српске православне цркве у центру града. Верски и културни објекти "
                "заједничко су наслеђе свих грађана и морају се поштовати. Тражимо од Косовске "
                "полиције да идентификује починиоце. Општина је уклонила графите и поставиће "
                "сигурносне камере око цркве.",
            ),
            "tr": Text(
                "Gilan Belediyesi Sırp Ortodoks kilisesindeki grafitileri kınıyor",
                "Gilan Belediyesi, şehir merkezindeki Sırp Ortodoks kilisesinin duvarına "
                "yazılan milliyetçi içerikli grafitileri şiddetle kınar. Dini ve kültürel "
                "mekânlar tüm vatandaşların ortak mirasıdır ve saygı görmelidir. Kosova "
                "Polisinden failleri tespit etmesini talep ediyoruz. Belediye grafitileri "
                "temizlemiştir ve kilisenin çevresine güvenlik kameraları yerleştirecektir.",
            ),
        },
        outreach=DemoOutreach(
            days_after_incident=9,
            place="Parish hall of the Serbian Orthodox church, Gjilan/Gnjilane",
            officials_present=(
                "Deputy mayor for communities; police station commander; Director of Culture"
            ),
            women=6,
            men=10,
            concerns_raised=(
                "Graffiti on the church keep coming back; worshippers feel watched on their way "
                "to services."
            ),
            commitments_made="Cameras around the church; police patrols at service times.",
            language="sr-Cyrl",
        ),
        actions=(
            DemoAction(
                "Police patrols around the church at service times",
                "Kosovo Police, Gjilan/Gnjilane station",
                due_days=30,
                done_days=28,
            ),
            DemoAction(
                "Install security cameras around the church",
                "Directorate of Public Services",
                due_days=70,
                from_meeting=True,
            ),
        ),
    ),
    DemoCase(
        key="gjilan-turkish-association-theft",
        slug="gjilan",
        target=CaseState.OUTREACH_CONDUCTED,
        occurred_days_ago=18,
        occurred_time="01:00",
        report_delay_minutes=8 * 60,
        settlement="Dobërçan/Dobrčane",
        location="Premises of the Turkish community cultural association",
        category="property_theft",
        community="turk",
        summary=(
            "Burglary at the premises of the Turkish community's cultural association, which "
            "also runs Turkish-language supplementary classes for children: a computer, a "
            "projector and musical instruments were taken and the community's flags were torn."
        ),
        source="police",
        source_reference="{year}-GL-1120",
        people=({"role": "reporter", "name": "Sevim Bayram", "notes": "Association chair"},),
        verification=("police", "GL-{year}-1120"),
        publish_after_days=4,
        statement={
            "sq": Text(
                "Komuna e Gjilanit dënon vjedhjen në shoqatën e komunitetit turk në Dobërçan",
                "Komuna e Gjilanit dënon ashpër vjedhjen në lokalet e shoqatës kulturore të "
                "komunitetit turk në Dobërçan, ku fëmijët ndjekin mësim plotësues në gjuhën "
                "turke. Janë marrë pajisje dhe instrumente muzikore dhe janë grisur flamujt e "
                "komunitetit. Kërkojmë nga Policia e Kosovës që t'i gjejë autorët. Komuna do "
                "ta mbështesë shoqatën që mësimi dhe aktivitetet të vazhdojnë.",
            ),
            "sr-Cyrl": Text(
                "Општина Гњилане осуђује крађу у удружењу турске заједнице у Добрчану",
                "Општина Гњилане најоштрије осуђује крађу у просторијама културног удружења "
                "турске заједнице у Добрчану, где деца похађају допунску наставу на турском "
                "језику. Однети су опрема и музички инструменти, а заставе заједнице су "
                "поцепане. Тражимо од Косовске полиције да пронађе починиоце. Општина ће "
                "подржати удружење како би се настава и активности наставиле.",
            ),
            "tr": Text(
                "Gilan Belediyesi Dobırçan'daki Türk toplumu derneğinde yaşanan hırsızlığı kınıyor",
                "Gilan Belediyesi, çocukların Türkçe tamamlayıcı eğitim aldığı Dobırçan'daki "
                "Türk toplumu kültür derneğinin binasında yaşanan hırsızlığı şiddetle kınar. "
                "Ekipman ve müzik aletleri çalınmış, toplumun bayrakları yırtılmıştır. Kosova "
                "Polisinden failleri bulmasını talep ediyoruz. Belediye, eğitim ve "
                "etkinliklerin sürmesi için derneğe destek verecektir.",
            ),
        },
        outreach=DemoOutreach(
            days_after_incident=7,
            place="Turkish community cultural association, Dobërçan/Dobrčane",
            officials_present=(
                "Deputy mayor; police community safety officer; MCSC Turkish community "
                "representative"
            ),
            women=11,
            men=9,
            concerns_raised=(
                "The equipment for the children's classes is gone; fear of a repeat; the torn "
                "flags are read as a message to the whole community."
            ),
            commitments_made=(
                "A municipal grant to replace the equipment; night patrols to check the premises."
            ),
            language="tr",
        ),
    ),
    DemoCase(
        key="gjilan-roma-collector-assault",
        slug="gjilan",
        target=CaseState.STATEMENT_APPROVED,
        occurred_days_ago=8,
        occurred_time="16:20",
        report_delay_minutes=40,
        settlement="Gjilan/Gnjilane",
        location="Near the town market",
        category="person_physical",
        community="roma",
        summary=(
            "A Roma man collecting recyclable waste near the market was beaten by two men who "
            "overturned his cart and insulted him for being Roma. He was treated at the "
            "regional hospital and released."
        ),
        source="police",
        source_reference="{year}-GL-1301",
        people=({"role": "victim", "name": "Sabri Ajeti", "contact": "+383 45 000 303"},),
        verification=("police", "GL-{year}-1301"),
        statement={
            "sq": Text(
                "Komuna e Gjilanit dënon sulmin ndaj një punëtori rom",
                "Komuna e Gjilanit dënon ashpër sulmin fizik ndaj një qytetari rom, i cili po "
                "mblidhte mbeturina të riciklueshme pranë tregut të qytetit. Dhuna ndaj "
                "njerëzve për shkak të përkatësisë së tyre etnike është vepër penale dhe nuk "
                "do të tolerohet. Kërkojmë nga Policia e Kosovës që t'i sjellë autorët para "
                "drejtësisë. I urojmë shërim të shpejtë, ndërsa komuna do t'i qëndrojë pranë "
                "familjes së tij.",
            ),
            "sr-Cyrl": Text(
                "Општина Гњилане осуђује напад на ромског радника",
                "Општина Гњилане најоштрије осуђује физички напад на грађанина ромске "
                "националности који је сакупљао отпад за рециклажу код градске пијаце. Насиље "
                "над људима због њихове етничке припадности кривично је дело и неће се "
                "толерисати. Тражимо од Косовске полиције да починиоце приведе правди. Желимо "
                "му брз опоравак, а општина ће бити уз његову породицу.",
            ),
            "tr": Text(
                "Gilan Belediyesi Roman bir işçiye yapılan saldırıyı kınıyor",
                "Gilan Belediyesi, şehir pazarının yakınında geri dönüştürülebilir atık toplayan "
                "Roman bir vatandaşa yapılan fiziksel saldırıyı şiddetle kınar. İnsanlara etnik "
                "kökenleri nedeniyle şiddet uygulamak suçtur ve hoş görülmeyecektir. Kosova "
                "Polisinden failleri adalete teslim etmesini talep ediyoruz. Kendisine acil "
                "şifalar diliyor, belediye olarak ailesinin yanında olacağımızı bildiriyoruz.",
            ),
            "rom": Text(
                "I Komuna Gjilan osudinela o atako upral jekh rom butjari",
                "I Komuna Gjilan zorale osudinela o fizikano atako upral jekh romano dizutno, "
                "savo kidelas plastika thaj metali paše e forosko pijaca. I zor mamuj e manuša "
                "vaš lengoro etnikano kotor si kriminali thaj ni ka avel toleririme. Akharas e "
                "Kosovaka Policija te anel okolen kaj kerde akava angla i pravda. Mangas leske "
                "te sastjol sigate, thaj i Komuna ka avel paše leskiri familija.",
            ),
        },
    ),
    DemoCase(
        key="gjilan-shots-returnees",
        slug="gjilan",
        target=CaseState.REPORTED,
        occurred_days_ago=2,
        occurred_time="23:00",
        report_delay_minutes=10 * 60,
        settlement="Koretishtë/Koretište",
        location="Between two houses of Serb returnee families",
        category="person_verbal",
        community="serb",
        summary=(
            "Several shots were fired in the air at night between the houses of two Serb "
            "returnee families; a car drove off towards the main road. No one was hurt. The "
            "families told the OSCE field team they are afraid to stay."
        ),
        source="osce",
        source_reference="OSCE field team, Gjilan/Gnjilane",
    ),
)
