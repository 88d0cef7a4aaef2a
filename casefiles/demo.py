"""Demo councils, meetings and cases for Prizren, Graçanicë/Gračanica and Gjilan/Gnjilane.

Everything is written through the real services, as the demo secretary, leadership and
translator of each municipality, so the workflow rules hold and the audit trail is a real
hash chain. The incidents are synthetic (no real victims, names or events); their shapes
follow the OSCE categories. Steps the services stamp with the current time (verified,
convened, ...) carry the time of seeding; the dates the services accept from the user
(incident, report, meeting, publication, outreach, actions) lie in the past weeks and
months, in a sensible order.

Statements are written in the municipality's usual source language (Albanian in Prizren
and Gjilan, Serbian Cyrillic in Graçanicë) and translated into every required language.
The Romani texts are demo quality.
"""

from __future__ import annotations

import datetime as dt
import itertools
import sys
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TextIO

from django.contrib.auth import get_user_model
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from casefiles import services
from casefiles.clock import recording_at
from casefiles.models import ActionStatus, Case, CaseState, FollowUpAction
from mcsc.councils.services import (
    council_get_or_create,
    council_member_add,
    meeting_attendance_record,
    meeting_create,
)
from mcsc.models import (
    AttendanceStatus,
    Community,
    Council,
    CouncilMember,
    Language,
    MeetingKind,
    Municipality,
    Seat,
)

DEMO_SLUGS = ["prizren", "gracanica", "gjilan"]

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


# --- Councils ------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoMember:
    name: str
    seat: str
    community: str | None = None
    # Days after the council's appointment decision (a later decision replaced someone).
    appointed_later_by: int = 0


@dataclass(frozen=True)
class DemoCouncil:
    # Days before today of the assembly decision that appointed the council.
    appointed_days_ago: int
    decision: str  # "{year}" is replaced by the decision's year
    later_decision: str
    members: tuple[DemoMember, ...]


COUNCILS: dict[str, DemoCouncil] = {
    "prizren": DemoCouncil(
        appointed_days_ago=270,
        decision="01-016/{year}-17",
        later_decision="01-016/{year}-58",
        members=(
            DemoMember("Ilir Kryeziu", Seat.CHAIR),
            DemoMember("Bekim Hoti", Seat.POLICE_COMMANDER),
            DemoMember("Mehmet Yilmaz", Seat.DEPUTY_MAYOR_COMMUNITIES, "turk"),
            DemoMember("Nurten Kalkan", Seat.COMMUNITY_REPRESENTATIVE, "turk"),
            DemoMember("Edin Mustafić", Seat.COMMUNITY_REPRESENTATIVE, "bosniak"),
            DemoMember("Bajram Kurteshi", Seat.COMMUNITY_REPRESENTATIVE, "roma", 91),
            DemoMember("Nexhmedin Bytyqi", Seat.RELIGIOUS_REPRESENTATIVE),
            DemoMember("Driton Berisha", Seat.CIVIL_SOCIETY),
            DemoMember("Vlora Gashi", Seat.WOMEN_YOUTH),
        ),
    ),
    "gracanica": DemoCouncil(
        appointed_days_ago=263,
        decision="02-016/{year}-9",
        later_decision="02-016/{year}-31",
        members=(
            DemoMember("Nenad Stojanović", Seat.CHAIR),
            DemoMember("Dejan Milenković", Seat.POLICE_COMMANDER),
            DemoMember("Arben Sylejmani", Seat.DEPUTY_MAYOR_COMMUNITIES, "albanian"),
            DemoMember("Besnik Gashi", Seat.COMMUNITY_REPRESENTATIVE, "albanian"),
            DemoMember("Dževdet Mahmuti", Seat.COMMUNITY_REPRESENTATIVE, "roma"),
            DemoMember("Stefan Milić", Seat.RELIGIOUS_REPRESENTATIVE),
            DemoMember("Marija Nikolić", Seat.WOMEN_YOUTH, appointed_later_by=63),
            DemoMember("Saša Ristić", Seat.MUNICIPAL_OFFICIAL),
        ),
    ),
    "gjilan": DemoCouncil(
        appointed_days_ago=277,
        decision="01-016/{year}-23",
        later_decision="01-016/{year}-71",
        members=(
            DemoMember("Agim Rexhepi", Seat.CHAIR),
            DemoMember("Florim Aliu", Seat.POLICE_COMMANDER),
            DemoMember("Srđan Petković", Seat.DEPUTY_MAYOR_COMMUNITIES, "serb"),
            DemoMember("Dragan Ilić", Seat.COMMUNITY_REPRESENTATIVE, "serb"),
            DemoMember("Erhan Şaban", Seat.COMMUNITY_REPRESENTATIVE, "turk"),
            DemoMember("Ramiz Memeti", Seat.COMMUNITY_REPRESENTATIVE, "roma"),
            DemoMember("Miroslav Kostić", Seat.RELIGIOUS_REPRESENTATIVE),
            DemoMember("Teuta Sadiku", Seat.CIVIL_SOCIETY),
            DemoMember("Donika Osmani", Seat.WOMEN_YOUTH, appointed_later_by=120),
        ),
    ),
}

