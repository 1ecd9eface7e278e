"""Reading what the kernel counted for a group: kills at the memory limit, refused forks, peaks."""

import pytest

from assay.sandbox.cgroup import Counters, parse_counters, parse_peak
from assay.sandbox.pod import Stop

V2 = """\
== /sys/fs/cgroup/memory.events
low 0
high 0
max 17
oom 2
oom_kill 2
oom_group_kill 0
== /sys/fs/cgroup/pids.events
max 5
"""
V1 = """\
== /sys/fs/cgroup/memory/memory.oom_control
oom_kill_disable 0
under_oom 0
oom_kill 3
== /sys/fs/cgroup/pids/pids.events
max 4
"""


def test_cgroup_v2_counts_oom_kills_and_refused_forks():
    assert parse_counters(V2) == Counters(oom_kills=2, pids_refused=5)


def test_cgroup_v1_counts_oom_kills_and_refused_forks():
    assert parse_counters(V1) == Counters(oom_kills=3, pids_refused=4)


def test_max_in_memory_events_is_not_a_refused_fork():
    memory_only = V2.split("== /sys/fs/cgroup/pids.events", maxsplit=1)[0]

    assert parse_counters(memory_only) == Counters(oom_kills=2, pids_refused=0)


def test_oom_kill_outside_a_memory_file_is_not_counted():
    assert parse_counters("== /sys/fs/cgroup/pids.events\noom_kill 9\nmax 1\n").oom_kills == 0


def test_lines_before_any_section_and_odd_values_are_ignored():
    text = "max 3\noom_kill 4\n== /sys/fs/cgroup/memory.events\noom_kill many\noom_kill\n"

    assert parse_counters(text) == Counters()


def test_nothing_readable_counts_nothing():
    assert parse_counters("") == Counters()


def test_a_new_oom_kill_since_before_is_a_memory_stop():
    assert Counters(oom_kills=2, pids_refused=5).stop_since(Counters(1, 5)) is Stop.memory


def test_a_new_refused_fork_since_before_is_a_pids_stop():
    assert Counters(oom_kills=1, pids_refused=6).stop_since(Counters(1, 5)) is Stop.pids


def test_the_memory_limit_wins_when_both_were_hit():
    assert Counters(2, 6).stop_since(Counters(1, 5)) is Stop.memory


def test_counters_that_did_not_move_are_no_stop():
    assert Counters(1, 5).stop_since(Counters(1, 5)) is None


@pytest.mark.parametrize(
    ("text", "peak"),
    [
        ("104857600\n", 104857600),
        ("  2048  \n", 2048),
        ("4096\nextra\n", 4096),
        ("0\n", None),
        ("max\n", None),
        ("-5\n", None),
        ("", None),
        ("\n\n", None),
    ],
)
def test_a_peak_is_a_positive_byte_count_or_none(text, peak):
    assert parse_peak(text) == peak
