"""Processes the build starts (dbt, the loader's workers) die with it, even when it is killed outright."""

import ctypes
import os
import signal

_PR_SET_PDEATHSIG = 1


def die_with_parent(parent: int) -> None:
    """Be killed when ``parent`` (the process that started us) dies, even by SIGKILL (Linux): a signal to
    the build alone, or to its process group, would not reach a process of another group, and a worker
    waiting for work would wait forever."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        return  # not Linux: the parent's own clean-up still stops us
    if os.getppid() != parent:
        os._exit(1)  # the parent died before we asked