MEETING_PLACES = {
    "prizren": "Municipal assembly hall, Prizren",
    "gracanica": "Municipal assembly hall, Graçanicë/Gračanica",
    "gjilan": "Meeting room of the mayor's office, Gjilan/Gnjilane",
}


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


# --- Seeding -------------------------------------------------------------------------


@dataclass
class _Team:
    municipality: Municipality
    secretary: Any
    leadership: Any
    translator: Any
    chair: CouncilMember | None
    members: list[CouncilMember]


def _demo_user(username: str):
    User = get_user_model()
    try:
        return User.objects.get(username=username)
    except User.DoesNotExist:
        raise RuntimeError(
            f"Demo user {username!r} is missing: run `manage.py seed_demo`, which creates the "
            "demo users before the demo cases."
        ) from None


def demo_cases() -> Any:
    """The cases opened by the demo secretaries (the demo data set)."""
    return Case.objects.filter(created_by__username__in=[f"secretary.{s}" for s in DEMO_SLUGS])


def _local(day: dt.date, time: str) -> dt.datetime:
    hour, minute = (int(part) for part in time.split(":"))
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def _council(slug: str, team: _Team, today: dt.date) -> None:
    """Appoint the demo council, unless the council already has members in office."""
    council = council_get_or_create(municipality=team.municipality)
    in_office = [m for m in council.members.all() if m.is_member_on(today)]
    if not in_office:
        spec = COUNCILS[slug]
        appointed = today - dt.timedelta(days=spec.appointed_days_ago)
        for member in spec.members:
            day = appointed + dt.timedelta(days=member.appointed_later_by)
            decision = spec.later_decision if member.appointed_later_by else spec.decision
            first, last = member.name.lower().split(" ", 1)
            in_office.append(
                council_member_add(
                    user=team.secretary,
                    municipality=team.municipality,
                    name=member.name,
                    seat=member.seat,
                    appointed_on=day,
                    community=(
                        Community.objects.get(code=member.community) if member.community else None
                    ),
                    appointment_reference=decision.format(year=day.year),
                    email=f"{_ascii(first)}.{_ascii(last)}@demo.invalid",
                )
            )
    team.members = sorted(in_office, key=lambda m: m.pk)
    team.chair = next((m for m in team.members if m.seat == Seat.CHAIR), None)


def _ascii(text: str) -> str:
    table = str.maketrans("ćčđšžçëşğıöü", "ccdszcesgiou")
    return "".join(ch for ch in text.translate(table) if ch.isalnum())


