"""Covenant profiles: the parties, phases, categories, register and retention of one covenant.

Profiles are data (``resources/profiles/*.toml``), validated on load; a store is bound to
one profile id and version.  The policy engine reads everything covenant-specific from here.
"""

from app.profiles.loader import (
    INCIDENT_CLASSES_ID,
    PROFILES_DIR,
    available_profiles,
    load_incident_classes,
    load_incident_classes_file,
    load_profile,
    load_profile_file,
)
from app.profiles.model import (
    ACCESS_LEVELS,
    PARTY_KINDS,
    REGIMES,
    WEIGHTS,
    AccessStage,
    Controller,
    DataCategory,
    IncidentClass,
    Indicator,
    LocalText,
    Party,
    Phase,
    ProcessingActivity,
    Profile,
    ProfileError,
    Retention,
    RetentionClock,
    SubjectCategory,
    TaskPower,
    WeightCriterion,
)

__all__ = [
    "ACCESS_LEVELS",
    "INCIDENT_CLASSES_ID",
    "PARTY_KINDS",
    "PROFILES_DIR",
    "REGIMES",
    "WEIGHTS",
    "AccessStage",
    "Controller",
    "DataCategory",
    "IncidentClass",
    "Indicator",
    "LocalText",
    "Party",
    "Phase",
    "ProcessingActivity",
    "Profile",
    "ProfileError",
    "Retention",
    "RetentionClock",
    "SubjectCategory",
    "TaskPower",
    "WeightCriterion",
    "available_profiles",
    "load_incident_classes",
    "load_incident_classes_file",
    "load_profile",
    "load_profile_file",
]
