"""What the quality of care does to her: trust, retelling her history, stigma, re-traumatisation.

Trust is one quantity across services, so one stigmatising contact lowers her
attendance everywhere. Good contacts with a worker she knows build protection, which
makes later re-traumatisation less likely; trained staff make it less likely too.
"""

from __future__ import annotations

from pathway_sim.engine.service import Post
from pathway_sim.models.perinatal.system import CareSystem
from pathway_sim.models.perinatal.woman import Woman


def adjust_trust(woman: Woman, delta: float) -> None:
    """Her trust moved by ``delta``, kept within 0-1."""
    woman.trust = min(max(woman.trust + delta, 0.0), 1.0)


def relational_share(system: CareSystem, post: Post, rush: float) -> float:
    """How much of relational care this worker can give: it needs slack (1 - pressure)
    and training (ToC: it cannot be achieved without training, support, staffing)."""
    pre = system.preconditions
    if pre.strength == 0:
        return 1.0
    skill = 1.0 if system.training.trained(post) else pre.relational_untrained_share
    possible = (1.0 - rush) ** pre.relational_slack_power * skill
    return 1.0 - pre.strength + pre.strength * possible


def retell_probability(
    system: CareSystem, new_to_service: bool, rush: float, coordinated: bool = False
) -> float:
    """Chance she must tell her history to a worker she has not met: less when the service
    already knows her or records are shared, more when a rushed worker has not read them.

    With the preconditions, shared records help only as far as staff have time to read
    them, and a co-ordinator who carries her story spares her some retelling."""
    care, s = system.hostile_care, system.preconditions.strength
    unshared = (
        care.retell_probability_new_service
        if new_to_service
        else care.retell_probability_same_service
    )
    p = unshared
    if system.interventions.shared_records:
        p = care.retell_probability_shared_records
        if s > 0:
            p += s * rush * (unshared - p)
    if coordinated and s > 0:
        p *= 1 - s * system.preconditions.coordinator_retell_reduction
    return p + (1.0 - p) * system.capacity.rushed_retell_increase * rush


def retraumatise_probability(system: CareSystem, woman: Woman, base: float) -> float:
    """Chance an event with reference chance ``base`` re-traumatises her: higher with a
    trauma history, lower where staff are trained and where good contacts protect her."""
    care = system.hostile_care
    p = base * (care.trauma_history_multiplier if woman.trauma_history else 1.0)
    p *= 1 - care.training_retraumatise_reduction * system.training.coverage
    p *= 1 - care.relationship_protection * woman.protection
    return min(p, 1.0)


def retraumatise(system: CareSystem, woman: Woman, cause: str, service: str = "") -> None:
    """A re-traumatising event (ToC short-term outcome 1): counted, and trust falls."""
    adjust_trust(woman, -system.engagement.trust_loss_retraumatised)
    _retraumatised(system, woman, cause, service)


def _retraumatised(system: CareSystem, woman: Woman, cause: str, service: str) -> None:
    woman.retraumatised += 1
    system.events.log(woman, "retraumatised", service, detail=cause)


def stigmatise(system: CareSystem, woman: Woman, service: str) -> None:
    """A stigmatising contact: it undoes trust built anywhere and may re-traumatise her.

    A re-traumatisation that comes from the stigma costs no trust of its own: the stigma's
    loss (``trust_loss_stigma``, the larger) stands for the one event, so trust does not
    fall twice for it. This is how the model has always counted it, kept as it is here; it
    is a modelling choice to revisit, not a measured fact."""
    woman.stigmatising += 1
    adjust_trust(woman, -system.engagement.trust_loss_stigma)
    system.events.log(woman, "stigmatised", service, detail="stigma")
    p = retraumatise_probability(system, woman, system.hostile_care.stigma_retraumatise_probability)
    if system.streams.get("harm", woman.id).random() < p:
        _retraumatised(system, woman, "stigma", service)
