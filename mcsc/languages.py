"""Which languages a public statement must be published in."""

from collections.abc import Iterable

from mcsc.models import Community, Language, Municipality


def required_languages(*, municipality: Municipality, community: Community) -> list[Language]:
    """The languages a statement about an incident against ``community`` must exist in.

    They are the municipality's official languages, its languages in official use, and the
    affected community's own language. A community language already covered by a
    municipal language of the same family (Serbian in either script) adds nothing, so a
    Serb community is addressed in the script the municipality configured for Serbian.

    Uses prefetched ``official_languages`` / ``languages_in_official_use`` when present.
    """
    chosen: dict[str, Language] = {}
    for language in [
        *municipality.official_languages.all(),
        *municipality.languages_in_official_use.all(),
    ]:
        chosen.setdefault(language.code, language)
    families = {language.family for language in chosen.values()}
    community_language = community.language
    if community_language.family not in families:
        chosen[community_language.code] = community_language
    return sorted(chosen.values(), key=lambda language: (language.sort_order, language.code))


def missing_languages(
    *, required: Iterable[Language], available_codes: Iterable[str]
) -> list[Language]:
    """The required languages that have no entry among ``available_codes``."""
    available = set(available_codes)
    return [language for language in required if language.code not in available]
