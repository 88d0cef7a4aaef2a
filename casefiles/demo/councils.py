"""The demo councils: their members, where they meet and what their meeting records say.

Data only, no service calls: ``casefiles.demo.play`` writes it through the services. The
record text is in the language each council's secretary writes in; the showcase meeting's
record is also translated into every official language of Prizren.
"""

from __future__ import annotations

from dataclasses import dataclass

from mcsc.models import Seat

DEMO_SLUGS = ["prizren", "gracanica", "gjilan"]


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
