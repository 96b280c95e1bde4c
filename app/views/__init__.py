"""Every type that may leave the core: the trust boundary's shapes, as plain frozen data.

The UI, the CLI and the report renderer import views from here and never see a record
(import-linter contracts in ``pyproject.toml``).  A field holds its value or a
:class:`Redacted` marker; what the viewer may not know is absent.  Every view's repr names
ids and codes only.
"""

from app.domain.vocab import ConsentBasis, ConsentForm, ConsentGiver
from app.views.case import (
    ActionView,
    CaseFlags,
    CaseRowView,
    CaseView,
    DecisionView,
    GoalView,
    ItemView,
    PersonView,
    PhaseStep,
    PlanView,
    ProgressView,
)
from app.views.joint import JOINT_KINDS, CorrectionMark, JointVersionView
from app.views.meeting import AgendaItemView, AttendeeView, MeetingSummary, MeetingView
from app.views.report import (
    ReportKind,
    ReportOption,
    ReportRequest,
    ReportResult,
    kinds_for,
)
from app.views.screen import CaseScreen, OpenedStore
from app.views.sharing import CaseCapabilities, ConsentView, GrantView, NoticeView
from app.views.spec import ViewKind, ViewSpec
from app.views.user import UserView
from app.views.values import (
    CategoryRef,
    PartyRef,
    Redacted,
    Value,
    display_text,
    safe_repr,
    value_json,
)

__all__ = [
    "JOINT_KINDS",
    "ActionView",
    "AgendaItemView",
    "AttendeeView",
    "CaseCapabilities",
    "CaseFlags",
    "CaseRowView",
    "CaseScreen",
    "CaseView",
    "CategoryRef",
    "ConsentBasis",
    "ConsentForm",
    "ConsentGiver",
    "ConsentView",
    "CorrectionMark",
    "DecisionView",
    "GoalView",
    "GrantView",
    "ItemView",
    "JointVersionView",
    "MeetingSummary",
    "MeetingView",
    "NoticeView",
    "OpenedStore",
    "PartyRef",
    "PersonView",
    "PhaseStep",
    "PlanView",
    "ProgressView",
    "Redacted",
    "ReportKind",
    "ReportOption",
    "ReportRequest",
    "ReportResult",
    "UserView",
    "Value",
    "ViewKind",
    "ViewSpec",
    "display_text",
    "kinds_for",
    "safe_repr",
    "value_json",
]
