"""SQLModel tables of the plan store. Importing this package registers every table."""

from .characteristic import Characteristic
from .clock import utcnow
from .datachange import DataChange
from .framework import FrameworkVersion, Level, Theme, ThemeMapping
from .history import DueDateChange, Evidence, StatusChange
from .keys import pk
from .levels import Criterion, CriterionAssessment, IssueCriterion, Judgement, SelfAssessment
from .meeting import IssueSnapshot, Meeting
from .organisation import Lead, LeadAlias, LeadKind, Organisation
from .plan import Issue, IssueCharacteristic, IssueLead, Plan, Section
from .plan_change import PlanChange
from .publication import Publication, PublicationDraft
from .signin import SignInSession
from .status import (
    CLOSED_STATUSES,
    DONE_STATUSES,
    OWN_RAG_VALUES,
    RATING_SOURCE_VALUES,
    STATUS_VALUES,
    OwnRag,
    RatingSource,
    Status,
)
from .user import Role, User, UserLead

__all__ = [
    "DONE_STATUSES",
    "CLOSED_STATUSES",
    "OWN_RAG_VALUES",
    "RATING_SOURCE_VALUES",
    "STATUS_VALUES",
    "Characteristic",
    "Criterion",
    "CriterionAssessment",
    "DataChange",
    "DueDateChange",
    "Evidence",
    "FrameworkVersion",
    "Issue",
    "IssueCharacteristic",
    "IssueCriterion",
    "IssueLead",
    "IssueSnapshot",
    "Judgement",
    "Lead",
    "LeadAlias",
    "LeadKind",
    "Level",
    "Meeting",
    "Organisation",
    "OwnRag",
    "Plan",
    "PlanChange",
    "Publication",
    "PublicationDraft",
    "RatingSource",
    "Role",
    "Section",
    "SignInSession",
    "SelfAssessment",
    "Status",
    "StatusChange",
    "Theme",
    "ThemeMapping",
    "User",
    "UserLead",
    "pk",
    "utcnow",
]
