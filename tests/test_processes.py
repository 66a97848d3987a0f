import signal

import pytest

from newsarchive.processes import sigint_deferred, spawn_context


def test_a_ctrl_c_inside_sigint_deferred_comes_as_it_ends():
    reached = []
    with pytest.raises(KeyboardInterrupt), sigint_deferred():
        signal.raise_signal(signal.SIGINT)
        reached.append("after the signal")  # not interrupted there
    assert reached == ["after the signal"]
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_no_ctrl_c_inside_sigint_deferred_raises_nothing():
    with sigint_deferred():
        pass
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def _sigint_disposition() -> str:
    return str(signal.getsignal(signal.SIGINT))


def test_spawned_processes_start_with_sigint_ignored_and_the_parent_keeps_its_handler():
    with spawn_context().Pool(1) as pool:
        assert pool.apply(_sigint_disposition) == str(signal.SIG_IGN)
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
