"""Shared fixtures: the samples directory and one replay server for the whole test run."""

from pathlib import Path

import pytest

from newsarchive.replay import ReplayServer

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"


@pytest.fixture(scope="session")
def samples_dir() -> Path:
    return SAMPLES


@pytest.fixture(scope="session")
def replay_server():
    """The samples served on 127.0.0.1 as an HTTP proxy, shared across the test run."""
    with ReplayServer(SAMPLES) as server:
        yield server