def _held_meeting(team: _Team, spec: DemoCase, case: Case, index: int):
    occurred = timezone.localtime(case.occurred_at).date()
    starts_at = _local(occurred + dt.timedelta(days=spec.meeting_after_days), spec.meeting_time)
    agenda = [{"case": case}, *({"title": title} for title in spec.other_agenda)]
    if spec.meeting_kind == MeetingKind.REGULAR:
        agenda = [*({"title": title} for title in spec.other_agenda), {"case": case}]
    meeting = meeting_create(
        user=team.secretary,
        municipality=team.municipality,
        kind=spec.meeting_kind,
        starts_at=starts_at,
        place=MEETING_PLACES[spec.slug],
        agenda=agenda,
        chair=team.chair,
    )
    members = [m for m in team.members if m.is_member_on(starts_at.date())]
    council: Council = meeting.council
    required = council.quorum_minimum or len(members) // 2 + 1
    statuses = {m.pk: AttendanceStatus.PRESENT for m in members}
    # One or two members missing, varying from meeting to meeting, never the chair.
    others = [m for m in members if m != team.chair]
    if len(members) - 2 >= required and len(others) >= 2:
        statuses[others[(index + 3) % len(others)].pk] = AttendanceStatus.EXCUSED
        if index % 2:
            statuses[others[(index + 5) % len(others)].pk] = AttendanceStatus.ABSENT
    return meeting_attendance_record(user=team.secretary, meeting=meeting, attendance=statuses)


def _language(code: str) -> Language:
    return Language.objects.get(code=code)


def _reached(case: Case, state: CaseState) -> bool:
    return _PATH.index(case.state) >= _PATH.index(state)


def _at(moment: dt.datetime):
    """Record the steps inside as done at ``moment`` (at the latest a minute ago), so the
    demo's deadlines and compliance figures look like those of real cases."""
    return recording_at(min(moment, timezone.now() - dt.timedelta(minutes=1)))


def _advance(team: _Team, spec: DemoCase, case: Case, index: int, year: int) -> Case:
    """Take ``case`` along the lifecycle to ``spec.target`` through the services, each step
    recorded at a plausible moment after the one before."""
    verified_at = case.reported_at + dt.timedelta(hours=5)
    if spec.target == CaseState.DISMISSED:
        with _at(verified_at):
            return services.case_dismiss(
                user=team.secretary, case=case, reason=spec.dismissal_reason.format(year=year)
            )
    target = spec.target
    occurred = timezone.localtime(case.occurred_at).date()

    if _reached(case, target):
        return case
    source, reference = spec.verification
    with _at(verified_at):
        case = _verify(team, spec, case, source, reference, year)

    if _reached(case, target):
        return case
    meeting = _held_meeting(team, spec, case, index)
    convened_at = meeting.starts_at + dt.timedelta(hours=3)
    with _at(convened_at):
        case = services.case_convene(user=team.secretary, case=case, meeting=meeting)

    if _reached(case, target):
        return case
    published_at = _local(occurred + dt.timedelta(days=spec.publish_after_days), "12:30")
    window = max(published_at - convened_at, dt.timedelta(hours=10))

    def during_drafting(share: float):
        return _at(convened_at + window * share)

    _statement(team, spec, case, target, during_drafting)
    case = Case.objects.get(pk=case.pk)

    if _reached(case, target):
        return case
    with _at(max(published_at, convened_at + window)):
        case = services.statement_publish(
            user=team.secretary,
            case=case,
            channels=spec.channels,
            published_at=published_at,
        )

    if _reached(case, target):
        return case
    outreach = spec.outreach
    held_on = occurred + dt.timedelta(days=outreach.days_after_incident)
    with _at(_local(held_on, "18:00")):
        _outreach(team, case, outreach, held_on)
    case = Case.objects.get(pk=case.pk)

    if _reached(case, target):
        return case
    with _at(_local(held_on + dt.timedelta(days=1), "10:00")):
        case = _follow_up(team, spec, case, meeting, held_on)

    if _reached(case, target):
        return case
    finished = [a.done_days for a in spec.actions if a.done_days is not None]
    summary, before, after = spec.closing
    closing_day = held_on + dt.timedelta(days=max(finished, default=13) + 1)
    with _at(_local(closing_day, "11:00")):
        return services.case_close(
            user=team.secretary,
            case=case,
            closing_summary=summary,
            safety_before=before,
            safety_after=after,
        )


