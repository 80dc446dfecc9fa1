import pytest

from .cycle import build_cycle


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client


@pytest.fixture
def cycle(officer):
    """A small cycle: 12 filed letters with three submitted reviews each, and drafts."""
    return build_cycle(letters=12, officer=officer)
