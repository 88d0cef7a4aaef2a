import pytest
from django.core.management import call_command

from mcsc.languages import missing_languages, required_languages
from mcsc.models import Community, Language, Municipality, Region
from tests.factories import community, municipality

pytestmark = pytest.mark.django_db


def codes(languages):
    return [language.code for language in languages]


def test_all_38_municipalities_with_names_in_both_scripts_are_seeded():
    assert Municipality.objects.count() == 38
    gracanica = municipality("gracanica")
    assert (gracanica.code, gracanica.name_sq, gracanica.name_sr, gracanica.name_sr_cyrl) == (
        "35",
        "Graçanicë",
        "Gračanica",
        "Грачаница",
    )
    assert gracanica.region.code == "prishtine"
    assert gracanica.majority_community.code == "serb"
    assert not Municipality.objects.filter(name_sr_cyrl="").exists()


def test_regions_languages_and_communities_are_seeded_with_their_notes():
    assert sorted(Region.objects.values_list("code", flat=True)) == [
        "gjilan",
        "mitrovice",
        "peje",
        "prishtine",
        "prizren",
    ]
    assert {"sq", "sr-Cyrl", "sr-Latn", "tr", "bs", "rom", "hr", "en"} <= set(
        Language.objects.values_list("code", flat=True)
    )
    romani = Language.objects.get(code="rom")
    assert romani.django_code == ""
    assert "locale" in romani.uncertainty_note
    assert community("roma").language == romani
    assert Community.objects.count() == 10
    assert "do not hard-code" in community("gorani").uncertainty_note
    assert municipality("junik").uncertainty_note


def test_prizren_with_an_affected_turkish_community_needs_all_its_languages():
    required = required_languages(municipality=municipality("prizren"), community=community("turk"))
    # Official: sq, sr, tr, bs; in official use: Romani.
    assert codes(required) == ["sq", "sr-Cyrl", "tr", "bs", "rom"]


def test_gracanica_needs_albanian_and_serbian_at_least():
    required = required_languages(
        municipality=municipality("gracanica"), community=community("serb")
    )
    assert {"sq", "sr-Cyrl"} <= set(codes(required))


def test_the_affected_communitys_language_is_added_where_the_municipality_lacks_it():
    required = required_languages(municipality=municipality("decan"), community=community("roma"))
    assert codes(required) == ["sq", "sr-Cyrl", "rom"]


def test_a_community_speaking_albanian_adds_no_language():
    required = required_languages(
        municipality=municipality("gjilan"), community=community("ashkali")
    )
    assert codes(required) == ["sq", "sr-Cyrl", "tr"]


def test_serbian_in_latin_script_configured_by_an_administrator_covers_the_serb_community():
    mamusha = municipality("mamusha")
    cyrillic = Language.objects.get(code="sr-Cyrl")
    latin = Language.objects.get(code="sr-Latn")
    mamusha.official_languages.remove(cyrillic)
    mamusha.official_languages.add(latin)
    required = required_languages(municipality=mamusha, community=community("serb"))
    assert codes(required) == ["sq", "sr-Latn", "tr"]


def test_missing_languages_names_those_without_a_translation():
    required = required_languages(municipality=municipality("prizren"), community=community("turk"))
    missing = missing_languages(required=required, available_codes=["sq", "tr"])
    assert codes(missing) == ["sr-Cyrl", "bs", "rom"]


def test_seed_reference_keeps_administrator_corrections_unless_asked_to_update():
    gllogoc = municipality("drenas-glogovac")
    gllogoc.name_sq = "Drenas"
    gllogoc.save()
    call_command("seed_reference")
    assert municipality("drenas-glogovac").name_sq == "Drenas"
    call_command("seed_reference", "--update")
    assert municipality("drenas-glogovac").name_sq == "Gllogoc"
    assert Municipality.objects.count() == 38