def _verify(team: _Team, spec: DemoCase, case: Case, source: str, reference: str, year: int):
    return services.case_verify(
        user=team.secretary,
        case=case,
        verification_source=source,
        verification_reference=reference.format(year=year),
        category=case.category,
        affected_community=case.affected_community,
        settlement=case.settlement,
        location=case.location,
    )


def _statement(team: _Team, spec: DemoCase, case: Case, target, during_drafting) -> None:
    """Draft (once rejected where the spec says so), approve and translate the statement."""
    source_code, *translation_codes = spec.statement
    if spec.rejected_draft is not None:
        draft, comment = spec.rejected_draft
        with during_drafting(0.1):
            services.statement_draft(
                user=team.secretary,
                case=case,
                language=_language(source_code),
                title=draft.title,
                text=draft.text,
            )
        with during_drafting(0.2):
            services.statement_reject(user=team.leadership, case=case, comment=comment)
    source_text = spec.statement[source_code]
    with during_drafting(0.3):
        services.statement_draft(
            user=team.secretary,
            case=case,
            language=_language(source_code),
            title=source_text.title,
            text=source_text.text,
        )
    if target == CaseState.STATEMENT_DRAFTED:
        return
    with during_drafting(0.5):
        services.statement_approve(user=team.leadership, case=case)
    for code in translation_codes:
        translation = spec.statement[code]
        with during_drafting(0.7):
            services.translation_save(
                user=team.translator,
                case=case,
                language=_language(code),
                title=translation.title,
                text=translation.text,
            )
        if code not in spec.unapproved:
            with during_drafting(0.9):
                services.translation_approve(
                    user=team.secretary, case=case, language=_language(code)
                )


def _outreach(team: _Team, case: Case, outreach, held_on: dt.date) -> None:
    services.outreach_record(
        user=team.secretary,
        case=case,
        held_on=held_on,
        place=outreach.place,
        officials_present=outreach.officials_present,
        participants_women=outreach.women,
        participants_men=outreach.men,
        participants_other=0,
        concerns_raised=outreach.concerns_raised,
        commitments_made=outreach.commitments_made,
        language=_language(outreach.language),
    )


def _follow_up(team: _Team, spec: DemoCase, case: Case, meeting, held_on: dt.date) -> Case:
    case = services.follow_up_start(
        user=team.secretary,
        case=case,
        actions=[
            {
                "description": a.description,
                "owner": a.owner,
                "due_on": held_on + dt.timedelta(days=a.due_days),
            }
            for a in spec.actions
            if not a.from_meeting
        ],
    )
    agenda_item = meeting.agenda_items.get(case=case)
    for action in spec.actions:
        if action.from_meeting:
            services.follow_up_action_add(
                user=team.secretary,
                case=case,
                description=action.description,
                owner=action.owner,
                due_on=held_on + dt.timedelta(days=action.due_days),
                source_agenda_item=agenda_item,
            )
    recorded = {a.description: a for a in case.follow_up_actions.all()}
    for action in spec.actions:
        if action.done_days is not None:
            services.follow_up_action_update(
                user=team.secretary,
                action=recorded[action.description],
                status=ActionStatus.DONE,
                completed_on=held_on + dt.timedelta(days=action.done_days),
            )
        elif action.drop_reason:
            services.follow_up_action_update(
                user=team.secretary,
                action=recorded[action.description],
                status=ActionStatus.DROPPED,
                drop_reason=action.drop_reason,
            )
    return case


def _occurred_at(spec: DemoCase, now: dt.datetime) -> dt.datetime:
    if spec.occurred_hours_ago is not None:
        return now - dt.timedelta(hours=spec.occurred_hours_ago)
    day = timezone.localtime(now).date() - dt.timedelta(days=spec.occurred_days_ago)
    return _local(day, spec.occurred_time)


def _reported_at(spec: DemoCase, now: dt.datetime) -> dt.datetime:
    return min(_occurred_at(spec, now) + dt.timedelta(minutes=spec.report_delay_minutes), now)


