"""Database helpers every app's services use.

``lock_then_load``: the one way a service locks a row it is about to change. It locks the
bare row by primary key, then loads it with its relations. A ``select_for_update`` joined
to other tables (``select_related``) is wrong under concurrency on PostgreSQL: after
waiting for a concurrent writer, PostgreSQL re-checks the *whole* query against the new
row version, joins included, and returns no row at all when that writer changed a joined
key (say, the case's affected community). The loser of a race would then see
``DoesNotExist`` (a 500) instead of the state the winner left (a 409).
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.db.models import Model, QuerySet

M = TypeVar("M", bound=Model)


def lock_then_load(queryset: QuerySet[M], *, pk: Any) -> M:
    """Lock the row ``pk`` of ``queryset``'s model, then fetch it through ``queryset``.

    Call it inside a transaction. The fetch happens after the lock is granted, so it reads
    the committed state of any writer that held the lock before. Raises the model's
    ``DoesNotExist`` when the row is gone.
    """
    model = queryset.model
    locked = list(model._base_manager.select_for_update().filter(pk=pk).values_list("pk"))
    if not locked:
        raise model.DoesNotExist(f"{model._meta.label} {pk} does not exist.")
    return queryset.get(pk=pk)
