"""The allocator for `separate` and `serve` (tcmalloc, else jemalloc): the choice, the
environment, the restart, and the CLI's use of it."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from querysep import allocator, cli

# the child reports which allocator libraries are mapped into it, and the command line it sees
REPORT = (
    "from querysep.allocator import restart_with_allocator; restart_with_allocator(); "
    "import sys; maps = open('/proc/self/maps').read(); "
    "print([n for n in ('tcmalloc', 'jemalloc') if n in maps], sys.argv[1:])"
)


def installed(*names: str):
    """Pretend exactly ``names`` are installed."""
    return lambda name: f"lib{allocator.LIBRARIES[name]}.so" if name in names else None


def test_tcmalloc_is_preferred_then_jemalloc_then_the_system(monkeypatch):
    monkeypatch.setattr(allocator, "find_library", installed("tcmalloc", "jemalloc"))
    assert allocator.choose({}) == ("tcmalloc", "libtcmalloc_minimal.so")
    assert allocator.choose({allocator.SWITCH: " JEMALLOC "}) == ("jemalloc", "libjemalloc.so")
    assert allocator.choose({allocator.SWITCH: "system"}) is None
    monkeypatch.setattr(allocator, "find_library", installed("jemalloc"))
    assert allocator.choose({allocator.SWITCH: "auto"}) == ("jemalloc", "libjemalloc.so")
    assert allocator.choose({allocator.SWITCH: "tcmalloc"}) is None  # asked for, not installed
    monkeypatch.setattr(allocator, "find_library", installed())
    assert allocator.choose({}) is None


def test_an_unknown_allocator_name_is_an_error(monkeypatch):
    with pytest.raises(allocator.AllocatorError, match="QUERYSEP_ALLOCATOR='mimalloc'"):
        allocator.choose({allocator.SWITCH: "mimalloc"})
    with pytest.raises(allocator.AllocatorError):  # also when one is preloaded already
        allocator.preload_environment({allocator.SWITCH: "tc", "LD_PRELOAD": "libjemalloc.so"})


def test_a_named_allocator_that_is_missing_is_a_warning(monkeypatch, capsys):
    monkeypatch.setattr(allocator, "find_library", installed("jemalloc"))
    monkeypatch.setenv(allocator.SWITCH, "tcmalloc")
    monkeypatch.delenv("LD_PRELOAD", raising=False)
    allocator.restart_with_allocator()  # returns: nothing to restart on
    err = capsys.readouterr().err
    assert "QUERYSEP_ALLOCATOR=tcmalloc, but it is not installed" in err
    assert "libtcmalloc-minimal4" in err
    assert allocator.wanted_but_missing({allocator.SWITCH: "jemalloc"}) is None
    assert allocator.wanted_but_missing({}) is None


def test_the_environment_preloads_the_allocator_beside_other_libraries(monkeypatch):
    monkeypatch.setattr(allocator, "find_library", installed("tcmalloc", "jemalloc"))
    env = allocator.preload_environment({"PATH": "/bin", "LD_PRELOAD": "/opt/libother.so"})
    assert env == {"PATH": "/bin", "LD_PRELOAD": "libtcmalloc_minimal.so /opt/libother.so"}
    assert allocator.preload_environment({})["LD_PRELOAD"] == "libtcmalloc_minimal.so"


def test_no_restart_when_it_would_change_nothing_or_is_switched_off(monkeypatch):
    monkeypatch.setattr(allocator, "find_library", installed("tcmalloc", "jemalloc"))
    assert allocator.preload_environment({"LD_PRELOAD": "/x/libjemalloc.so.2"}) is None
    assert allocator.preload_environment({"LD_PRELOAD": "libtcmalloc_minimal.so.4"}) is None
    assert allocator.preload_environment({"LD_PRELOAD": "/x/libmimalloc.so.2 /y/libz.so"}) is None
    assert allocator.preload_environment({allocator.SWITCH: "System"}) is None
    monkeypatch.setattr(allocator, "find_library", installed())  # none installed
    assert allocator.preload_environment({}) is None


def run_report(extra_env: dict[str, str]) -> str:
    env = {k: v for k, v in os.environ.items() if k not in ("LD_PRELOAD", allocator.SWITCH)}
    command = [sys.executable, "-c", REPORT, "--query", "a dog"]
    result = subprocess.run(command, env=env | extra_env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


@pytest.mark.skipif(
    allocator.find_library("tcmalloc") is None, reason="libtcmalloc-minimal4 is not installed"
)
def test_a_process_restarts_under_tcmalloc_with_its_command_line():
    assert run_report({}) == "['tcmalloc'] ['--query', 'a dog']"
    assert run_report({allocator.SWITCH: "system"}) == "[] ['--query', 'a dog']"


@pytest.mark.skipif(
    allocator.find_library("jemalloc") is None, reason="libjemalloc2 is not installed"
)
def test_a_process_restarts_under_jemalloc_when_asked():
    assert run_report({allocator.SWITCH: "jemalloc"}) == "['jemalloc'] ['--query', 'a dog']"


def test_the_command_line_restarts_for_separate_and_serve_only(monkeypatch, tmp_path, capsys):
    calls = []
    monkeypatch.setattr(allocator, "restart_with_allocator", lambda: calls.append(1))
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


def test_an_unknown_allocator_is_a_clear_error_on_the_command_line(monkeypatch, capsys):
    monkeypatch.setenv(allocator.SWITCH, "mimalloc")
    monkeypatch.setattr(cli, "_serve", lambda args: 0)
    monkeypatch.setattr(sys, "argv", ["querysep", "serve"])
    assert cli.main() == 2
    error = capsys.readouterr().err
    assert "QUERYSEP_ALLOCATOR='mimalloc': expected one of auto, tcmalloc" in error