def _open(team: _Team, spec: DemoCase, now: dt.datetime) -> Case:
    reported_at = _reported_at(spec, now)
    year = timezone.localtime(reported_at).year
    latitude, longitude = (
        (Decimal(c) for c in spec.coordinates) if spec.coordinates else (None,) * 2
    )
    return services.case_open(
        user=team.secretary,
        municipality=team.municipality,
        occurred_at=_occurred_at(spec, now),
        reported_at=reported_at,
        settlement=spec.settlement,
        location=spec.location,
        latitude=latitude,
        longitude=longitude,
        category=spec.category,
        affected_community=Community.objects.get(code=spec.community),
        summary=spec.summary,
        source=spec.source,
        source_reference=spec.source_reference.format(year=year),
        people=spec.people,
    )


def _seed() -> None:
    now = timezone.now()
    today = timezone.localdate()
    teams: dict[str, _Team] = {}
    for slug in DEMO_SLUGS:
        team = _Team(
            municipality=Municipality.objects.get(slug=slug),
            secretary=_demo_user(f"secretary.{slug}"),
            leadership=_demo_user(f"leadership.{slug}"),
            translator=_demo_user(f"translator.{slug}"),
            chair=None,
            members=[],
        )
        _council(slug, team, today)
        teams[slug] = team
    # Oldest report first, so that case numbers follow the order of the reports.
    ordered = sorted(CASES, key=lambda spec: _reported_at(spec, now))
    for index, spec in enumerate(ordered):
        team = teams[spec.slug]
        case = _open(team, spec, now)
        _advance(team, spec, case, index, timezone.localtime(case.reported_at).year)


def demo_cases_summary() -> str:
    cases = demo_cases()
    by_state = Counter(cases.values_list("state", flat=True))
    by_municipality = Counter(cases.values_list("municipality__case_prefix", flat=True))
    states = ", ".join(
        f"{state} {by_state[state]}" for state in CaseState.values if by_state[state]
    )
    places = ", ".join(f"{prefix} {n}" for prefix, n in sorted(by_municipality.items()))
    return f"Demo cases: {cases.count()} ({places}) - {states or 'none'}"


def demo_cases_seed(stdout: TextIO | None = None) -> str:
    """Create the demo councils, meetings and cases once; later runs change nothing.

    Needs the demo users (``mcsc.demo.demo_users_seed``). Writes and returns a one-line
    summary of the demo cases by state.
    """
    if not demo_cases().exists():
        # Demo steps are history, not news: no mail to the demo addresses when the
        # transaction commits.
        with (
            override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"),
            transaction.atomic(),
        ):
            _seed()
    summary = demo_cases_summary()
    (stdout or sys.stdout).write(summary + "\n")
    demo_meetings_seed(stdout)
    return summary


# --- Meeting records, minutes and an upcoming meeting -----------------------------------

# The Prizren extraordinary meeting on the burglary at the school with Turkish-language
# classes is the showcase: its record is translated into every official language of
# Prizren, so each PDF of its minutes is in one language throughout.
SHOWCASE_CASE_SUMMARY = "Burglary at night at a primary school with Turkish-language classes"
SCHOOLS_ITEM = "Siguria e shkollave gjatë natës"

