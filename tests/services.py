"""What a test does when a real service it needs cannot be had."""

import os

import pytest


def require(condition, reason):
    """Skip on a laptop without the service; under CI (CI set) fail, never skip."""
    if condition:
        return
    if os.environ.get("CI"):
        pytest.fail(f"CI must provide this: {reason}", pytrace=False)
    pytest.skip(reason)
