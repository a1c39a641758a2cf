"""Who gained or lost access between two starts, for the audit log.

Access is configuration ([access] in config.toml, or RMBOT_ACCESS__* in the environment), so it
changes when the operator restarts the bot with a new list; the bot compares it with the list it
last started with and audits each grant and revocation. Pure: snapshots in, audit subjects out.
"""

from __future__ import annotations

from typing import TypedDict

from bot.config import AccessSettings


class Snapshot(TypedDict):
    allowed: list[int]
    admins: list[int]
    supervisors: dict[str, list[int]]  # JSON keys: supervisor ids as text


def access_snapshot(access: AccessSettings) -> Snapshot:
    """The ids that decide access, in a stable order (stored as JSON: supervisor ids as keys)."""
    return {"allowed": sorted(set(access.allowed_user_ids)),
            "admins": sorted(set(access.admin_user_ids)),
            "supervisors": {str(supervisor): sorted(set(rms))
                            for supervisor, rms in sorted(access.supervisors.items())}}


def _delta(role: str, before: list[int], after: list[int]) -> list[str]:
    return ([f"{role} +{user}" for user in sorted(set(after) - set(before))]
            + [f"{role} -{user}" for user in sorted(set(before) - set(after))])


def access_changes(before: Snapshot | None, after: Snapshot) -> list[str]:
    """One audit subject per change, e.g. "allowed +111", "admin -900", "supervisor 900: rm +100".

    With no earlier snapshot (a new database, or one from before access was audited) nobody's
    access changed just now: the entries say "baseline" and list who has it.
    """
    if before is None:
        baseline = _delta("baseline allowed", [], after["allowed"]) + _delta("baseline admin", [], after["admins"])
        return [entry.replace(" +", " ") for entry in baseline] + [
            f"baseline supervisor {supervisor}: rms {','.join(map(str, rms)) or '-'}"
            for supervisor, rms in after["supervisors"].items()]
    changes = (_delta("allowed", before["allowed"], after["allowed"])
               + _delta("admin", before["admins"], after["admins"]))
    old_teams, new_teams = before["supervisors"], after["supervisors"]
    changes += _delta("supervisor", [int(s) for s in old_teams], [int(s) for s in new_teams])
    for supervisor in sorted(set(old_teams) | set(new_teams), key=int):
        changes += _delta(f"supervisor {supervisor}: rm", old_teams.get(supervisor, []), new_teams.get(supervisor, []))
    return changes