SHOWCASE_TEXT: dict[str, dict[str, str]] = {
    "case": {
        "discussion": (
            "Komandanti i stacionit policor informoi se hetimi për vjedhjen e gjashtë "
            "laptopëve dhe të bibliotekës së klasës në gjuhën turke është në vazhdim. "
            "Nënkryetari për komunitete tha se prindërit janë të shqetësuar për parullën "
            "fyese në klasë. Përfaqësuesja e komunitetit turk kërkoi reagim të shpejtë."
        ),
        "decisions": (
            "1. Këshilli e dënon vjedhjen dhe parullën fyese dhe kërkon që Komuna të "
            "publikojë deklaratë në të gjitha gjuhët zyrtare.\n"
            "2. Drejtoria e Arsimit zëvendëson menjëherë laptopët dhe librat."
        ),
    },
    "schools": {
        "discussion": (
            "Anëtarët shqyrtuan sigurinë e shkollave gjatë natës. Shumica e shkollave nuk "
            "kanë alarm as ndriçim të jashtëm."
        ),
        "decisions": (
            "Drejtoria e Arsimit përgatit listën e shkollave pa alarm deri në fund të muajit."
        ),
    },
}
SHOWCASE_TRANSLATIONS: dict[str, dict[str, dict[str, str]]] = {
    "sr-Cyrl": {
        "case": {
            "discussion": (
                "Командир полицијске станице обавестио је да је истрага о крађи шест "
                "лаптопова и библиотеке одељења на турском језику у току. Заменик "
                "градоначелника за заједнице рекао је да су родитељи забринути због "
                "увредљиве пароле у учионици. Представница турске заједнице тражила је "
                "брзу реакцију."
            ),
            "decisions": (
                "1. Савет осуђује крађу и увредљиву пароле и тражи да Општина објави "
                "саопштење на свим службеним језицима.\n"
                "2. Дирекција за образовање одмах надокнађује лаптопове и књиге."
            ),
        },
        "schools": {
            "title": "Безбедност школа ноћу",
            "discussion": (
                "Чланови су размотрили безбедност школа ноћу. Већина школа нема аларм ни "
                "спољно осветљење."
            ),
            "decisions": (
                "Дирекција за образовање припрема списак школа без аларма до краја месеца."
            ),
        },
    },
    "tr": {
        "case": {
            "discussion": (
                "Polis karakol komutanı, altı dizüstü bilgisayarın ve Türkçe sınıf "
                "kütüphanesinin çalınmasına ilişkin soruşturmanın sürdüğünü bildirdi. "
                "Topluluklardan sorumlu belediye başkan yardımcısı, velilerin sınıftaki "
                "hakaret içerikli slogandan endişe duyduğunu söyledi. Türk topluluğu "
                "temsilcisi hızlı bir tepki istedi."
            ),
            "decisions": (
                "1. Konsey hırsızlığı ve hakaret içerikli sloganı kınar ve Belediyenin tüm "
                "resmî dillerde açıklama yayımlamasını ister.\n"
                "2. Eğitim Müdürlüğü dizüstü bilgisayarları ve kitapları derhal yeniler."
            ),
        },
        "schools": {
            "title": "Okulların gece güvenliği",
            "discussion": (
                "Üyeler okulların gece güvenliğini görüştü. Okulların çoğunda alarm ve dış "
                "aydınlatma yok."
            ),
            "decisions": (
                "Eğitim Müdürlüğü, alarmı olmayan okulların listesini ay sonuna kadar hazırlar."
            ),
        },
    },
    "bs": {
        "case": {
            "discussion": (
                "Komandir policijske stanice obavijestio je da je istraga o krađi šest "
                "laptopa i biblioteke odjeljenja na turskom jeziku u toku. Zamjenik "
                "načelnika za zajednice rekao je da su roditelji zabrinuti zbog uvredljive "
                "parole u učionici. Predstavnica turske zajednice tražila je brzu reakciju."
            ),
            "decisions": (
                "1. Vijeće osuđuje krađu i uvredljivu parolu i traži da Općina objavi "
                "saopćenje na svim službenim jezicima.\n"
                "2. Direkcija za obrazovanje odmah nadoknađuje laptope i knjige."
            ),
        },
        "schools": {
            "title": "Sigurnost škola noću",
            "discussion": (
                "Članovi su razmotrili sigurnost škola noću. Većina škola nema alarm ni "
                "vanjsku rasvjetu."
            ),
            "decisions": (
                "Direkcija za obrazovanje priprema spisak škola bez alarma do kraja mjeseca."
            ),
        },
    },
}
SHOWCASE_ACTIONS = (
    {
        "description": "Instalimi i alarmit dhe i ndriçimit të jashtëm në shkollë",
        "owner": "Drejtoria e Arsimit",
        "due_days": 60,
        "from_case": True,
        "translations": {
            "sr-Cyrl": "Постављање аларма и спољног осветљења у школи",
            "tr": "Okula alarm sistemi ve dış aydınlatma kurulması",
            "bs": "Postavljanje alarma i vanjske rasvjete u školi",
        },
    },
    {
        "description": "Patrullime të natës pranë shkollës për një muaj",
        "owner": "Policia e Kosovës, stacioni Prizren",
        "due_days": 30,
        "from_case": False,
        "translations": {
            "sr-Cyrl": "Ноћне патроле у близини школе током једног месеца",
            "tr": "Bir ay boyunca okul çevresinde gece devriyeleri",
            "bs": "Noćne patrole u blizini škole tokom jednog mjeseca",
        },
    },
)

