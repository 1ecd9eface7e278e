"""The Docker backend's pure parts: the hardening every container gets, and the attach stream."""

import struct

from docker.types import Ulimit

from assay.sandbox.docker import _Frames, hardening
from assay.sandbox.limits import MIB, Limits

LIMITS = Limits(memory_mb=512, cpus=1.5, pids=128, tmpfs_mb=64, nofile=1024, fsize_mb=32)


def frame(payload: bytes, stream: int = 1) -> bytes:
    return bytes([stream, 0, 0, 0]) + struct.pack(">I", len(payload)) + payload


def demultiplexed(*chunks: bytes) -> list[bytes]:
    payloads: list[bytes] = []
    frames = _Frames(payloads.append)
    for chunk in chunks:
        frames.feed(chunk)
    return payloads


# hardening


def test_every_capability_is_dropped_and_none_can_be_gained():
    args = hardening(LIMITS)

    assert args["cap_drop"] == ["ALL"]
    assert args["security_opt"] == ["no-new-privileges"]


def test_the_root_is_read_only_with_a_sized_tmp():
    args = hardening(LIMITS)

    assert args["read_only"] is True
    assert args["tmpfs"] == {"/tmp": "size=64m,mode=1777"}


def test_memory_cannot_spill_into_swap():
    args = hardening(LIMITS)

    assert args["mem_limit"] == args["memswap_limit"] == "512m"


def test_processes_and_cpu_are_limited():
    args = hardening(LIMITS)

    assert args["pids_limit"] == 128
    assert args["nano_cpus"] == 1_500_000_000


def test_open_files_and_file_size_are_limited():
    [nofile, fsize] = hardening(LIMITS)["ulimits"]

    assert nofile == Ulimit(name="nofile", soft=1024, hard=1024)
    assert fsize == Ulimit(name="fsize", soft=32 * MIB, hard=32 * MIB)


def test_an_init_reaps_orphans_and_logs_are_capped():
    args = hardening(LIMITS)

    assert args["init"] is True
    assert args["log_config"]["Config"]["max-size"] == "2m"


def test_extra_tmpfs_mounts_join_tmp():
    args = hardening(LIMITS, {"/work": "size=10m"})

    assert args["tmpfs"] == {"/tmp": "size=64m,mode=1777", "/work": "size=10m"}


# _Frames


def test_a_frame_gives_its_payload():
    assert demultiplexed(frame(b"hello\n")) == [b"hello\n"]


def test_frames_of_stdout_and_stderr_come_out_in_order():
    assert demultiplexed(frame(b"out", 1) + frame(b"err", 2)) == [b"out", b"err"]


def test_a_frame_split_across_reads_is_joined():
    data = frame(b"a longer payload")

    assert demultiplexed(data[:3], data[3:10], data[10:]) == [b"a longer payload"]


def test_an_incomplete_frame_gives_nothing_yet():
    assert demultiplexed(frame(b"payload")[:-1]) == []


def test_an_empty_frame_gives_an_empty_payload_and_what_follows():
    assert demultiplexed(frame(b"") + frame(b"next")) == [b"", b"next"]


def test_a_payload_larger_than_a_read_is_whole():
    payload = bytes(range(256)) * 1024
    data = frame(payload)
    chunks = [data[i : i + 65536] for i in range(0, len(data), 65536)]

    assert demultiplexed(*chunks) == [payload]
