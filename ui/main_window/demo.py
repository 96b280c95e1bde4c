"""The demo banner's list of demo users by role (issue 13, point 10): whoever tries the
demo sees whom else to sign in as, and with which passphrase."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from app.demo import DEMO_PASSPHRASE
from app.i18n import _
from app.services import admin
from app.views import UserView

if TYPE_CHECKING:
    from ui.main_window import MainWindow


def banner_text(users: list[UserView] | None = None) -> str:
    """The banner: demo data, the passphrase, and (when known) the users per role, in the
    order of the roles."""
    text = _("Demo — synthetic data, no real persons. Every demo user's passphrase: {p}"
             ).format(p=DEMO_PASSPHRASE)
    if not users:
        return text
    by_role = defaultdict(list)
    for user in users:
        by_role[user.role].append(user.username)
    # In the order the roles are declared (ui/ imports no domain module, so via the view).
    order = list(type(users[0].role))
    lines = [_("{role}: {users}").format(role=_(role.label).capitalize(),
                                        users=", ".join(sorted(by_role[role])))
             for role in sorted(by_role, key=order.index)]
    # One wrapped paragraph, not a line per role: at 1366 x 768 a line per role took
    # seven lines off the agenda.
    return "\n".join((text, _("Demo users by role:") + " " + "; ".join(lines)))


def show_demo_users(window: MainWindow) -> None:
    """Once per demo, ask the store for its users (the demo chair may list them, ZVH
    13.2) and put them on the banner; a refusal keeps the banner as it is."""
    if not window.ctx.demo or window.demo_users is not None:
        return

    def shown(users: list[UserView]) -> None:
        window.demo_users = users
        window.demo_banner.setText(banner_text(users))
        window.demo_banner.setAccessibleName(window.demo_banner.text())

    window.ctx.worker.submit(admin.list_users, done=window._current(shown),
                             failed=lambda _error: None)