# Everyday record text, in the language the secretary of each council writes in.
RECORD_TEXT = {
    "sq": {
        "case_discussion": (
            "Komandanti i stacionit policor informoi për rastin {reference} në {settlement}. "
            "Anëtarët diskutuan ndikimin e incidentit në ndjenjën e sigurisë së komunitetit "
            "dhe masat e nevojshme."
        ),
        "case_decisions": (
            "1. Këshilli e dënon incidentin dhe i kërkon Komunës të publikojë deklaratë në "
            "të gjitha gjuhët e kërkuara.\n"
            "2. Policia e Kosovës e informon këshillin për ecurinë e hetimit."
        ),
        "item_discussion": (
            "Anëtarët shqyrtuan pikën. Policia dhe përfaqësuesit e komuniteteve shkëmbyen "
            "informata."
        ),
        "item_decisions": "Këshilli mori njoftim dhe e rishikon çështjen në mbledhjen e ardhshme.",
        "guest": ("Hannah Schmidt", "Misioni i OSBE-së në Kosovë"),
        "upcoming": (
            "Miratimi i procesverbalit të mbledhjes së kaluar",
            "Raporti i policisë për gjendjen e sigurisë",
            "Përcjellja e rasteve të hapura",
            "Të ndryshme",
        ),
    },
    "sr-Cyrl": {
        "case_discussion": (
            "Командир полицијске станице известио је о предмету {reference} у месту "
            "{settlement}. Чланови су разговарали о утицају инцидента на осећај безбедности "
            "заједнице и о потребним мерама."
        ),
        "case_decisions": (
            "1. Савет осуђује инцидент и тражи од Општине да објави саопштење на свим "
            "потребним језицима.\n"
            "2. Косовска полиција обавештава савет о току истраге."
        ),
        "item_discussion": (
            "Чланови су размотрили тачку. Полиција и представници заједница разменили су "
            "информације."
        ),
        "item_decisions": (
            "Савет је примио информацију к знању и поново је разматра на следећој седници."
        ),
        "guest": ("Hannah Schmidt", "Мисија ОЕБС-а на Косову"),
        "upcoming": (
            "Усвајање записника са претходне седнице",
            "Извештај полиције о безбедносној ситуацији",
            "Праћење отворених предмета",
            "Разно",
        ),
    },
}
RECORD_LANGUAGE = {"prizren": "sq", "gjilan": "sq", "gracanica": "sr-Cyrl"}


def demo_meetings():
    from mcsc.models import Meeting

    return Meeting.objects.filter(created_by__username__in=[f"secretary.{s}" for s in DEMO_SLUGS])


