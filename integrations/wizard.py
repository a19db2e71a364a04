"""The activation wizard's state: which terms a user was shown and whether accepted.

The state lives in the user's session, one per integration kind, and holds a signed
token bound to the user, the kind, the terms version and the hash of the text shown,
with a random nonce. Every wizard post must carry the token of the state in the
session; finishing consumes the state. So a post from another user, from an old tab
(a replaced token), after the terms changed, a replay after finishing, or a finish
posted without going through the steps is refused before anything is activated. The
activation itself re-checks the terms (``services.integration_activate``).
"""

import secrets
from collections.abc import MutableMapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core import signing
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext_lazy as _

from integrations.terms import (
    Terms,
    terms_current,
    terms_current_version,
    terms_get,
    terms_outdated_error,
)
from mamut.errors import ApplicationError
from users.models import User

_SALT = "integrations.wizard"

Session = MutableMapping[str, Any]


@dataclass(frozen=True)
class WizardState:
    token: str
    terms: Terms
    accepted: bool


def _session_key(kind: str) -> str:
    return f"integrations.wizard.{kind}"


def _stale() -> ApplicationError:
    return ApplicationError(
        _("This wizard has expired or was already completed. Start again."),
        code="wizard_stale",
    )


def _not_accepted() -> ApplicationError:
    return ApplicationError(
        _("You must accept the terms to continue."), code="terms_not_accepted"
    )


def _state(*, session: Session, user: User, kind: str, token: str) -> WizardState:
    """The wizard in the session if ``token`` is its token and still valid."""
    stored = session.get(_session_key(kind))
    if not stored or not token or not constant_time_compare(stored["token"], token):
        raise _stale()
    try:
        payload = signing.loads(
            token, salt=_SALT, max_age=settings.INTEGRATIONS_WIZARD_MAX_AGE
        )
    except signing.BadSignature as error:  # also SignatureExpired
        session.pop(_session_key(kind), None)
        raise _stale() from error
    if payload["user"] != user.pk or payload["kind"] != kind:
        raise _stale()
    try:
        terms = terms_get(version=payload["version"], language=payload["language"])
    except LookupError:
        terms = None
    if (
        terms is None
        or terms.version != terms_current_version()
        or terms.sha256 != payload["sha256"]
    ):
        session.pop(_session_key(kind), None)
        raise terms_outdated_error()
    return WizardState(token=token, terms=terms, accepted=stored["accepted"])


def _store(session: Session, kind: str, state: WizardState) -> None:
    # Assigned anew (not mutated in place) so that the session knows it changed.
    session[_session_key(kind)] = {"token": state.token, "accepted": state.accepted}


def wizard_open(
    *, session: Session, user: User, kind: str, language: str
) -> WizardState:
    """Step 1: the wizard for the current terms in ``language``.

    Continues the wizard in the session when it shows the same text to the same user
    (so "Vorige" keeps the tick); otherwise starts a new one, which makes the token of
    any earlier one stale.
    """
    terms = terms_current(language=language)
    stored = session.get(_session_key(kind))
    if stored:
        try:
            state = _state(session=session, user=user, kind=kind, token=stored["token"])
        except ApplicationError:
            state = None
        if state and state.terms == terms:
            return state
    token = signing.dumps(
        {
            "user": user.pk,
            "kind": kind,
            "version": terms.version,
            "language": terms.language,
            "sha256": terms.sha256,
            "nonce": secrets.token_urlsafe(16),
        },
        salt=_SALT,
    )
    state = WizardState(token=token, terms=terms, accepted=False)
    _store(session, kind, state)
    return state


def wizard_accept_terms(
    *, session: Session, user: User, kind: str, token: str, accepted: bool
) -> WizardState:
    """Step 1 posted ("Volgende"): go on only with the box ticked."""
    state = _state(session=session, user=user, kind=kind, token=token)
    state = WizardState(token=state.token, terms=state.terms, accepted=accepted)
    _store(session, kind, state)
    if not accepted:
        raise _not_accepted()
    return state


def wizard_accepted(*, session: Session, user: User, kind: str) -> WizardState:
    """Step 2: the wizard in the session, which must have its terms accepted."""
    stored = session.get(_session_key(kind)) or {}
    state = _state(session=session, user=user, kind=kind, token=stored.get("token", ""))
    if not state.accepted:
        raise _not_accepted()
    return state


def wizard_finish(*, session: Session, user: User, kind: str, token: str) -> Terms:
    """ "Voltooien": consume the wizard and return the terms that were accepted.

    Consumed once: a second post with the same token finds no wizard and is stale.
    """
    state = _state(session=session, user=user, kind=kind, token=token)
    if not state.accepted:
        raise _not_accepted()
    session.pop(_session_key(kind), None)
    return state.terms


def wizard_cancel(*, session: Session, kind: str) -> None:
    """ "Annuleren": forget the wizard and what was ticked in it."""
    session.pop(_session_key(kind), None)
