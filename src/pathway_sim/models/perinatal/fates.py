"""The random numbers each woman brings with her, read by name.

Every decision a scenario can change (a referral, a plan, a separation, a preterm
week...) reads its own fixed number, drawn when she arrives (``Fate``), so two
scenarios that differ in one lever still meet the same woman with the same luck:
common random numbers, paired comparisons. Repeated decisions use her named streams
instead: each contact reads its numbers from her contact stream (``ContactDraw``),
whatever happens in it, so that no decision shifts the numbers of the next contact.
"""

from enum import IntEnum


class Fate(IntEnum):
    LATE_DISCLOSURE = 0
    NULLIPAROUS = 1
    OPIOID_USE = 2
    IN_TREATMENT = 3
    MENTAL_HEALTH_NEED = 4
    HOUSING_UNSTABLE = 5
    DOMESTIC_ABUSE = 6
    TRAUMA_HISTORY = 7
    RURAL = 8
    HUB_DAY = 9
    TREATMENT_REFERRAL = 10
    TREATMENT_START = 11
    MENTAL_HEALTH_REFERRAL = 12
    PEER_UPTAKE = 13
    SOCIAL_WORK_REFERRAL = 14
    CONFERENCE_HARM = 15
    PLAN = 16
    SEPARATION = 17
    KINSHIP = 18
    HANDOVER_MIDWIFERY = 19
    HANDOVER_PRESCRIBING = 20
    WARD_STIGMA = 21
    NAS_TREATMENT = 22
    PRETERM_DAY = 23
    PRETERM_WEEK = 24  # first of one number per week of PRETERM_WEEKS


PRETERM_WEEKS = range(28, 37)
"""Weeks in which a preterm birth can happen, one number each; earlier births are outside
the model."""
TERM_WEEKS = PRETERM_WEEKS.stop
"""A birth from this gestation is at term, not preterm."""
FATES = int(Fate.PRETERM_WEEK) + len(PRETERM_WEEKS)
"""How many numbers she draws."""


class Circumstance(IntEnum):
    """More of her numbers, drawn when she arrives from a stream of their own
    (``CIRCUMSTANCES_STREAM``), so that adding them shifted none of ``Fate``'s numbers nor
    the draws that follow them on her attribute stream."""

    PREVIOUS_REMOVAL = 0  # she has had a child removed before
    BUPRENORPHINE = 1  # on opioid substitution, her medication is buprenorphine


CIRCUMSTANCES = len(Circumstance)
"""How many numbers the circumstances stream gives her."""
CIRCUMSTANCES_STREAM = "circumstances"
"""The name of her circumstances stream."""


class ContactDraw(IntEnum):
    """Her numbers for one contact, taken together once it is wanted on its day."""

    REMOTE = 0  # made by phone or video (flexible contact)
    ATTEND = 1  # she attends
    RETELL = 2  # she must tell her history to a worker she has not met
    RETRAUMATISE = 3  # telling it re-traumatises her
    STIGMA = 4  # the contact is stigmatising


CONTACT_DRAWS = len(ContactDraw)
"""How many numbers a contact takes."""
