"""Bulk inserts that write their django-simple-history records in the same SQL statement."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import TypeVar

from django.conf import settings
from django.db import connection, models
from django.utils import timezone
from simple_history.utils import get_change_reason_from_object, get_history_model_for_model

M = TypeVar("M", bound=models.Model)

# simple_history builds a manager class on every ``Model.history`` access: look the model up once.
_history_model = functools.cache(get_history_model_for_model)


def insert_params(objs: Sequence[M]) -> dict[str, list]:
    """The values ``insert_with_history`` sends for ``objs``, by field attname: computed ahead
    (before a transaction opens, say), then given to it as ``params`` with the few columns
    that were not known yet replaced (a foreign key to a row created inside)."""
    model = type(objs[0])
    _sql, fields, _unique = _insert_sql(model, (), True)
    return {
        f.attname: [f.get_db_prep_save(f.pre_save(obj, True), connection) for obj in objs]
        for f in fields
    }


def insert_with_history(
    objs: Sequence[M],
    *,
    skip_conflicts_on: Sequence[str] = (),
    params: dict[str, list] | None = None,
) -> list[M]:
    """Insert unsaved ``objs`` (all of one model) and their "created" history records.

    What ``simple_history.utils.bulk_create_with_history`` does in two ORM queries, in one
    statement: the rows go in with ``INSERT ... SELECT FROM unnest(...)`` and the history table
    copies them as they were stored (``RETURNING``), dated now, with type ``+`` and one change
    reason and history user for all: the first object's ``_change_reason`` (else none) and
    ``_history_user`` (else the request's, under ``HistoryRequestMiddleware``). ``auto_now`` and
    ``auto_now_add`` fields are set, and ids given, as ``bulk_create`` does (which also relies on
    ``RETURNING`` keeping the input order).

    ``skip_conflicts_on``: the fields of a unique constraint; a row that would break it is left
    out (``ON CONFLICT DO NOTHING``) and gets no history record. Returns the objects inserted.
    ``params``: the values from ``insert_params``, when they were computed ahead.
    (Array fields are not supported: ``unnest`` would flatten them.)
    """
    if not objs:
        return []
    model = type(objs[0])
    with_history = getattr(settings, "SIMPLE_HISTORY_ENABLED", True)
    sql, fields, unique = _insert_sql(model, tuple(skip_conflicts_on), with_history)
    if params is None:
        params = insert_params(objs)
    params = [params[f.attname] for f in fields]
    if with_history:  # date, change reason and user of the history records
        user = _history_model(model).get_default_history_user(objs[0])
        reason = get_change_reason_from_object(objs[0]) or None
        params += [timezone.now(), reason, user.pk if user is not None else None]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        inserted = cursor.fetchall()
    if unique:  # the rows inserted, known by their unique values
        by_key = {tuple(row[1:]): row[0] for row in inserted}
        pks = [by_key.pop(tuple(getattr(obj, f.attname) for f in unique), None) for obj in objs]
    else:  # every row, in the order given
        pks = [pk for (pk,) in inserted]
    done = []
    for obj, pk in zip(objs, pks, strict=True):
        if pk is not None:
            obj.pk = pk
            obj._state.adding, obj._state.db = False, connection.alias
            done.append(obj)
    return done


@functools.cache
def _insert_sql(
    model: type[models.Model], skip_conflicts_on: tuple[str, ...], with_history: bool
) -> tuple[str, list[models.Field], list[models.Field]]:
    """The statement ``insert_with_history`` runs for ``model``, with the fields it inserts and
    the unique ones: built once (``db_type`` and the rest are not free)."""
    meta, quote = model._meta, connection.ops.quote_name
    fields = [f for f in meta.concrete_fields if not f.primary_key and not f.generated]
    columns = ", ".join(quote(f.column) for f in fields)
    arrays = ", ".join(f"%s::{f.db_type(connection)}[]" for f in fields)
    unique = [meta.get_field(name) for name in skip_conflicts_on]
    conflict = ""
    if unique:
        conflict = f"ON CONFLICT ({', '.join(quote(f.column) for f in unique)}) DO NOTHING"
    returned = [meta.pk.column, *(f.column for f in unique)]
    history_sql = ""
    if with_history:
        history = _history_model(model)
        returned += [f.column for f in history.tracked_fields if f.column not in returned]
        tracked = ", ".join(quote(f.column) for f in history.tracked_fields)
        user_column = quote(history._meta.get_field("history_user").column)
        history_sql = f""", history AS (
            INSERT INTO {quote(history._meta.db_table)} ({tracked}, history_date,
                history_change_reason, history_type, {user_column})
            SELECT {tracked}, %s, %s, '+', %s FROM created
        )"""  # noqa: S608 - the names come from the models
    keys = ", ".join(quote(f.column) for f in [meta.pk, *unique])
    sql = f"""
        WITH created AS (
            INSERT INTO {quote(meta.db_table)} ({columns}) SELECT * FROM unnest({arrays})
            {conflict} RETURNING {", ".join(map(quote, returned))}
        ){history_sql}
        SELECT {keys} FROM created"""  # noqa: S608 - the names come from the model
    return sql, fields, unique
