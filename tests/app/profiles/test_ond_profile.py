"""The OND lists the signal handling rests on, as profile data (resources/profiles/
ondermijning.toml): Bijlage 7 (criteria beoordeling zwaarte signaal) and Bijlage 9
(taken- en bevoegdhedenlijst), with ids, both languages and the article each rests on.

Article references are to seed 004 (the ondermijning protocol of Beesel, "OND").
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from app.profiles import PROFILES_DIR, ProfileError, load_profile, load_profile_file
from app.profiles.model import TASK_GROUPS

OND = "ondermijning"


def _variant(tmp_path: Path, old: str, new: str) -> Path:
    """A copy of the OND profile with the first ``old`` replaced by ``new``."""
    text = (PROFILES_DIR / f"{OND}.toml").read_text(encoding="utf-8")
    assert old in text, old
    path = tmp_path / f"{OND}.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def _invalid_key(path: Path) -> str:
    with pytest.raises(ProfileError) as caught:
        load_profile_file(path)
    assert caught.value.code == "profile.invalid"
    return str(caught.value.params["key"])


def test_ond_bijlage_7_criteria_in_the_seed_order_with_their_place() -> None:
    """Bijlage 7: ten indented criteria and the closing sentence (bestuurlijke
    integriteit); each cites its place, in both languages."""
    profile = load_profile(OND)
    criteria = profile.weight_criteria
    assert [c.id for c in criteria][:3] == [
        "gemeld-door-politie", "gemeld-door-riec", "gemeld-door-professional"]
    assert [c.article for c in criteria] == [
        *(f"OND Bijlage 7, criterium {n}" for n in range(1, 11)), "OND Bijlage 7, slotzin"]
    assert criteria[-1].id == "bestuurlijke-integriteit"
    for criterion in criteria:
        assert criterion.text.nl.strip()
        assert criterion.text.en.strip()
        assert criterion.text.nl != criterion.text.en
    assert profile.weight_criterion("recent").weight == "graded"


def test_ond_bijlage_9_tasks_have_ids_groups_and_the_provision() -> None:
    """Bijlage 9 (OND 1.24): 31 tasks and powers under the four headings of the annex,
    each with the provision it rests on and the department that holds it."""
    profile = load_profile(OND)
    tasks = profile.tasks_powers
    assert len({t.id for t in tasks}) == len(tasks) == 31
    assert Counter(t.group for t in tasks) == {
        "algemeen": 6, "specifiek": 11, "meer_specifiek": 3, "sectoraal": 11}
    assert {t.group for t in tasks} == TASK_GROUPS
    assert all(t.article.strip() for t in tasks)
    damocles = profile.task_power("opiumwet-13b")
    assert damocles.article == "art. 13b Opiumwet"
    assert damocles.party == "afdeling-oov"
    assert "Damocles" in damocles.text.nl
    assert profile.task_power("gw-172-1").article == "art. 172 lid 1 Gemeentewet"


def test_ond_lookups_of_the_lists_name_unknown_ids() -> None:
    """Lookups by id for the services: unknown ids are a ``profile.unknown_item``."""
    profile = load_profile(OND)
    assert profile.indicator("dr-05").group == "drugs"
    for lookup in (profile.indicator, profile.weight_criterion, profile.task_power):
        with pytest.raises(ProfileError) as caught:
            lookup("no-such-id")
        assert caught.value.code == "profile.unknown_item"


def test_other_profiles_have_no_ond_lists_and_still_load() -> None:
    """The tables are optional: the ZVH and WO covenants have none."""
    for profile_id in ("zvh-rotterdam-rijnmond", "woonoverlast"):
        profile = load_profile(profile_id)
        assert profile.tasks_powers == ()
        with pytest.raises(ProfileError):
            profile.task_power("opiumwet-13b")


def test_weight_criterion_needs_its_article(tmp_path: Path) -> None:
    path = _variant(tmp_path, 'article = "OND Bijlage 7, criterium 1"\n', "")
    assert _invalid_key(path) == "weight_criteria[0].article"


def test_task_needs_a_known_group_and_a_unique_id(tmp_path: Path) -> None:
    path = _variant(tmp_path, 'group = "algemeen"', 'group = "overig"')
    assert _invalid_key(path) == "tasks_powers[0].group"
    path = _variant(tmp_path, 'id = "gw-172-2"', 'id = "gw-172-1"')
    assert _invalid_key(path) == "tasks_powers[1].id"
    path = _variant(tmp_path, 'id = "gw-172-1"\n', "")
    assert _invalid_key(path) == "tasks_powers[0].id"
