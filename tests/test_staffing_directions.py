"""Capacity direction tests (issue 14): in every site archetype, on common random numbers.

- Fewer posts in a service (every service halved; drug treatment cut to one post; social
  work cut to a third) is never clearly better on an outcome KPI.
- Added posts in a service running near capacity (utilisation at least 0.85) is never
  clearly worse, shortens that service's waits and clearly improves at least one outcome.
- Longer waits lower attendance: cutting drug treatment to one post lengthens its waits
  and lowers attendance at it.

"Clearly" is a paired t-test over the replications, Holm-corrected across the outcome
KPIs of one comparison (``tests/staffing.py``). Each site is one test, so the two test
workers share the sites.
"""

from __future__ import annotations

import pytest

from pathway_sim.inputs.loading import load_scenario

from .staffing import OUTCOMES, SITES, halved, paired, show, table

REPS = 10
NEAR_CAPACITY = 0.85
pytestmark = pytest.mark.slow


def _cuts(path) -> dict[str, list[str]]:
    social = load_scenario(path).services.social_work.staff
    return {
        "every service halved": halved(path),
        "drug treatment one post": ["services.drug_treatment.staff=1"],
        "social work a third": [f"services.social_work.staff={max(1, social // 3)}"],
    }


def _near_capacity(path) -> dict[str, list[str]]:
    """Services cut until they run near capacity, by the service that then gets a post:
    drug treatment to one post at 80% of its hours (one post alone runs at 0.83 in the
    rural site, where fewer women stay in contact), social work to a third of its posts."""
    scenario = load_scenario(path)
    hours = 0.8 * scenario.services.drug_treatment.hours_per_week
    return {
        "drug_treatment": [
            "services.drug_treatment.staff=1",
            f"services.drug_treatment.hours_per_week={hours:g}",
        ],
        "social_work": _cuts(path)["social work a third"],
    }


@pytest.mark.parametrize("site", sorted(SITES))
def test_staffing_directions_in_every_site(site: str) -> None:
    path = SITES[site]
    seed = load_scenario(path).run.seed
    base = table(path, [], REPS, seed, workers=1)
    cut_tables = {}
    for name, changes in _cuts(path).items():
        cut = cut_tables[name] = table(path, changes, REPS, seed, workers=1)
        verdicts = paired(base, cut, OUTCOMES)
        better = [v.kpi for v in verdicts if v.clearly_better]
        assert not better, f"{site}, {name}: fewer staff clearly better on {better}\n" + show(
            verdicts
        )

    # longer waits lower attendance
    cut = cut_tables["drug treatment one post"]
    waits = paired(base, cut, ["drug_treatment_wait_days"])[0]
    attendance = paired(base, cut, ["drug_treatment_attendance_pct"])[0]
    assert waits.low > 0 and attendance.high < 0, (site, waits, attendance)

    for service, changes in _near_capacity(path).items():
        crowded = table(path, changes, REPS, seed, workers=1)
        utilisation = crowded[f"{service}_utilisation"].mean()
        assert utilisation >= NEAR_CAPACITY, (site, service, utilisation)
        relieved = table(path, [*changes, f"services.{service}.added_posts=1"], REPS, seed, 1)
        verdicts = paired(crowded, relieved, OUTCOMES)
        worse = [v.kpi for v in verdicts if v.clearly_worse]
        assert not worse, f"{site}, {service} +1 post: clearly worse on {worse}\n" + show(verdicts)
        assert any(v.clearly_better for v in verdicts), f"{site}, {service}\n" + show(verdicts)
        wait = paired(crowded, relieved, [f"{service}_wait_days"])[0]
        assert wait.high < 0, (site, service, wait)
