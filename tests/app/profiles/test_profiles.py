"""Covenant profiles: the shipped profiles encode the seeds, and broken files are refused.

Article references: "ZVH" = seed 003 (PP = its privacy protocol), "WO" = seed 002,
"OND" = seed 004, "DM 000/001" = the dagmonitor seeds.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from app.errors import ExitCode, InputError
from app.profiles import (
    ACCESS_LEVELS,
    PARTY_KINDS,
    PROFILES_DIR,
    REGIMES,
    LocalText,
    Profile,
    ProfileError,
    available_profiles,
    load_incident_classes,
    load_incident_classes_file,
    load_profile,
    load_profile_file,
)
from app.profiles import loader as profile_loader

ZVH = "zvh-rotterdam-rijnmond"
WO = "woonoverlast"
OND = "ondermijning"
ALL_PROFILES = (ZVH, WO, OND)


def _all_texts(profile: Profile) -> Iterator[LocalText]:
    yield profile.name
    yield profile.covenant
    yield profile.procesregisseur_label
    for group in (profile.parties, profile.phases, profile.subject_categories,
                  profile.data_categories, profile.activities):
        for item in group:
            yield item.name
    for activity in profile.activities:
        yield activity.purpose
        yield activity.retention
    yield profile.controller.name
    yield profile.controller.contact
    for indicator in profile.indicators:
        yield indicator.text
    for criterion in profile.weight_criteria:
        yield criterion.text
    for task in profile.tasks_powers:
        yield task.text


# --------------------------------------------------------------------------- all profiles


def test_available_profiles_lists_the_three_covenants_and_not_the_incident_classes() -> None:
    assert available_profiles() == [OND, WO, ZVH]


@pytest.mark.parametrize("profile_id", ALL_PROFILES)
def test_profile_loads_with_matching_id_and_version(profile_id: str) -> None:
    profile = load_profile(profile_id)
    assert profile.id == profile_id
    assert profile.version == "2024.1"
    assert (PROFILES_DIR.parent.parent / "app").is_dir()  # PROFILES_DIR is repo-relative
    assert profile.seed.startswith(("002_", "003_", "004_"))


@pytest.mark.parametrize("profile_id", ALL_PROFILES)
def test_every_phase_activity_is_in_the_processing_register(profile_id: str) -> None:
    """ZVH 24.3 / OND 24.2: every phase points at an entry of the processing register."""
    profile = load_profile(profile_id)
    register = {a.id for a in profile.activities}
    assert {p.activity for p in profile.phases} <= register
    for phase in profile.phases:
        assert profile.activity(phase.activity).id == phase.activity


@pytest.mark.parametrize("profile_id", ALL_PROFILES)
def test_activity_references_resolve(profile_id: str) -> None:
    profile = load_profile(profile_id)
    subjects = {s.id for s in profile.subject_categories}
    for activity in profile.activities:
        for category in activity.data_categories:
            assert profile.data_category(category).id == category
        assert set(activity.subject_categories) <= subjects
        assert all(profile.has_party(p) for p in activity.recipients)


@pytest.mark.parametrize("profile_id", ALL_PROFILES)
def test_police_recipients_are_parties_and_police_data_is_flagged(profile_id: str) -> None:
    """ZVH 6.4d/7.1, WO 3.1, OND 7: police data go only to named parties, and the profile
    has a data category flagged as police data (Wpg)."""
    profile = load_profile(profile_id)
    assert profile.police_recipients
    for party_id in profile.police_recipients:
        assert profile.party(party_id).kind != "politie"
    police_categories = [c for c in profile.data_categories if c.police]
    assert police_categories
    assert all(not c.justice and not c.special for c in police_categories)
    assert "Wpg" in profile.police_basis


@pytest.mark.parametrize("profile_id", ALL_PROFILES)
def test_vocabularies_and_phase_shape(profile_id: str) -> None:
    profile = load_profile(profile_id)
    assert all(p.kind in PARTY_KINDS and p.regime in REGIMES for p in profile.parties)
    assert all(s.access in ACCESS_LEVELS for s in profile.retention.stages)
    assert not profile.first_phase().closing
    assert any(p.closing for p in profile.phases)
    # Walking the regular path from the first phase ends in a closing phase.
    phase = profile.first_phase()
    seen = [phase.id]
    while (nxt := profile.phase_after(phase.id)) is not None:
        phase = nxt
        seen.append(phase.id)
    assert phase.closing
    assert len(seen) == len(set(seen))


@pytest.mark.parametrize("profile_id", ALL_PROFILES)
def test_every_user_visible_text_has_dutch_and_english(profile_id: str) -> None:
    for text in _all_texts(load_profile(profile_id)):
        assert text.nl.strip()
        assert text.en.strip()
        assert text.get("nl") == text.nl
        assert text.get("en") == text.en


def test_load_profile_is_cached() -> None:
    assert load_profile(ZVH) is load_profile(ZVH)


# --------------------------------------------------------------------------- ZVH (seed 003)


def test_zvh_lists_all_42_signatories() -> None:
    """Conv. "De ondergetekenden": 42 signatories, each a party with a stable id."""
    profile = load_profile(ZVH)
    assert len(profile.parties) == 42
    for party_id in ("politie-rotterdam", "om-rotterdam", "gemeente-rotterdam",
                     "reclassering-nederland", "ggz-antes", "slachtofferhulp",
                     "veilig-thuis-rotterdam-rijnmond", "raad-kinderbescherming-rotterdam",
                     "jeugdbescherming-rotterdam-rijnmond", "dji", "halt", "humanitas"):
        assert profile.has_party(party_id), party_id
    assert sum(p.kind == "gemeente" for p in profile.parties) == 15


def test_zvh_regimes_per_pp_6_4_and_8_1() -> None:
    """PP 6.4c-d, 8.1: police provide under the Wpg, OM and DJI under the Wjsg."""
    profile = load_profile(ZVH)
    assert profile.party("politie-rotterdam").regime == "wpg"
    assert profile.party("om-rotterdam").regime == "wjsg"
    assert profile.party("dji").regime == "wjsg"
    assert profile.party("gemeente-rotterdam").regime == "avg"


def test_zvh_consent_for_professional_secrecy_pp_7_2_13_6_and_slachtofferhulp_6_4l() -> None:
    profile = load_profile(ZVH)
    for party_id in ("ggz-antes", "ggz-delfland", "reclassering-nederland",
                     "jeugdbescherming-rotterdam-rijnmond", "william-schrikker"):
        party = profile.party(party_id)
        assert party.regime == "beroepsgeheim"
        assert party.consent_required
    victim_support = profile.party("slachtofferhulp")
    assert victim_support.consent_required
    assert victim_support.regime == "avg"
    for party_id in ("politie-rotterdam", "om-rotterdam", "gemeente-rotterdam"):
        assert not profile.party(party_id).consent_required


def test_zvh_retention_pp_11_2_to_11_8() -> None:
    """PP 11.2 (5 years), 11.4 (extensions of at most 2 years), 11.8 (not forwarded: 1 year)."""
    retention = load_profile(ZVH).retention
    assert retention.max_years == 5
    assert retention.extension_years == 2
    assert retention.not_forwarded_months == 12
    assert retention.destroy_after_close_months is None


def test_zvh_access_stages_6_and_24_months_pp_11_6() -> None:
    stages = load_profile(ZVH).retention.stages
    assert [(s.from_months, s.to_months, s.access) for s in stages] == [
        (0, 6, "procesregisseur"),
        (6, 24, "none"),
        (24, None, "dsr_only"),
    ]
    assert all(s.article == "PP 11.6" for s in stages)


def test_zvh_phases_pp_3_3_and_bijvoegsel_2() -> None:
    profile = load_profile(ZVH)
    assert profile.first_phase().id == "aanmelding"
    assert profile.phase_after("aanmelding").id == "triage"  # type: ignore[union-attr]
    # "Niet doorgeleid" (PP 11.8) branches off triage; the regular path skips it.
    assert profile.phase_after("triage").id == "casusoverleg"  # type: ignore[union-attr]
    assert profile.phase_after("casusoverleg").id == "afschaling"  # type: ignore[union-attr]
    assert profile.phase_after("afschaling") is None
    assert profile.phase("niet_doorgeleid").closing
    assert profile.phase("afschaling").closing
    assert profile.phase_after("niet_doorgeleid") is None


def test_zvh_intake_data_stay_with_the_procesregisseur_pp_9_2_9_6() -> None:
    profile = load_profile(ZVH)
    assert profile.activity(profile.phase("aanmelding").activity).recipients == ()
    assert profile.activity(profile.phase("niet_doorgeleid").activity).recipients == ()
    assert len(profile.activity("casusoverleg").recipients) == 42


def test_zvh_police_recipients_follow_pp_6_4() -> None:
    """PP 6.4: art. 20 Wpg provisions only to the party types a-m (HALT is not one)."""
    profile = load_profile(ZVH)
    assert profile.police_basis == "art. 20 Wpg"
    assert "om-rotterdam" in profile.police_recipients
    assert "gemeente-rotterdam" in profile.police_recipients
    assert "halt" not in profile.police_recipients
    assert "politie-rotterdam" not in profile.police_recipients
    assert len(profile.police_recipients) == 40


def test_zvh_categories_bijvoegsel_3() -> None:
    profile = load_profile(ZVH)
    assert [s.id for s in profile.subject_categories] == ["cat-i", "cat-ii", "cat-iii", "cat-iv"]
    assert profile.data_category("police").police
    assert profile.data_category("justice").justice
    assert profile.data_category("execution").justice
    assert profile.data_category("address").address
    special = {c.id for c in profile.data_categories if c.special}
    assert special == {"sexual_life", "health", "medical", "political", "ethnicity", "religion"}
    # Special categories are not collected at intake (Bijvoegsel 3: only per case).
    assert not special & set(profile.activity("aanmelding").data_categories)


# --------------------------------------------------------------------------- WO (seed 002)


def test_wo_melder_contact_needs_consent_art_3_3d_and_5_2() -> None:
    category = load_profile(WO).data_category("melder_contact")
    assert category.consent_required
    assert category.address
    assert not category.police


def test_wo_parties_and_subject_categories_art_5_1() -> None:
    profile = load_profile(WO)
    assert {p.kind for p in profile.parties} == {
        "politie", "burgemeester", "woningcorporatie", "verhuurder"
    }
    assert profile.party("politie-rotterdam").regime == "wpg"
    assert [s.id for s in profile.subject_categories] == [
        "melder", "overlastgever", "klant_verhuurder", "partij"
    ]
    assert profile.police_basis == "art. 20 Wpg"  # WO 3.1


def test_wo_six_steps_and_not_complex_art_5_1_and_9_9() -> None:
    profile = load_profile(WO)
    ordered = sorted(profile.phases, key=lambda p: p.order)
    regular = [p.id for p in ordered if p.id != "niet_complex"]
    assert regular == ["onderzoek", "gezamenlijk_overleg", "plan_van_aanpak", "uitvoering",
                       "voortgang", "afsluiten"]
    assert profile.phase("niet_complex").closing
    assert profile.phase_after("gezamenlijk_overleg").id == "plan_van_aanpak"  # type: ignore[union-attr]
    assert profile.activity("niet_complex").data_categories == ()


def test_wo_retention_five_years_after_closing_destroy_at_once_when_not_complex() -> None:
    """WO 9.4: at most 5 years after closing, non-active; 9.9: not complex -> destroy at once."""
    retention = load_profile(WO).retention
    assert retention.destroy_after_close_months == 60
    assert retention.not_forwarded_months == 0
    assert [(s.from_months, s.to_months, s.access) for s in retention.stages] == [(0, 60, "none")]


# --------------------------------------------------------------------------- OND (seed 004)


def test_ond_departments_of_bijlage_8_are_parties_of_kind_afdeling() -> None:
    profile = load_profile(OND)
    departments = [p for p in profile.parties if p.kind == "afdeling"]
    assert len(departments) == 12
    assert all(p.regime == "avg" and not p.consent_required for p in departments)
    assert profile.has_party("riec-limburg")
    assert not any(p.kind == "belastingdienst" for p in profile.parties)


def test_ond_police_data_only_with_the_mayor_art_7() -> None:
    """OND 7.1-7.3: police data the mayor holds are not passed on; only the fact of a
    decision based on them may be shared."""
    profile = load_profile(OND)
    assert profile.police_recipients == ("burgemeester-beesel",)
    assert profile.party("burgemeester-beesel").kind == "burgemeester"
    assert all("police" not in a.data_categories for a in profile.activities)
    assert "mayor_police_decision" in profile.activity("overleg").data_categories


def test_ond_retention_destroy_at_12_months_art_11_2() -> None:
    retention = load_profile(OND).retention
    assert retention.destroy_after_close_months == 12
    assert [(s.from_months, s.to_months, s.access) for s in retention.stages] == [
        (0, 6, "procesregisseur_casusregisseur"),
        (6, 12, "coordinator_archive"),
    ]


def test_ond_seven_steps_and_opschaling_riec_art_3_3() -> None:
    profile = load_profile(OND)
    ordered = [p.id for p in sorted(profile.phases, key=lambda p: p.order)]
    assert ordered == ["intake", "zwaarte", "bronnenonderzoek", "voorbereiden_overleg",
                       "overleg", "regie", "afsluiten", "opschaling_riec"]
    assert profile.phase("opschaling_riec").closing
    assert profile.phase_after("regie").id == "afsluiten"  # type: ignore[union-attr]
    assert profile.activity("opschaling_riec").recipients == ("riec-limburg",)
    assert profile.procesregisseur_label.nl == "Coördinator bestuurlijke aanpak"


def test_ond_indicators_weights_and_tasks_bijlagen_1_7_9() -> None:
    profile = load_profile(OND)
    groups = {i.group for i in profile.indicators}
    assert groups == {"vastgoedfraude", "mensenhandel", "mensenhandel_minderjarigen",
                      "seksuele_uitbuiting", "arbeidsuitbuiting", "drugs"}
    assert len(profile.indicators) == 120
    assert sum(i.group == "vastgoedfraude" for i in profile.indicators) == 46
    assert len(profile.weight_criteria) == 11
    assert {w.weight for w in profile.weight_criteria} == {"decisive", "graded"}
    assert len(profile.tasks_powers) == 31
    assert all(profile.party(t.party).kind == "afdeling" for t in profile.tasks_powers)


def test_zvh_and_wo_have_no_ond_lists() -> None:
    for profile_id in (ZVH, WO):
        profile = load_profile(profile_id)
        assert profile.indicators == ()
        assert profile.weight_criteria == ()
        assert profile.tasks_powers == ()


# --------------------------------------------------------------------------- incident classes


def test_incident_classes_of_both_dagmonitor_seeds_load() -> None:
    classes = load_incident_classes()
    assert sum(c.source == "000" for c in classes) == 85
    assert sum(c.source == "001" for c in classes) == 79
    assert load_incident_classes() is classes


def test_dm_000_house_number_only_for_burglary_art_4_3() -> None:
    """DM 000 art. 4.3: house number for A20/A30 and A21/A34 only; others postcode level."""
    classes = [c for c in load_incident_classes() if c.source == "000"]
    assert {c.code for c in classes if c.house_number} == {"A20", "A21", "A30", "A34"}
    assert not any(c.ter_hoogte_van for c in classes)
    by_code = {c.code: c for c in classes}
    assert not by_code["F530"].house_number
    assert by_code["F530"].description == "Bedreiging"


def test_dm_001_ter_hoogte_van_for_car_break_ins_and_street_robbery_bijlage_1() -> None:
    classes = {c.code: c for c in load_incident_classes() if c.source == "001"}
    for code in ("A10", "B70"):
        assert classes[code].house_number
        assert classes[code].ter_hoogte_van
    # Home burglary and robbery of a home: the house number, without "ter hoogte van".
    for code in ("A20", "B72"):
        assert classes[code].house_number
        assert not classes[code].ter_hoogte_van
    assert not classes["E35"].house_number  # youth nuisance: postcode level "in eerste aanleg"
    assert not classes["A50"].house_number


# --------------------------------------------------------------------------- model helpers


def test_unknown_lookups_raise_profile_error() -> None:
    profile = load_profile(ZVH)
    assert not profile.has_party("politie-utrecht")
    with pytest.raises(ProfileError) as caught:
        profile.party("politie-utrecht")
    assert caught.value.code == "profile.unknown_item"
    assert "politie-utrecht" in caught.value.user_message()
    with pytest.raises(ProfileError):
        profile.phase("opschaling_riec")
    with pytest.raises(ProfileError):
        profile.data_category("melder_contact")


def test_local_text_falls_back_to_dutch() -> None:
    text = LocalText(nl="Afschaling", en="Scaling down")
    assert text.get("en") == "Scaling down"
    assert text.get("nl") == "Afschaling"
    assert text.get("de") == "Afschaling"


@pytest.mark.parametrize(
    "profile_id", ["utrecht", "../woonoverlast", "dagmonitor-incidentklassen", ""]
)
def test_unknown_profile_id(profile_id: str) -> None:
    with pytest.raises(ProfileError) as caught:
        load_profile(profile_id)
    assert caught.value.code == "profile.unknown"
    assert isinstance(caught.value, InputError)
    assert caught.value.exit_code == ExitCode.INVALID


# --------------------------------------------------------------------------- invalid files


def _variant(tmp_path: Path, profile_id: str, old: str, new: str) -> Path:
    """A copy of a shipped profile with the first ``old`` replaced by ``new``."""
    text = (PROFILES_DIR / f"{profile_id}.toml").read_text(encoding="utf-8")
    assert old in text, old
    path = tmp_path / f"{profile_id}.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def _invalid_key(path: Path) -> str:
    with pytest.raises(ProfileError) as caught:
        load_profile_file(path)
    error = caught.value
    assert error.code == "profile.invalid"
    key = str(error.params["key"])
    assert f"'{key}'" in error.user_message()  # the message itself names the key
    return key


def test_unmodified_copy_loads(tmp_path: Path) -> None:
    path = _variant(tmp_path, WO, "format = 1", "format = 1")
    assert load_profile_file(path) == load_profile(WO)


def test_unknown_key_is_named(tmp_path: Path) -> None:
    path = _variant(tmp_path, WO, 'regime = "wpg"\n', 'regime = "wpg"\ncolour = "blue"\n')
    assert _invalid_key(path) == "parties[0].colour"


def test_unknown_top_level_key_is_named(tmp_path: Path) -> None:
    path = _variant(tmp_path, WO, "format = 1\n", "format = 1\npolice_recipient = []\n")
    assert _invalid_key(path) == "police_recipient"


def test_bad_enum_value_is_named(tmp_path: Path) -> None:
    path = _variant(tmp_path, WO, 'regime = "wpg"', 'regime = "gdpr"')
    assert _invalid_key(path) == "parties[0].regime"


def test_bad_access_level_is_named(tmp_path: Path) -> None:
    path = _variant(tmp_path, ZVH, 'access = "dsr_only"', 'access = "everyone"')
    assert _invalid_key(path) == "retention.stages[2].access"


def test_missing_key_is_named(tmp_path: Path) -> None:
    path = _variant(tmp_path, WO, 'police_basis = "art. 20 Wpg"\n', "")
    assert _invalid_key(path) == "police_basis"


def test_processing_register_needs_controller_and_retention_zvh_24_3(tmp_path: Path) -> None:
    """ZVH 24.3a: the register names the controller; OND 24.2g: each activity its retention."""
    text = (PROFILES_DIR / f"{WO}.toml").read_text(encoding="utf-8")
    start = text.index("[controller]")
    path = tmp_path / f"{WO}.toml"
    path.write_text(text[:start] + text[text.index("\n\n", start):], encoding="utf-8")
    assert _invalid_key(path) == "controller"
    line = next(x for x in text.splitlines() if x.startswith("retention = "))
    path = _variant(tmp_path, WO, line + "\n", "")
    assert _invalid_key(path) == "activities[0].retention"


@pytest.mark.parametrize("profile_id", ALL_PROFILES)
def test_activity_retention_cites_the_retention_articles(profile_id: str) -> None:
    """PP 11, WO 9, OND 11: each activity's retention text cites the covenant's article."""
    profile = load_profile(profile_id)
    chapter = {ZVH: "11.", WO: "9.", OND: "11."}[profile_id]
    for activity in profile.activities:
        assert f"art. {chapter}" in activity.retention.nl, activity.id
        assert f"art. {chapter}" in activity.retention.en, activity.id
    assert profile.controller.article


def test_wrong_types_are_named(tmp_path: Path) -> None:
    path = _variant(tmp_path, WO, "order = 1\n", 'order = "1"\n')
    assert _invalid_key(path) == "phases[0].order"
    path = _variant(tmp_path, WO, "consent_required = false", "consent_required = 0")
    assert _invalid_key(path) == "parties[0].consent_required"
    path = _variant(tmp_path, WO, 'en = "Complex housing nuisance approach"', "en = 3")
    assert _invalid_key(path) == "name.en"


def test_dangling_phase_activity_is_named(tmp_path: Path) -> None:
    path = _variant(tmp_path, WO, 'activity = "voortgang"', 'activity = "evaluatie"')
    assert _invalid_key(path) == "phases[5].activity"


def test_dangling_police_recipient_is_named(tmp_path: Path) -> None:
    path = _variant(tmp_path, WO, '"woningcorporatie", "particuliere-verhuurder"]',
                    '"woningbouw", "particuliere-verhuurder"]')
    assert _invalid_key(path) == "police_recipients[1]"


def test_dangling_activity_category_is_named(tmp_path: Path) -> None:
    path = _variant(tmp_path, WO, 'data_categories = ["melding_report"',
                    'data_categories = ["melding"')
    assert _invalid_key(path) == "activities[0].data_categories[0]"


def test_task_power_must_name_a_department(tmp_path: Path) -> None:
    path = _variant(tmp_path, OND, 'party = "afdeling-oov"', 'party = "politie"')
    assert _invalid_key(path) == "tasks_powers[0].party"


def test_duplicate_party_id_is_named(tmp_path: Path) -> None:
    path = _variant(tmp_path, WO, 'id = "particuliere-verhuurder"', 'id = "woningcorporatie"')
    assert _invalid_key(path) == "parties[3].id"


def test_duplicate_phase_order_is_named(tmp_path: Path) -> None:
    path = _variant(tmp_path, WO, "order = 2\n", "order = 1\n")
    assert _invalid_key(path) == "phases[1].order"


def test_stage_gap_is_named(tmp_path: Path) -> None:
    """Stages must follow each other without gaps (OND 11.2a-b)."""
    path = _variant(tmp_path, OND, "from_months = 6", "from_months = 7")
    assert _invalid_key(path) == "retention.stages[1].from_months"


def test_last_stage_must_end_at_destruction(tmp_path: Path) -> None:
    path = _variant(
        tmp_path, OND, "destroy_after_close_months = 12", "destroy_after_close_months = 18"
    )
    assert _invalid_key(path) == "retention.stages[1].to_months"


def test_unsupported_format_is_named(tmp_path: Path) -> None:
    path = _variant(tmp_path, WO, "format = 1", "format = 2")
    assert _invalid_key(path) == "format"


def test_bad_toml_names_the_line(tmp_path: Path) -> None:
    path = _variant(tmp_path, WO, 'version = "2024.1"\n', 'version = "2024.1"\nseed = \n')
    with pytest.raises(ProfileError) as caught:
        load_profile_file(path)
    assert caught.value.code == "profile.syntax"
    line = (PROFILES_DIR / f"{WO}.toml").read_text(encoding="utf-8").splitlines().index(
        'version = "2024.1"') + 2
    assert caught.value.params["line"] == str(line)
    assert f"line {line}" in caught.value.user_message()


def test_missing_file_is_unreadable(tmp_path: Path) -> None:
    with pytest.raises(ProfileError) as caught:
        load_profile_file(tmp_path / "absent.toml")
    assert caught.value.code == "profile.unreadable"


def test_profile_id_must_match_file_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "copy.toml").write_text(
        (PROFILES_DIR / f"{WO}.toml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    monkeypatch.setattr(profile_loader, "PROFILES_DIR", tmp_path)
    load_profile.cache_clear()
    try:
        assert available_profiles() == ["copy"]
        with pytest.raises(ProfileError) as caught:
            load_profile("copy")
        assert caught.value.params["key"] == "id"
    finally:
        load_profile.cache_clear()


def _class_variant(tmp_path: Path, old: str, new: str) -> Path:
    source = PROFILES_DIR / "dagmonitor-incidentklassen.toml"
    text = source.read_text(encoding="utf-8")
    assert old in text, old
    path = tmp_path / "classes.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_incident_class_ter_hoogte_van_needs_house_number(tmp_path: Path) -> None:
    row = '{ code = "A11", description = "Diefstal uit/vanaf vaartuig", house_number = false, '
    path = _class_variant(
        tmp_path, row + "ter_hoogte_van = false }", row + "ter_hoogte_van = true }"
    )
    with pytest.raises(ProfileError) as caught:
        load_incident_classes_file(path)
    assert caught.value.params["key"] == "sources[0].classes[1].ter_hoogte_van"


def test_incident_class_duplicate_code_is_named(tmp_path: Path) -> None:
    path = _class_variant(tmp_path, 'code = "A11"', 'code = "A10"')
    with pytest.raises(ProfileError) as caught:
        load_incident_classes_file(path)
    assert caught.value.params["key"] == "sources[0].classes[1].code"
