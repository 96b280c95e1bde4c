"""``casustafel case edit-joint`` (app/cli/joint_commands.py; issue 13, point 7): a goal,
an action, a decision or a progress entry corrected from the command line, as a new
version; after the meeting was closed an addendum; refusals exit with one line."""

from __future__ import annotations

from tests.app.cli.casework_support import (
    AGENT,
    CHAIR,
    POLICE,
    RDAM,
    Actor,
    case_in_overleg,
)
from tests.app.cli.test_casework_cli import act, pristine  # noqa: F401 - fixtures


def test_a_goal_is_corrected_as_a_new_version_and_then_closed(act: Actor) -> None:  # noqa: F811
    """The correction names the version it replaces and both versions; a status alone
    changes the current row."""
    ref = act.json(CHAIR, "case", "new", "--registering-party", RDAM)["reference"]
    goal = act.json(CHAIR, "plan", "goal", "--case", ref, "--text", "Rust")["goal"]
    out = act.json(CHAIR, "case", "edit-joint", "goal", "--case", ref, "--id", str(goal),
                   "--text", "Rust in de straat", "--reason", "Te vaag")
    assert out["replaces"] == goal
    assert out["versions"] == [goal, out["id"]]
    closed = act.json(CHAIR, "case", "edit-joint", "goal", "--case", ref, "--id",
                      str(out["id"]), "--status", "reached")
    assert (closed["id"], closed["replaces"]) == (out["id"], None)
    text = act(CHAIR, "case", "edit-joint", "goal", "--case", ref, "--id", str(goal),
               "--text", "Nog eens")
    assert text.code == 4
    assert "corrected in the meantime" in text.err


def test_zvh_15_2_a_decision_corrected_after_the_meeting_is_an_addendum(
        act: Actor) -> None:  # noqa: F811
    """ZVH 15.2: after the chair closed the meeting, the correction of its decision is
    an addendum."""
    overleg = case_in_overleg(act)
    mid = str(overleg.meeting)
    decision = act.json(CHAIR, "meeting", "decide", "--case", overleg.ref, "--meeting", mid,
                        "--text", "Huisbezoek")["decision"]
    act.json(CHAIR, "meeting", "attend", "--meeting", mid, "--present", POLICE)
    act.json(CHAIR, "meeting", "close", "--meeting", mid)
    out = act.json(CHAIR, "case", "edit-joint", "decision", "--case", overleg.ref, "--id",
                   str(decision), "--text", "Huisbezoek met de GGZ")
    assert out["addendum"] is True
    assert out["replaces"] == decision


def test_options_of_another_kind_and_a_role_without_the_right_are_refused(
        act: Actor) -> None:  # noqa: F811
    """Bad input exits 4 naming the option, before the store is opened; the police,
    involved but not keeping the joint record, get the role's refusal (exit 3, ZVH 9.6)."""
    overleg = case_in_overleg(act)
    action = act.json(CHAIR, "plan", "action", "--case", overleg.ref, "--text", "Bellen",
                      "--owner", POLICE)["action"]
    wrong = act(CHAIR, "case", "edit-joint", "goal", "--case", overleg.ref, "--id", "1",
                "--owner", POLICE)
    assert wrong.code == 4
    assert "--owner" in wrong.err
    status = act(CHAIR, "case", "edit-joint", "action", "--case", overleg.ref, "--id",
                 str(action), "--status", "reached")
    assert status.code == 4
    assert "--status" in status.err
    refused = act(AGENT, "case", "edit-joint", "action", "--case", overleg.ref, "--id",
                  str(action), "--text", "Mailen")
    assert refused.code == 3
    moved = act.json(CHAIR, "case", "edit-joint", "action", "--case", overleg.ref, "--id",
                     str(action), "--no-due", "--text", "Bellen en mailen")
    assert moved["replaces"] == action
