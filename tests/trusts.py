"""The demo's trusts, for tests that count deadlines or settings in one of them."""

from casework.models import Trust

ST_CLARE = "St Clare Catholic Multi Academy Trust"
# The second trust: not in the reference data; the ``second_trust`` fixture seeds it.
SECOND = "Our Lady of Walsingham Catholic Academy Trust"


def demo_trust_id() -> int:
    """St Clare's, the trust the policy fixture brings in and most of the demo belongs to."""
    return Trust.objects.get(name=ST_CLARE).pk
