"""jemalloc for `separate` and `serve`: the environment, the restart, and the CLI's use of it."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from querysep import allocator, cli

# the child reports whether jemalloc is mapped into it, and the command line it sees
REPORT = (
    "from querysep.allocator import restart_under_jemalloc; restart_under_jemalloc(); "
    "import sys; maps = open('/proc/self/maps').read(); "
    "print('jemalloc' in maps, sys.argv[1:])"
)


def test_the_environment_preloads_jemalloc_beside_other_libraries(monkeypatch):
    monkeypatch.setattr(allocator, "find_jemalloc", lambda: "libjemalloc.so.2")
    env = allocator.jemalloc_environment({"PATH": "/bin", "LD_PRELOAD": "/opt/libother.so"})
    assert env == {"PATH": "/bin", "LD_PRELOAD": "libjemalloc.so.2 /opt/libother.so"}
    assert allocator.jemalloc_environment({})["LD_PRELOAD"] == "libjemalloc.so.2"


def test_no_restart_when_it_would_change_nothing_or_is_switched_off(monkeypatch):
    monkeypatch.setattr(allocator, "find_jemalloc", lambda: "libjemalloc.so.2")
    assert allocator.jemalloc_environment({"LD_PRELOAD": "libjemalloc.so.2"}) is None
    assert allocator.jemalloc_environment({"QUERYSEP_ALLOCATOR": "System"}) is None
    monkeypatch.setattr(allocator, "find_jemalloc", lambda: None)  # not installed
    assert allocator.jemalloc_environment({}) is None


def run_report(extra_env: dict[str, str]) -> str:
    env = {k: v for k, v in os.environ.items() if k not in ("LD_PRELOAD", allocator.SWITCH)}
    command = [sys.executable, "-c", REPORT, "--query", "a dog"]
    result = subprocess.run(command, env=env | extra_env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


@pytest.mark.skipif(allocator.find_jemalloc() is None, reason="libjemalloc2 is not installed")
def test_a_process_restarts_under_jemalloc_with_its_command_line():
    assert run_report({}) == "True ['--query', 'a dog']"
    assert run_report({allocator.SWITCH: "system"}) == "False ['--query', 'a dog']"


def test_the_command_line_restarts_for_separate_and_serve_only(monkeypatch, tmp_path, capsys):
    calls = []
    monkeypatch.setattr(allocator, "restart_under_jemalloc", lambda: calls.append(1))
    missing = str(tmp_path / "missing.wav")
    monkeypatch.setattr(sys, "argv", ["querysep", "separate", missing, "--query", "a dog"])
    assert cli.main() == 2  # the missing file is reported after the restart
    assert calls == [1]
    assert cli.main(["separate", missing, "--query", "a dog"]) == 2  # in-process: no restart
    monkeypatch.setattr(cli, "_serve", lambda args: 0)  # restarts, then would serve
    monkeypatch.setattr(sys, "argv", ["querysep", "serve"])
    assert cli.main() == 0
    assert calls == [1, 1]
    monkeypatch.setattr(sys, "argv", ["querysep", "vocabulary", "--checkpoint", missing])
    cli.main()
    assert calls == [1, 1]
    capsys.readouterr()