def _record_meeting(team: _Team, meeting, text: dict[str, str], showcase: bool) -> None:
    """Discussion, decisions, guests and action items of a held demo meeting."""
    from mcsc.councils import services as council

    if showcase:
        council.agenda_item_add(user=team.secretary, meeting=meeting, title=SCHOOLS_ITEM)
    items = list(meeting.agenda_items.select_related("case").order_by("position"))
    for item in items:
        if showcase:
            key = "case" if item.case_id else "schools"
            council.agenda_item_record(
                user=team.secretary,
                item=item,
                title=item.title,
                discussion=SHOWCASE_TEXT[key]["discussion"],
                decisions=SHOWCASE_TEXT[key]["decisions"],
                translations={code: texts[key] for code, texts in SHOWCASE_TRANSLATIONS.items()},
            )
        elif item.case_id:
            values = {"reference": item.case.reference, "settlement": item.case.settlement}
            council.agenda_item_record(
                user=team.secretary,
                item=item,
                title=item.title,
                discussion=text["case_discussion"].format(**values),
                decisions=text["case_decisions"],
            )
        else:
            council.agenda_item_record(
                user=team.secretary,
                item=item,
                title=item.title,
                discussion=text["item_discussion"],
                decisions=text["item_decisions"],
            )
    name, organisation = text["guest"]
    council.guest_add(user=team.secretary, meeting=meeting, name=name, organisation=organisation)
    if not showcase:
        return
    case_item = next(item for item in items if item.case_id)
    day = timezone.localtime(meeting.starts_at).date()
    from_case = FollowUpAction.objects.filter(source_agenda_item=case_item).first()
    for spec in SHOWCASE_ACTIONS:
        council.action_item_add(
            user=team.secretary,
            meeting=meeting,
            agenda_item=case_item,
            description=spec["description"],
            owner=spec["owner"],
            due_on=from_case.due_on
            if spec["from_case"] and from_case
            else day + dt.timedelta(days=spec["due_days"]),
            translations={
                code: {"description": value} for code, value in spec["translations"].items()
            },
            follow_up_action=from_case if spec["from_case"] else None,
        )


def _meeting_records_seed(teams: dict[str, _Team]) -> None:
    """Fill the held demo meetings, approve their minutes at the next meeting (all but the
    latest, which waits for the upcoming meeting) and schedule an upcoming meeting with its
    invitation."""
    from mcsc.councils import services as council

    now = timezone.now()
    for slug, team in teams.items():
        text = RECORD_TEXT[RECORD_LANGUAGE[slug]]
        held = list(
            demo_meetings()
            .filter(municipality=team.municipality, starts_at__lte=now)
            .order_by("starts_at")
        )
        for meeting in held:
            showcase = meeting.agenda_items.filter(
                case__summary__startswith=SHOWCASE_CASE_SUMMARY
            ).exists()
            _record_meeting(team, meeting, text, showcase)
        for meeting, next_meeting in itertools.pairwise(held):
            council.minutes_approve(
                user=team.leadership, meeting=meeting, approving_meeting=next_meeting
            )
        upcoming = council.meeting_create(
            user=team.secretary,
            municipality=team.municipality,
            kind=MeetingKind.REGULAR,
            starts_at=_local(timezone.localdate() + dt.timedelta(days=9), "10:00"),
            place=MEETING_PLACES[slug],
            agenda=[{"title": title} for title in text["upcoming"]],
            chair=team.chair,
        )
        council.meeting_invite(user=team.secretary, meeting=upcoming)


def demo_meetings_seed(stdout: TextIO | None = None) -> str:
    """The demo councils' meeting records, approved minutes and an upcoming meeting, once."""
    from mcsc.models import Minutes

    if demo_cases().exists() and not Minutes.objects.filter(meeting__in=demo_meetings()).exists():
        with (
            override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"),
            transaction.atomic(),
        ):
            teams = {}
            for slug in DEMO_SLUGS:
                team = _Team(
                    municipality=Municipality.objects.get(slug=slug),
                    secretary=_demo_user(f"secretary.{slug}"),
                    leadership=_demo_user(f"leadership.{slug}"),
                    translator=_demo_user(f"translator.{slug}"),
                    chair=None,
                    members=[],
                )
                _council(slug, team, timezone.localdate())
                teams[slug] = team
            _meeting_records_seed(teams)
    approved = Minutes.objects.filter(meeting__in=demo_meetings()).count()
    upcoming = demo_meetings().filter(starts_at__gt=timezone.now()).count()
    summary = (
        f"Demo meetings: {demo_meetings().count()} "
        f"({approved} with approved minutes, {upcoming} upcoming)"
    )
    (stdout or sys.stdout).write(summary + "\n")
    return summary
