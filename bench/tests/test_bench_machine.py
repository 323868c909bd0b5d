"""The benchmark records how much of the cores' time the host took while it ran (steal)."""

from __future__ import annotations

from bench.machine import cpu_times, steal_share

# /proc/stat as Linux writes it: user nice system idle iowait irq softirq steal guest guest_nice.
BEFORE = "cpu  1000 10 200 5000 40 0 30 100 0 0\ncpu0 500 5 100 2500 20 0 15 50 0 0\n"
AFTER = "cpu  1600 10 300 5200 40 0 30 400 80 0\ncpu0 800 5 150 2600 20 0 15 200 40 0\n"


def test_steal_is_the_share_of_all_cores_time_the_host_took_between_two_readings():
    before, after = cpu_times(BEFORE), cpu_times(AFTER)
    assert before == (100, 6380)
    # Guest time is already inside user time: it is not counted twice.
    assert after == (400, 7580)
    assert steal_share(before, after) == 300 / 1200


def test_no_time_between_readings_gives_no_share():
    assert steal_share(cpu_times(BEFORE), cpu_times(BEFORE)) is None


def test_a_kernel_without_a_steal_column_counts_none():
    assert cpu_times("cpu  1000 10 200 5000\n") == (0, 6210)
