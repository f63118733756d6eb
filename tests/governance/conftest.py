"""Governance's tests see governance alone: other apps' sigs.yaml receivers are disconnected."""

import pytest

from governance import signals


@pytest.fixture(autouse=True)
def only_governance_receivers(monkeypatch):
    """Apps that import or export their own part of sigs.yaml test it in their own tests."""
    for signal in (
        signals.sigs_group_imported,
        signals.sigs_subproject_imported,
        signals.sigs_group_exporting,
        signals.sigs_subproject_exporting,
    ):
        monkeypatch.setattr(signal, "receivers", [])
        signal.sender_receivers_cache.clear()
