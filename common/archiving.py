"""Archive and restore, written once: the service step and the POST view around it.

Nothing with history is deleted; a record is archived (``archived_at`` set) and can be restored.
Each app keeps its own service functions (``archive_meeting``, ``restore_term`` …) with their own
preconditions and Chinese messages; their shared body is ``set_archived``::

    def archive_campaign(campaign, *, actor):
        return set_archived(
            campaign, True, actor=actor, action="campaigns.campaign.archived", unit=campaign.unit,
            error=CampaignError, already=_("该主题活动已归档。"),
        )

and each app's archive/restore view is made by ``archive_view``::

    campaign_archive = archive_view(
        get=lambda request, pk: _campaign(request, pk, "campaign.manage"),
        service=services.archive_campaign,
        done=lambda c: _("已归档主题活动“%(name)s”，可随时恢复。") % {"name": c.name},
        then="campaigns:campaign.detail",
    )
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from common.audit import log_action
from common.concurrency import save_with_version
from common.errors import DomainError, add_to_messages


def set_archived(
    record,
    archived: bool,
    /,
    *,
    actor,
    action: str,
    error: type[DomainError] = DomainError,
    already: str | None = None,
    check: Callable[[], None] | None = None,
    versioned: bool = False,
    log_changes: bool = False,
    then: Callable[[object], None] | None = None,
    **log,
):
    """Archive (``archived=True``) or restore ``record`` and write the audit entry ``action``.

    - ``already``: the Chinese message of ``error`` raised when ``record`` is already in that state
      (``None``: archiving twice is not refused);
    - ``check()``: the app's own preconditions, run after that (raises the app's error);
    - ``versioned``: the change goes through ``save_with_version`` (refused if the row changed
      since it was read; the version is raised), otherwise only ``archived_at`` (and
      ``updated_at``) are written;
    - ``log_changes``: the entry records ``{"archived_at": [old, new]}``;
    - ``then(record)``: runs in the same transaction after the write (e.g. recount derived rows);
    - ``**log``: passed to ``log_action`` (``unit``, ``data``, or ``obj`` to log on another object).
    """
    if already is not None and (record.archived_at is not None) == archived:
        raise error(already)
    if check is not None:
        check()
    with transaction.atomic():
        old = record.archived_at
        record.archived_at = timezone.now() if archived else None
        if versioned:
            save_with_version(record, record.version, ["archived_at"])
        else:
            values = {"archived_at": record.archived_at}
            if any(f.name == "updated_at" for f in record._meta.concrete_fields):
                values["updated_at"] = timezone.now()
            type(record)._base_manager.filter(pk=record.pk).update(**values)
        if then is not None:
            then(record)
        log.setdefault("obj", record)
        if log_changes:
            log["changes"] = {"archived_at": [old, record.archived_at]}
        log_action(action, actor=actor, **log)
    return record


@dataclass(frozen=True)
class Archiving:
    """How one kind of record is archived and restored, said once for both services::

        TERMS = Archiving("committees.term", CommitteeError, versioned=True, log_changes=True)

        def archive_term(term, *, actor):
            return TERMS.archive(term, actor=actor, unit=term.unit, already=_("届次：该届次已归档。"))

    ``action`` is the prefix of the audit codes (``<action>.archived``, ``<action>.restored``);
    the other fields and the keywords of ``archive``/``restore`` are those of ``set_archived``."""

    action: str
    error: type[DomainError] = DomainError
    versioned: bool = False
    log_changes: bool = False

    def archive(self, record, **kwargs):
        return self._set(record, True, "archived", **kwargs)

    def restore(self, record, **kwargs):
        return self._set(record, False, "restored", **kwargs)

    def _set(self, record, archived: bool, done: str, **kwargs):
        return set_archived(
            record,
            archived,
            action=f"{self.action}.{done}",
            error=self.error,
            versioned=self.versioned,
            log_changes=self.log_changes,
            **kwargs,
        )


def archive_action(request, obj, service: Callable, *, done, then, **kwargs):
    """Run ``service(obj, actor=request.user, **kwargs)``; flash ``done`` (a message, or a function
    of ``obj`` that returns one) or the refusal's messages; redirect to ``then`` (a URL name
    taking ``pk=obj.pk``, or a function of ``obj`` that returns what ``redirect`` accepts)."""
    try:
        service(obj, actor=request.user, **kwargs)
    except DomainError as exc:
        add_to_messages(request, exc)
    else:
        messages.success(request, done(obj) if callable(done) else done)
    return redirect(then(obj)) if callable(then) else redirect(then, pk=obj.pk)


def archive_view(*, get: Callable, service: Callable, done, then, reason_form=None):
    """A POST-only view ``(request, pk)`` that archives or restores one record.

    ``get(request, pk)`` fetches the record through the app's policy (404 out of scope, 403 when
    the action is not allowed); ``reason_form``, if given, is a form whose optional ``reason``
    is passed to the service. ``done`` and ``then`` as in ``archive_action``.
    """

    @never_cache
    @require_POST
    def view(request, pk):
        obj = get(request, pk)
        kwargs = {}
        if reason_form is not None:
            form = reason_form(request.POST)
            kwargs["reason"] = form.cleaned_data["reason"] if form.is_valid() else ""
        return archive_action(request, obj, service, done=done, then=then, **kwargs)

    return view


def archive_views(get: Callable, archive: Callable, restore: Callable, *, archived, restored, then, reason_form=None):
    """The archive and the restore view of one kind of record (see ``archive_view``):
    ``get(request, pk, action)`` fetches it for ``"archive"`` or ``"restore"``; ``archived`` and
    ``restored`` say what was done; ``reason_form`` is asked on archiving only."""
    return (
        archive_view(
            get=lambda request, pk: get(request, pk, "archive"),
            service=archive,
            done=archived,
            then=then,
            reason_form=reason_form,
        ),
        archive_view(get=lambda request, pk: get(request, pk, "restore"), service=restore, done=restored, then=then),
    )
