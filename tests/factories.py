"""Factories for tests. Reference rows (municipalities, languages, communities) are the
real seeded ones: tests look them up instead of inventing municipalities."""

import factory
from django.contrib.auth import get_user_model

from mcsc.models import Community, Municipality, Region, Role
from mcsc.services import role_assign


def municipality(slug: str) -> Municipality:
    return Municipality.objects.get(slug=slug)


def community(code: str) -> Community:
    return Community.objects.get(code=code)


def region(code: str) -> Region:
    return Region.objects.get(code=code)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.invalid")
    password = factory.django.Password("correct horse battery staple")


def user_with_role(
    role: Role, municipality_slug: str | None = None, *, region_code: str | None = None, **kwargs
):
    user = UserFactory(**kwargs)
    role_assign(
        user=user,
        role=role,
        municipality=municipality(municipality_slug) if municipality_slug else None,
        region=region(region_code) if region_code else None,
    )
    return user


def api_token_key(user, *, name: str = "test", days: int | None = None) -> str:
    """A working API token key for ``user``, made the way the product makes them.

    Its first use is recorded already: the API writes a token's last use at most once a
    minute, so the test's requests take their steady number of queries."""
    from accounts.services import token_create, token_touch

    token, key = token_create(user=user, name=name, days=days, via="command")
    token_touch(token=token)
    return key
